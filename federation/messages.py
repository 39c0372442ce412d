"""Federation message types: frozen dataclasses with strict ``to_dict`` / ``from_dict``.

``from_dict`` rejects unknown and missing fields and wrong types with MessageFormatError; it is
called by the envelope only after the signature has been verified. Each type names the roster
roles allowed to send it, which the envelope enforces.

Cells and lineage have a fixed outer shape; step parameters are free-form JSON objects so the
disclosure code can record whatever parameters it applied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, Self

from federation.canonical import (
    canonical_bytes,
    format_time,
    parse_canonical,
    truncate_to_second,
)
from federation.errors import CanonicalJSONError, MessageFormatError
from federation.fields import StrictObject

ICCS_PATTERN = r"\d{2}(\d{2}){0,3}"  # level 1 "05" .. level 4 "05010100"
CATEGORY_PATTERN = rf"{ICCS_PATTERN}|_T"  # "_T": SDMX total over all categories
PERIOD_PATTERN = r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?"  # 2026, 2026-Q4, 2026-10
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}"
CELL_FLAGS = frozenset({"suppressed", "rounded", "noised", "lower_bound"})
_ALWAYS_WRITTEN_FLAGS = ("noised", "rounded", "suppressed")
DIMENSIONS = frozenset({"category", "period", "area"})
ROLES = frozenset({"city", "coordinator"})
REFUSAL_REASONS = frozenset(
    {"over_budget", "dimension_not_allowed", "period_not_closed", "unknown_period"}
)
SEVERITIES = frozenset({"info", "warning", "critical"})
RefusalReason = Literal[
    "over_budget", "dimension_not_allowed", "period_not_closed", "unknown_period"
]


class Message(Protocol):
    """What every message type provides (the envelope relies on these)."""

    MESSAGE_TYPE: ClassVar[str]
    SENDER_ROLES: ClassVar[frozenset[str]]

    def to_dict(self) -> dict[str, Any]: ...

    @classmethod
    def from_dict(cls, data: object) -> Self: ...


@dataclass(frozen=True)
class Cell:
    """One released figure, in the shape of ``ProtectedTable.to_release_cells()``.

    ``category`` is an ICCS code or "_T" (total), ``area`` is absent for tables without areas
    (or "_T" for the area total), ``value`` is None exactly when the cell is suppressed.
    ``flags`` holds the names of the flags that are true; on the wire ``suppressed``,
    ``rounded`` and ``noised`` are always written and ``lower_bound`` only when true.
    """

    category: str
    period: str
    value: int | None
    flags: frozenset[str] = frozenset()
    area: str | None = None

    def __post_init__(self) -> None:
        if type(self.flags) is not frozenset:
            _normalise(self, "flags", frozenset(self.flags))
        if not self.flags <= CELL_FLAGS:
            raise MessageFormatError(
                f"cell flags: expected among {', '.join(sorted(CELL_FLAGS))}, "
                f"got {', '.join(sorted(self.flags - CELL_FLAGS))}"
            )
        if (self.value is None) != ("suppressed" in self.flags):
            raise MessageFormatError(
                "cell: expected value null exactly when the cell is flagged suppressed"
            )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"category": self.category, "period": self.period}
        if self.area is not None:
            data["area"] = self.area
        data["value"] = self.value
        data["flags"] = _flags_to_dict(self.flags)
        return data

    @classmethod
    def from_dict(cls, data: object, where: str = "cell") -> Cell:
        fast = _well_formed_cell(data)
        if fast is not None:
            return fast
        # Slow path: the same rules again, now to say exactly what is wrong.
        obj = StrictObject(
            data,
            where,
            required=("category", "period", "value", "flags"),
            optional=("area",),
            error=MessageFormatError,
        )
        if obj.has("area") and obj.data["area"] is None:
            raise MessageFormatError(f"{where}.area: expected text, or leave the field out")
        return cls(
            category=obj.text("category", pattern=CATEGORY_PATTERN),
            period=obj.text("period", pattern=PERIOD_PATTERN),
            value=obj.optional_integer("value"),
            flags=_flags_from_dict(obj.data["flags"], f"{where}.flags"),
            area=obj.optional_text("area", max_len=100),
        )


@dataclass(frozen=True)
class LineageStep:
    """One disclosure step applied (e.g. "noise", "primary_suppression") and its parameters."""

    step: str
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _normalise(self, "parameters", _json_copy(self.parameters))

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "parameters": _json_copy(self.parameters)}

    @classmethod
    def from_dict(cls, data: object, where: str = "step") -> LineageStep:
        obj = StrictObject(data, where, required=("step", "parameters"), error=MessageFormatError)
        return cls(
            step=obj.text("step", pattern=r"[a-z][a-z0-9_]{0,63}"),
            parameters=_json_copy(obj.json_object("parameters")),
        )


@dataclass(frozen=True)
class Coverage:
    """Reports counted (None when that total is itself suppressed) and reports still pending."""

    reports_counted: int | None
    reports_pending: int
    reports_counted_flags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _normalise(self, "reports_counted_flags", frozenset(self.reports_counted_flags))

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports_counted": self.reports_counted,
            "reports_counted_flags": _flags_to_dict(self.reports_counted_flags),
            "reports_pending": self.reports_pending,
        }

    @classmethod
    def from_dict(cls, data: object, where: str = "coverage") -> Coverage:
        obj = StrictObject(
            data,
            where,
            required=("reports_counted", "reports_counted_flags", "reports_pending"),
            error=MessageFormatError,
        )
        return cls(
            reports_counted=obj.optional_integer("reports_counted", minimum=0),
            reports_pending=obj.integer("reports_pending", minimum=0),
            reports_counted_flags=_flags_from_dict(
                obj.data["reports_counted_flags"], f"{where}.reports_counted_flags"
            ),
        )


@dataclass(frozen=True)
class Lineage:
    """Where a release's figures come from and what was done to them."""

    policy_hash: str
    software_version: str
    steps: tuple[LineageStep, ...]
    coverage: Coverage
    epsilon_spent: float = 0.0
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _normalise(self, "steps", tuple(self.steps))
        _normalise(self, "warnings", tuple(self.warnings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_hash": self.policy_hash,
            "software_version": self.software_version,
            "steps": [s.to_dict() for s in self.steps],
            "coverage": self.coverage.to_dict(),
            "epsilon_spent": self.epsilon_spent,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: object, where: str = "lineage") -> Lineage:
        obj = StrictObject(
            data,
            where,
            required=(
                "policy_hash",
                "software_version",
                "steps",
                "coverage",
                "epsilon_spent",
                "warnings",
            ),
            error=MessageFormatError,
        )
        epsilon = obj.data["epsilon_spent"]
        if not isinstance(epsilon, int | float) or isinstance(epsilon, bool) or epsilon < 0:
            raise MessageFormatError(f"{where}.epsilon_spent: expected a number >= 0")
        warnings = obj.items("warnings", max_items=100)
        if not all(isinstance(w, str) and 0 < len(w) <= 500 for w in warnings):
            raise MessageFormatError(f"{where}.warnings: expected short texts")
        return cls(
            policy_hash=obj.text("policy_hash", max_len=200),
            software_version=obj.text("software_version", max_len=100),
            steps=tuple(
                LineageStep.from_dict(s, f"{where}.steps[{i}]")
                for i, s in enumerate(obj.items("steps", max_items=100))
            ),
            coverage=Coverage.from_dict(obj.data["coverage"], f"{where}.coverage"),
            epsilon_spent=epsilon,
            warnings=tuple(warnings),
        )


@dataclass(frozen=True)
class AggregateRelease:
    """A city's released figures for one period, with lineage (city -> peer or coordinator)."""

    MESSAGE_TYPE: ClassVar[str] = "aggregate-release"
    SENDER_ROLES: ClassVar[frozenset[str]] = frozenset({"city"})

    release_id: str
    node_id: str
    city: str
    period: str
    revision: int
    cells: tuple[Cell, ...]
    lineage: Lineage
    created_at: datetime

    def __post_init__(self) -> None:
        _normalise(self, "cells", tuple(self.cells))
        _normalise(self, "created_at", _utc_second(self.created_at))

    def to_dict(self) -> dict[str, Any]:
        return {
            "release_id": self.release_id,
            "node_id": self.node_id,
            "city": self.city,
            "period": self.period,
            "revision": self.revision,
            "cells": [c.to_dict() for c in self.cells],
            "lineage": self.lineage.to_dict(),
            "created_at": format_time(self.created_at),
        }

    @classmethod
    def from_dict(cls, data: object) -> AggregateRelease:
        obj = StrictObject(
            data,
            cls.MESSAGE_TYPE,
            required=(
                "release_id",
                "node_id",
                "city",
                "period",
                "revision",
                "cells",
                "lineage",
                "created_at",
            ),
            error=MessageFormatError,
        )
        return cls(
            release_id=obj.text("release_id", pattern=ID_PATTERN),
            node_id=obj.text("node_id", pattern=ID_PATTERN),
            city=obj.text("city", max_len=100),
            period=obj.text("period", pattern=PERIOD_PATTERN),
            revision=obj.integer("revision", minimum=1),
            cells=tuple(Cell.from_dict(c, f"cells[{i}]") for i, c in enumerate(obj.items("cells"))),
            lineage=Lineage.from_dict(obj.data["lineage"]),
            created_at=obj.time("created_at"),
        )


@dataclass(frozen=True)
class AggregateQuery:
    """A coordinator asks a node for figures over a period range (coordinator -> node)."""

    MESSAGE_TYPE: ClassVar[str] = "aggregate-query"
    SENDER_ROLES: ClassVar[frozenset[str]] = frozenset({"coordinator"})

    query_id: str
    dimensions: frozenset[str]
    category_level: int
    period_from: str
    period_to: str
    recipient_role: str

    def __post_init__(self) -> None:
        _normalise(self, "dimensions", frozenset(self.dimensions))
        if not self.dimensions or not self.dimensions <= DIMENSIONS:
            raise MessageFormatError(
                f"dimensions: expected a non-empty subset of {', '.join(sorted(DIMENSIONS))}"
            )
        if _period_unit(self.period_from) != _period_unit(self.period_to):
            raise MessageFormatError("period_from, period_to: expected periods of the same unit")
        if self.period_from > self.period_to:
            raise MessageFormatError("period_from: expected a period not after period_to")

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_id": self.query_id,
            "dimensions": sorted(self.dimensions),
            "category_level": self.category_level,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "recipient_role": self.recipient_role,
        }

    @classmethod
    def from_dict(cls, data: object) -> AggregateQuery:
        obj = StrictObject(
            data,
            cls.MESSAGE_TYPE,
            required=(
                "query_id",
                "dimensions",
                "category_level",
                "period_from",
                "period_to",
                "recipient_role",
            ),
            error=MessageFormatError,
        )
        level = obj.integer("category_level", minimum=1)
        if level > 4:
            raise MessageFormatError(
                f"{cls.MESSAGE_TYPE}.category_level: expected 1 to 4, got {level}"
            )
        return cls(
            query_id=obj.text("query_id", pattern=ID_PATTERN),
            dimensions=obj.text_set("dimensions", choices=DIMENSIONS),
            category_level=level,
            period_from=obj.text("period_from", pattern=PERIOD_PATTERN),
            period_to=obj.text("period_to", pattern=PERIOD_PATTERN),
            recipient_role=obj.choice("recipient_role", ROLES),
        )


