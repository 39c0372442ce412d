"""Early warning: unusual rises in a city's released monthly counts, and EU-wide patterns.

Pure functions over released figures only. The test for one city × category × period is the
exact conditional test for a rise in a Poisson rate: with ``n`` released history values summing
to ``S`` and a current value ``x``, if the rate has not changed then, given ``T = S + x``, ``x`` is
Binomial(T, 1/(n+1)). The p-value is the binomial upper tail P(X >= x). Unlike "mean ± k·sd" or a
Poisson test against the estimated mean, it is exact for small counts and accounts for the
baseline being estimated from few periods. Calibration and its limits (overdispersion,
rounding, noise): docs/adr/0502-early-warning.md; false-alarm rate: bench/early_warning_far.py.

No alert can reveal a suppressed cell: suppressed values (None) are skipped in the history, a
suppressed current value is never tested, and an alert carries only released figures and
statistics computed from them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anonymisation.disclosure.periods import parse_period
from federation.eu_merge import EUTable


@dataclass(frozen=True)
class Hidden:
    """A suppressed figure, with the largest value the release allows it, when one is known.

    The bound is public: it follows from the released total and the other released cells of the
    same line (a recipient can compute it), so using it reveals nothing.
    """

    upper_bound: int | None = None


# (city, category) -> period label -> released value; None or Hidden where suppressed.
# A period the city did not send is simply absent.
Series = Mapping[tuple[str, str], Mapping[str, "int | Hidden | None"]]


@dataclass(frozen=True)
class EarlyWarningConfig:
    """Thresholds of the detector; the defaults are the ones the false-alarm bench measures."""

    history: int = 12  # periods before the tested one that form the baseline
    min_history: int = 6  # periods sent (released or suppressed) in that window, else no test
    alpha: float = 0.001  # one-sided p-value below which a rise is flagged
    min_count: int = 5  # never flag a released value below this
    min_ratio: float = 1.5  # nor one less than this multiple of the baseline mean
    eu_min_cities: int = 2  # cities rising in the same category and period for an EU alert
    # A suppressed history month counts as its public upper bound (``Hidden``) or, when none is
    # known, as this many reports: the most a small cell holds under the usual minimum of 5.
    # Skipping it instead would leave only the released zeros of a small series and make the
    # baseline too low (measured: false alarms above alpha).
    suppressed_as: int = 4
    # Quasi-Poisson: divide counts by the history's variance/mean (when > 1) before testing, so
    # overdispersed series (the usual case for crime counts) do not alarm on their own spread.
    adjust_dispersion: bool = True


@dataclass(frozen=True)
class Alert:
    """An unusual rise in one city's released count for one category and period."""

    city: str
    category: str
    period: str
    observed: int
    baseline_mean: float
    baseline_periods: tuple[str, ...]
    suppressed_periods: tuple[str, ...]  # history months counted as ``suppressed_as``
    p_value: float
    method: str = "conditional binomial test of Poisson rates"

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form for the dashboard, exports and the alert message to the city."""
        return {
            "city": self.city,
            "category": self.category,
            "period": self.period,
            "observed": self.observed,
            "baseline_mean": round(self.baseline_mean, 3),
            "baseline_periods": list(self.baseline_periods),
            "suppressed_periods": list(self.suppressed_periods),
            "p_value": self.p_value,
            "method": self.method,
        }


@dataclass(frozen=True)
class EUAlert:
    """The same category rising in several cities in the same period."""

    category: str
    period: str
    cities: tuple[str, ...]
    alerts: tuple[Alert, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "category": self.category,
            "period": self.period,
            "cities": list(self.cities),
            "alerts": [a.as_dict() for a in self.alerts],
        }


def binomial_upper_tail(x: int, trials: int, p: float) -> float:
    """P(X >= x) for X ~ Binomial(trials, p), summed in log space (no overflow at large T)."""
    if x <= 0:
        return 1.0
    if x > trials:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(trials + 1)
    terms: list[float] = []
    for k in range(x, trials + 1):
        term = (
            log_n - math.lgamma(k + 1) - math.lgamma(trials - k + 1)
            + k * log_p + (trials - k) * log_q
        )
        terms.append(term)
        # Past the mode the terms only shrink; e^-50 of the largest adds nothing visible.
        if k > trials * p and term < max(terms) - 50:
            break
    top = max(terms)
    return min(1.0, math.exp(top) * math.fsum(math.exp(t - top) for t in terms))


def dispersion(history: Sequence[int]) -> float:
    """Sample variance over mean of the history, at least 1 (Poisson)."""
    n, mean = len(history), sum(history) / len(history)
    if n < 2 or mean == 0:
        return 1.0
    variance = sum((v - mean) ** 2 for v in history) / (n - 1)
    return max(1.0, variance / mean)


def assess_rise(
    observed: int, history: Sequence[int], config: EarlyWarningConfig
) -> tuple[bool, float]:
    """Whether ``observed`` is an unusual rise over ``history`` (released values), and the p."""
    n = len(history)
    mean = sum(history) / n
    phi = dispersion(history) if config.adjust_dispersion else 1.0
    scaled_x = round(observed / phi)
    scaled_total = round(sum(history) / phi) + scaled_x
    p_value = binomial_upper_tail(scaled_x, scaled_total, 1 / (n + 1))
    flagged = (
        observed >= config.min_count
        and observed >= config.min_ratio * mean
        and p_value < config.alpha
    )
    return flagged, p_value


def _baseline_value(value: int | Hidden | None, config: EarlyWarningConfig) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, Hidden) and value.upper_bound is not None:
        return value.upper_bound
    return config.suppressed_as


def detect_rises(
    series: Series, period: str, config: EarlyWarningConfig | None = None
) -> list[Alert]:
    """Alerts for ``period`` over every (city, category) series, sorted by city and category."""
    config = config or EarlyWarningConfig()
    tested = parse_period(period)
    window = [p.label for p in tested.previous(config.history)]
    alerts = []
    for (city, category), values in sorted(series.items()):
        observed = values.get(tested.label)
        if not isinstance(observed, int):
            continue  # suppressed or not sent: never tested, never hinted at
        used = tuple(p for p in window if p in values)  # periods not sent stay out
        if len(used) < config.min_history:
            continue
        history = [_baseline_value(values[p], config) for p in used]
        flagged, p_value = assess_rise(observed, history, config)
        if flagged:
            alerts.append(
                Alert(
                    city=city,
                    category=category,
                    period=tested.label,
                    observed=observed,
                    baseline_mean=sum(history) / len(history),
                    baseline_periods=used,
                    suppressed_periods=tuple(p for p in used if not isinstance(values[p], int)),
                    p_value=p_value,
                )
            )
    return alerts


def detect_eu_patterns(
    alerts: Iterable[Alert], config: EarlyWarningConfig | None = None
) -> list[EUAlert]:
    """One EU alert per (category, period) in which at least ``eu_min_cities`` cities rose."""
    config = config or EarlyWarningConfig()
    grouped: dict[tuple[str, str], list[Alert]] = {}
    for alert in alerts:
        grouped.setdefault((alert.category, alert.period), []).append(alert)
    patterns = []
    for (category, period), group in sorted(grouped.items()):
        cities = tuple(sorted({a.city for a in group}))
        if len(cities) >= config.eu_min_cities:
            ordered = tuple(sorted(group, key=lambda a: a.city))
            patterns.append(EUAlert(category, period, cities, ordered))
    return patterns


def series_from_eu_table(table: EUTable) -> dict[tuple[str, str], dict[str, int | Hidden]]:
    """Each city's released category totals (over all areas) per period, from the EU merge.

    A suppressed category total becomes ``Hidden`` with the bound the city total gives it: the
    city total minus the released categories, less 1 for each other suppressed category. With
    rounding or noise that arithmetic is not exact, so no bound is given.
    """
    # (city, period) -> category -> contribution, for category totals and the city total.
    lines: dict[tuple[str, str], dict[str, Any]] = {}
    for figure in table.figures:
        if figure.area not in (None, "_T"):
            continue
        for contribution in figure.contributions:
            lines.setdefault((contribution.city, figure.period), {})[figure.category] = (
                contribution
            )
    series: dict[tuple[str, str], dict[str, int | Hidden]] = {}
    for (city, period), cells in sorted(lines.items()):
        parts = {c: v for c, v in cells.items() if c != "_T"}
        total = cells.get("_T")
        hidden = [c for c, v in parts.items() if v.value is None]
        exact = not any(
            v.flags.get("rounded") or v.flags.get("noised") for v in cells.values()
        )
        bound = None
        if hidden and exact and total is not None and total.value is not None:
            released = sum(v.value for v in parts.values() if v.value is not None)
            bound = total.value - released - (len(hidden) - 1)
        for category, contribution in parts.items():
            value = contribution.value
            series.setdefault((city, category), {})[period] = (
                value if value is not None else Hidden(bound)
            )
    return series
