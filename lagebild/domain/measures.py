"""Measures, groups and derived metrics: each defined once, with unit, label and edge rules."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from lagebild.settings import Thresholds


class Kind(str, Enum):
    STOCK = "stock"  # a count at a Stichtag
    FLOW = "flow"  # a count per calendar month


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    unit_short: str
    kind: Kind
    decimals: int
    groups: tuple[str, ...]
    # What a file may say for one region and Stand: at most `maximum` (above any Kreis, most above the whole Land), a value
    # other than 0 at least `smallest`, and no more decimal places than `places` (persons are whole numbers).
    maximum: float = 0.0
    smallest: float = 1.0
    places: int = 0
    # False for a reference figure from official statistics (population): no Kreis reports it, none is overdue with it.
    reported: bool = True

    @property
    def date_label(self) -> str:
        return "Monat" if self.kind is Kind.FLOW else "Stichtag"


TOTAL = "insgesamt"
GROUP_LABELS = {TOTAL: "insgesamt", "ukraine": "Geflüchtete aus der Ukraine", "asyl": "Asylsuchende"}
ARRIVAL_GROUPS = ("ukraine", "asyl")

MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        # The whole Land funds about 900 VZÄ and 1,200 persons; 0,125 VZÄ is five hours of a 40-hour week.
        Measure(
            "counsellors_fte",
            "Integrationsmanagement (VZÄ)",
            "Vollzeitäquivalente",
            "VZÄ",
            Kind.STOCK,
            1,
            (TOTAL,),
            maximum=1_000,
            smallest=0.1,
            places=3,
        ),
        Measure(
            "counsellors_headcount",
            "Integrationsmanagement (Personen)",
            "Personen",
            "Pers.",
            Kind.STOCK,
            0,
            (TOTAL,),
            maximum=2_000,
        ),
        # Stuttgart counts 24,165 Schutzsuchende at 31.12.2023 (table 12531): the bound is twenty times that.
        Measure(
            "refugees_in_care",
            "Geflüchtete in Betreuung",
            "Personen",
            "Pers.",
            Kind.STOCK,
            0,
            (TOTAL,),
            maximum=500_000,
        ),
        # Far above what any Kreis received in one month, even in spring 2022.
        Measure("arrivals", "Zugänge", "Personen je Monat", "Pers.", Kind.FLOW, 0, ARRIVAL_GROUPS, maximum=200_000),
        # Bevölkerungsstand (GENESIS table 12411): the base of every rate per inhabitant. Stuttgart, the largest Kreis,
        # has about 630,000 inhabitants; the bound is three times that.
        Measure(
            "population",
            "Einwohner",
            "Personen",
            "Einw.",
            Kind.STOCK,
            0,
            (TOTAL,),
            maximum=2_000_000,
            reported=False,
        ),
    )
}
POPULATION = "population"
# What the Kreise report, and what the Meldestand asks of them.
REPORTED = tuple(key for key, m in MEASURES.items() if m.reported)


def measure(key: str) -> Measure:
    """The measure for a key; KeyError with the valid keys in German otherwise."""
    try:
        return MEASURES[key]
    except KeyError:
        raise KeyError(f"Unbekannte Kennzahl „{key}“. Gültig: {', '.join(MEASURES)}") from None


# One file may carry several measures (VZÄ and Personen side by side); its import is logged under the keys joined.
JOINED = ","


def joined_key(keys: list[str] | tuple[str, ...]) -> str:
    """The key of an import with several measures, in the order of MEASURES so the same pair always reads the same."""
    return JOINED.join(k for k in MEASURES if k in keys)


def measures_in(key: str) -> tuple[Measure, ...]:
    return tuple(measure(k) for k in key.split(JOINED))


def label_of(key: str) -> str:
    """'Integrationsmanagement (VZÄ)', or for a joined key 'Integrationsmanagement (VZÄ) und Integrationsmanagement (Personen)'."""
    return " und ".join(m.label for m in measures_in(key))


def label_with_unit(m: Measure) -> str:
    """The label with its unit, unless the label already names it in brackets ('Integrationsmanagement (Personen)')."""
    return m.label if "(" in m.label else f"{m.label} ({m.unit})"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    decimals: int
    higher_is_worse: bool = True


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("ratio", "Betreuungsschlüssel", "Geflüchtete je VZÄ", 0),
        Metric("need_fte", "Verstärkungsbedarf", "VZÄ", 1),
        Metric("fte_per_100k", "Beratungskapazität je Einwohner", "VZÄ je 100.000 Einwohner", 1, higher_is_worse=False),
        Metric("arrivals_per_1000", "Zugänge je Einwohner", "Zugänge je 1.000 Einwohner", 1),
        Metric("refugees_in_care", "Geflüchtete in Betreuung", "Personen", 0),
        Metric("arrivals", "Zugänge", "Personen", 0),
        Metric("counsellors_fte", "Integrationsmanagement", "VZÄ", 1, higher_is_worse=False),
        Metric("counsellors_headcount", "Integrationsmanagement", "Personen", 0, higher_is_worse=False),
        Metric("need_cost", "Kosten des Verstärkungsbedarfs", "€ je Jahr", 0),
    )
}


class Status(str, Enum):
    """A Kreis against the target. Tables hold the value (an identifier); a reader sees `label`."""

    OK = "ok"
    ELEVATED = "elevated"
    CRITICAL = "critical"
    NO_CAPACITY = "no_capacity"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def severity(self) -> int:
        return SEVERITY[self]

    @property
    def is_above_target(self) -> bool:
        return self.severity >= 1

    @property
    def is_critical(self) -> bool:
        return self.severity >= 2


# What a missing value reads, as a status and as a number (lagebild/present/fmt.py writes numbers with it).
NO_DATA = "keine Daten"

# What a reader sees for a status, on screen and in every export.
STATUS_LABELS = {
    Status.OK: "im Ziel",
    Status.ELEVATED: "erhöht",
    Status.CRITICAL: "kritisch",
    Status.NO_CAPACITY: "keine Beratungskapazität",
    Status.NO_DATA: NO_DATA,
}
SEVERITY = {Status.NO_DATA: -1, Status.OK: 0, Status.ELEVATED: 1, Status.CRITICAL: 2, Status.NO_CAPACITY: 3}


def status_labels(statuses: pd.Series) -> pd.Series:
    """A column of statuses (values or members) as a reader sees it."""
    return statuses.map(lambda s: Status(s).label)


NAN = float("nan")


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def caseload_ratio(refugees_in_care: float | None, fte: float | None) -> float:
    """Geflüchtete je VZÄ; NaN when an input is missing or there is no capacity (never inf)."""
    if _missing(refugees_in_care) or _missing(fte) or fte == 0:
        return NAN
    return float(refugees_in_care) / float(fte)  # type: ignore[arg-type]


def required_fte(refugees_in_care: float | None, target: float) -> float:
    if _missing(refugees_in_care):
        return NAN
    return float(refugees_in_care) / target  # type: ignore[arg-type]


def reinforcement_need(refugees_in_care: float | None, fte: float | None, target: float) -> float:
    """max(0, in care / target − VZÄ): a surplus is never negative need."""
    if _missing(refugees_in_care) or _missing(fte):
        return NAN
    return max(0.0, float(refugees_in_care) / target - float(fte))  # type: ignore[arg-type]


def surplus(refugees_in_care: float | None, fte: float | None, target: float) -> float:
    if _missing(refugees_in_care) or _missing(fte):
        return NAN
    return max(0.0, float(fte) - float(refugees_in_care) / target)  # type: ignore[arg-type]


def status(refugees_in_care: float | None, fte: float | None, thresholds: Thresholds) -> Status:
    if _missing(refugees_in_care) or _missing(fte):
        return Status.NO_DATA
    if fte == 0:
        return Status.NO_CAPACITY if refugees_in_care > 0 else Status.OK  # type: ignore[operator]
    ratio = float(refugees_in_care) / float(fte)  # type: ignore[arg-type]
    if ratio <= thresholds.target:
        return Status.OK
    if ratio <= thresholds.critical_above:
        return Status.ELEVATED
    return Status.CRITICAL


def per_population(value: float | None, population: float | None, per: float) -> float:
    if _missing(value) or _missing(population) or not population:
        return NAN
    return float(value) / float(population) * per  # type: ignore[arg-type]