@dataclass(frozen=True)
class QueryRefusal:
    """A node's signed answer that it will not answer a query, and why in plain words."""

    MESSAGE_TYPE: ClassVar[str] = "query-refusal"
    SENDER_ROLES: ClassVar[frozenset[str]] = frozenset({"city"})

    query_id: str
    reason: RefusalReason
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"query_id": self.query_id, "reason": self.reason, "message": self.message}

    @classmethod
    def from_dict(cls, data: object) -> QueryRefusal:
        obj = StrictObject(
            data,
            cls.MESSAGE_TYPE,
            required=("query_id", "reason", "message"),
            error=MessageFormatError,
        )
        return cls(
            query_id=obj.text("query_id", pattern=ID_PATTERN),
            reason=obj.choice("reason", REFUSAL_REASONS),  # type: ignore[arg-type]
            message=obj.text("message", max_len=1000),
        )


@dataclass(frozen=True)
class Alert:
    """An early warning about released figures (never about a person or a single report).

    ``cities`` are the cities the warning is about (several for an EU-wide pattern);
    ``details`` carries the detector's statistics, e.g. ``early_warning.Alert.as_dict()``.
    """

    MESSAGE_TYPE: ClassVar[str] = "alert"
    SENDER_ROLES: ClassVar[frozenset[str]] = frozenset({"city", "coordinator"})

    alert_id: str
    cities: frozenset[str]
    category: str
    period: str
    severity: str
    summary: str
    created_at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _normalise(self, "cities", frozenset(self.cities))
        _normalise(self, "created_at", _utc_second(self.created_at))
        _normalise(self, "details", _json_copy(self.details))

    def to_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "cities": sorted(self.cities),
            "category": self.category,
            "period": self.period,
            "severity": self.severity,
            "summary": self.summary,
            "created_at": format_time(self.created_at),
            "details": _json_copy(self.details),
        }

    @classmethod
    def from_dict(cls, data: object) -> Alert:
        obj = StrictObject(
            data,
            cls.MESSAGE_TYPE,
            required=(
                "alert_id",
                "cities",
                "category",
                "period",
                "severity",
                "summary",
                "created_at",
                "details",
            ),
            error=MessageFormatError,
        )
        cities = obj.text_set("cities")
        if not cities:
            raise MessageFormatError(f"{cls.MESSAGE_TYPE}.cities: expected at least one city")
        return cls(
            alert_id=obj.text("alert_id", pattern=ID_PATTERN),
            cities=cities,
            category=obj.text("category", pattern=CATEGORY_PATTERN),
            period=obj.text("period", pattern=PERIOD_PATTERN),
            severity=obj.choice("severity", SEVERITIES),
            summary=obj.text("summary", max_len=500),
            created_at=obj.time("created_at"),
            details=_json_copy(obj.json_object("details")),
        )


