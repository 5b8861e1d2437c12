"""German number and date formats, the one place that writes them."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING

from lagebild.domain.disclosure import Cell
from lagebild.domain.measures import NO_DATA

if TYPE_CHECKING:
    from lagebild.domain.analysis import Period

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


# Zeichenerklärung of the Statistische Ämter des Bundes und der Länder for table cells; what each means for a
# reader is said once, in lagebild/present/glossary.py (zeichenerklaerung).
ZERO = "–"  # nichts vorhanden (genau null)
SUPPRESSED = "x"  # Tabellenfach gesperrt (Geheimhaltung)
UNKNOWN = "."  # Zahlenwert unbekannt (nicht gemeldet)
CELL_SYMBOLS = {Cell.ZERO: ZERO, Cell.SUPPRESSED: SUPPRESSED, Cell.MISSING: UNKNOWN}


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(value: object, decimals: int = 0, unit: str = "", missing: str = NO_DATA) -> str:
    """1234.5 -> '1.234,5'; a missing value reads 'keine Daten', never 0."""
    if is_missing(value):
        return missing
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    if text.startswith("-") and float(text.replace(".", "").replace(",", ".")) == 0:
        text = text[1:]
    return f"{text}\u202f{unit}" if unit else text


def cell(value: object, kind: Cell, unit: str = "", missing: str = UNKNOWN) -> str:
    """A published count: the number, or the sign of the Zeichenerklärung ('x', '–'); `missing` for no report."""
    if kind is Cell.VALUE:
        return number(value, 0, unit)
    if kind is Cell.MISSING:
        return missing
    return CELL_SYMBOLS[kind]


_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")
_PLAIN = re.compile(r"\d+(,\d+)?")


def parse(text: str) -> float | None:
    """'64.000', '64000', '1.234,5', '64.000 €' -> a number ≥ 0; None for anything else (also an ambiguous '1.5')."""
    c = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if not (_GROUPED.fullmatch(c) or _PLAIN.fullmatch(c)):
        return None
    return float(c.replace(".", "").replace(",", "."))


def count(n: int, singular: str, plural: str) -> str:
    """'1 Kreis', '3 Kreise': never 'Kreis(e)'."""
    return f"{number(n)} {singular if n == 1 else plural}"


def signed(value: object, decimals: int = 0, unit: str = "") -> str:
    if is_missing(value):
        return NO_DATA
    text = number(value, decimals, unit)
    return text if text.startswith("-") or float(value) == 0 else f"+{text}"  # type: ignore[arg-type]


def euro(value: object) -> str:
    if is_missing(value):
        return NO_DATA
    if abs(float(value)) >= 1_000_000:  # type: ignore[arg-type]
        return number(float(value) / 1_000_000, 1, "Mio. €")  # type: ignore[arg-type]
    return number(value, 0, "€")


def euro_mio(value: object) -> str:
    """Budget amounts in millions, as the ministry's tables write them: '0,44 Mio. €', '7,7 Mio. €'; zero is '0 €'."""
    if is_missing(value):
        return NO_DATA
    amount = float(value)  # type: ignore[arg-type]
    if amount == 0:
        return number(0, 0, "€")
    return number(amount / 1_000_000, 1 if abs(amount) >= 1_000_000 else 2, "Mio. €")


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else NO_DATA


def month(value: date | None) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}" if value else NO_DATA


def month_short(value: date | None) -> str:
    return value.strftime("%m/%Y") if value else NO_DATA


def period(value: Period) -> str:
    """A run of months: 'Dezember 2024' for one, '10/2024–12/2024' for several."""
    if value.first == value.last:
        return month(value.first)
    return f"{month_short(value.first)}–{month_short(value.last)}"
