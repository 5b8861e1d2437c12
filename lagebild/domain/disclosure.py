"""Statistical disclosure control for Gemeinde figures: suppression of small counts and rounding of persons."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from lagebild import settings


class Cell(str, Enum):
    """What a published table cell holds; each one looks different (lagebild/present/fmt.py writes them)."""

    VALUE = "value"
    ZERO = "zero"  # exactly nothing: a real 0, published as such
    SUPPRESSED = "suppressed"  # a small count, or a cell closed so that a small count cannot be worked out
    MISSING = "missing"  # not reported


@dataclass(frozen=True)
class Rule:
    """The Geheimhaltung of Gemeinde figures; `applied=False` keeps exact values (internal use only)."""

    applied: bool = True
    min_persons: int = settings.DEFAULT_DISCLOSURE_MIN_PERSONS
    rounding: int = settings.DEFAULT_DISCLOSURE_ROUNDING
    min_staff: int = settings.DEFAULT_DISCLOSURE_MIN_STAFF


def rule(applied: bool = True) -> Rule:
    """The rule with the thresholds configured for this installation (lagebild/settings.py)."""
    return Rule(
        applied, settings.disclosure_min_persons(), settings.disclosure_rounding(), settings.disclosure_min_staff()
    )


def round_persons(value: float, base: int) -> float:
    """Persons to the nearest multiple of `base`, halves upwards (12.5 -> 15), as GENESIS 12531 publishes them.

    Python's round() would send halves to the even multiple (12.5 -> 10, 17.5 -> 20).
    """
    if base <= 1:
        return float(value)
    return float(math.floor(value / base + 0.5) * base)


def protect(values: pd.Series, rule: Rule) -> pd.DataFrame:
    """Gemeinde counts of one Kreis as published: columns `value` (rounded; NaN where not shown) and `cell`.

    Primary suppression: a count above 0 and below `rule.min_persons`. Secondary suppression: if exactly one
    Gemeinde is suppressed, the smallest count still shown is suppressed too, since the Kreis total minus the
    shown Gemeinden would otherwise give the suppressed count back. A zero stays a zero (nothing to protect).
    """
    exact = values.astype(float)
    cells = pd.Series(Cell.VALUE, index=exact.index, dtype=object)
    cells[exact.isna()] = Cell.MISSING
    cells[exact == 0] = Cell.ZERO
    if not rule.applied:
        return pd.DataFrame({"value": exact, "cell": cells})
    small = (exact > 0) & (exact < rule.min_persons)
    cells[small] = Cell.SUPPRESSED
    if int(small.sum()) == 1:
        shown = exact[cells == Cell.VALUE]
        if len(shown):
            cells[shown.sort_values(kind="stable").index[0]] = Cell.SUPPRESSED
    published = exact.map(lambda v: round_persons(v, rule.rounding) if not math.isnan(v) else v)
    published[cells == Cell.SUPPRESSED] = math.nan
    return pd.DataFrame({"value": published, "cell": cells})


def staff_shown(kreis_headcount: float | None, rule: Rule) -> bool:
    """Whether staff figures of a Kreis may be shown per Gemeinde: not when fewer than `rule.min_staff` persons
    work there, since each Gemeinde's figure would then describe one or two named people. An unreported
    headcount hides nothing: the staff figure then reads "keine Daten" or stands alone."""
    if not rule.applied or kreis_headcount is None or math.isnan(kreis_headcount):
        return True
    return kreis_headcount >= rule.min_staff