@dataclass(frozen=True)
class RosterUpdate:
    """A newly signed roster document, passed on to members (verified by ``verify_roster``)."""

    MESSAGE_TYPE: ClassVar[str] = "roster-update"
    SENDER_ROLES: ClassVar[frozenset[str]] = frozenset({"city", "coordinator"})

    signed_roster: bytes  # canonical bytes of the roster document

    def __post_init__(self) -> None:
        try:
            parse_canonical(self.signed_roster)
        except CanonicalJSONError as exc:
            raise MessageFormatError(f"{self.MESSAGE_TYPE}.signed_roster: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        return {"signed_roster": parse_canonical(self.signed_roster)}

    @classmethod
    def from_dict(cls, data: object) -> RosterUpdate:
        obj = StrictObject(
            data, cls.MESSAGE_TYPE, required=("signed_roster",), error=MessageFormatError
        )
        try:
            return cls(canonical_bytes(obj.json_object("signed_roster")))
        except CanonicalJSONError as exc:
            raise MessageFormatError(f"{cls.MESSAGE_TYPE}.signed_roster: {exc}") from exc


class ReleasableTable(Protocol):
    """What ``release_from_table`` needs: anonymisation.disclosure's ``ProtectedTable``."""

    @property
    def release_id(self) -> str: ...

    @property
    def period(self) -> str: ...

    def to_release_cells(self) -> list[dict[str, Any]]: ...

    def lineage(self) -> dict[str, Any]: ...


def release_from_table(
    table: ReleasableTable,
    *,
    node_id: str,
    city: str,
    revision: int,
    policy_hash: str,
    software_version: str,
    created_at: datetime,
) -> AggregateRelease:
    """Build the release message for a disclosure-controlled table (strictly validated).

    The table's recipient is not copied: it is the envelope's signed recipient.
    """
    lineage = table.lineage()
    return AggregateRelease(
        release_id=table.release_id,
        node_id=node_id,
        city=city,
        period=table.period,
        revision=revision,
        cells=tuple(
            Cell.from_dict(cell, f"cells[{i}]") for i, cell in enumerate(table.to_release_cells())
        ),
        lineage=Lineage.from_dict(
            {
                "policy_hash": policy_hash,
                "software_version": software_version,
                "steps": lineage["steps"],
                "coverage": lineage["coverage"],
                "epsilon_spent": lineage["epsilon_spent"],
                "warnings": lineage["warnings"],
            }
        ),
        created_at=created_at,
    )


MESSAGE_TYPES: Mapping[str, type[Message]] = {
    cls.MESSAGE_TYPE: cls
    for cls in (AggregateRelease, AggregateQuery, QueryRefusal, Alert, RosterUpdate)
}


_CATEGORY_RE = re.compile(CATEGORY_PATTERN)
_PERIOD_RE = re.compile(PERIOD_PATTERN)
_FLAG_KEYS = frozenset(_ALWAYS_WRITTEN_FLAGS)
_FLAG_KEYS_LOWER_BOUND = _FLAG_KEYS | {"lower_bound"}


def _well_formed_cell(data: object) -> Cell | None:
    """Cell.from_dict's rules as straight-line checks (a release has thousands of cells);
    None means "not obviously valid": the strict path then finds and names the problem."""
    if type(data) is not dict or not 4 <= len(data) <= 5:
        return None
    area = data.get("area")
    if len(data) == 5 and (type(area) is not str or not 0 < len(area) <= 100):
        return None
    category, period = data.get("category"), data.get("period")
    value, flags = data.get("value", False), data.get("flags")
    if type(category) is not str or not _CATEGORY_RE.fullmatch(category):
        return None
    if type(period) is not str or not _PERIOD_RE.fullmatch(period):
        return None
    if value is not None and type(value) is not int:
        return None
    if type(flags) is not dict or not all(v is True or v is False for v in flags.values()):
        return None
    keys = flags.keys()
    if not (keys == _FLAG_KEYS or (keys == _FLAG_KEYS_LOWER_BOUND and flags["lower_bound"])):
        return None
    try:
        return Cell(category, period, value, frozenset(k for k, v in flags.items() if v), area)
    except MessageFormatError:
        return None


def _normalise(message: object, name: str, value: object) -> None:
    """Store the wire form of a field on a frozen message (a list becomes a tuple, a time is
    cut to whole UTC seconds...), so a message equals what the recipient will parse."""
    object.__setattr__(message, name, value)


def _utc_second(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise MessageFormatError(f"expected a timezone-aware UTC time, got naive {moment}")
    return truncate_to_second(moment)


def _flags_to_dict(flags: frozenset[str]) -> dict[str, bool]:
    data = {name: name in flags for name in _ALWAYS_WRITTEN_FLAGS}
    if "lower_bound" in flags:
        data["lower_bound"] = True
    return data


def _flags_from_dict(data: object, where: str) -> frozenset[str]:
    obj = StrictObject(
        data,
        where,
        required=_ALWAYS_WRITTEN_FLAGS,
        optional=("lower_bound",),
        error=MessageFormatError,
    )
    for name, value in obj.data.items():
        if not isinstance(value, bool):
            raise MessageFormatError(f"{where}.{name}: expected true or false")
    if obj.data.get("lower_bound") is False:
        raise MessageFormatError(f"{where}.lower_bound: expected true, or leave the field out")
    return frozenset(name for name, value in obj.data.items() if value)


def _period_unit(period: str) -> str:
    if "-Q" in period:
        return "quarter"
    return "month" if "-" in period else "year"


def _json_copy(value: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy through canonical JSON, so callers cannot change a frozen message's data."""
    try:
        copied: dict[str, Any] = parse_canonical(canonical_bytes(dict(value)))
    except CanonicalJSONError as exc:
        raise MessageFormatError(f"parameters: {exc}") from exc
    return copied
