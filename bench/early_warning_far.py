"""Empirical false-alarm rate and detection rate of the early-warning detector.

Simulates monthly series (12 months of history + the tested month) for one city × category,
passes them through the same release protection a coordinator sees (counts 1..4 suppressed,
i.e. None), and counts how often ``detect_rises`` flags the tested month:

- false alarms: the tested month has the same distribution as the history (Poisson, and
  overdispersed negative binomial with variance = 2 × mean, as real crime counts often are);
- detection: the tested month's mean is doubled or tripled.

Usage: python -P bench/early_warning_far.py [--series N] [--seed S]
(-P: bench/anonymisation.py must not shadow the anonymisation package.)
Prints a Markdown table (copied into docs/adr/0502-early-warning.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from federation.early_warning import EarlyWarningConfig, detect_rises

MEANS = (1, 3, 5, 10, 20, 50, 200)
PERIODS = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
MIN_CELL_COUNT = 5


def released(value: int) -> int | None:
    return None if 0 < value < MIN_CELL_COUNT else int(value)


def simulate(rng: np.random.Generator, mean: float, n: int, current_factor: float,
             dispersion: float) -> np.ndarray:
    """n × 13 counts; the last column's mean is multiplied by ``current_factor``."""
    means = np.full((n, len(PERIODS)), float(mean))
    means[:, -1] *= current_factor
    if dispersion <= 1:
        return rng.poisson(means)
    # Negative binomial with variance = dispersion × mean: a gamma-mixed Poisson.
    shape = means / (dispersion - 1)
    return rng.poisson(rng.gamma(shape, (dispersion - 1)))


def flag_rate(counts: np.ndarray, config: EarlyWarningConfig) -> tuple[float, float]:
    """(flagged / all series, share of series whose tested month was released)."""
    series = {
        (f"city{i}", "0501"): {p: released(v) for p, v in zip(PERIODS, row, strict=True)}
        for i, row in enumerate(counts.tolist())
    }
    # Every simulated series has a full history, so only a suppressed tested month skips it.
    tested = sum(1 for s in series.values() if s[PERIODS[-1]] is not None)
    alerts = detect_rises(series, PERIODS[-1], config)
    return len(alerts) / len(series), tested / len(series)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=5000, help="series per cell of the table")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    config = EarlyWarningConfig()
    started = time.perf_counter()
    print(f"alpha={config.alpha}, history={config.history}, min_history={config.min_history}, "
          f"min_count={config.min_count}, min_ratio={config.min_ratio}, "
          f"series per cell={args.series}\n")
    print("| mean | tested | false alarms, Poisson | false alarms, NB var=2·mean "
          "| detected ×2 | detected ×3 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for mean in MEANS:
        far, tested = flag_rate(simulate(rng, mean, args.series, 1.0, 1.0), config)
        far_nb, _ = flag_rate(simulate(rng, mean, args.series, 1.0, 2.0), config)
        power2, _ = flag_rate(simulate(rng, mean, args.series, 2.0, 1.0), config)
        power3, _ = flag_rate(simulate(rng, mean, args.series, 3.0, 1.0), config)
        print(f"| {mean} | {tested:.1%} | {far:.4%} | {far_nb:.4%} | {power2:.1%} "
              f"| {power3:.1%} |")
    print(f"\n{len(MEANS) * 4 * args.series} series in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
