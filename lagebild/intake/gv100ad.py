"""The Destatis Gemeindeverzeichnis GV100AD (fixed-width text): the Einwohner of BW's Gemeinden, summed per Kreis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lagebild.present import fmt

FORMAT = "Gemeindeverzeichnis GV100AD (Festbreite)"
# The value column of the template layout the Kreis sums are checked in; problems name it.
VALUE_LABEL = "Einwohner insgesamt (Summe der Gemeinden, Stellen 140–150)"
SOURCE = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
BW = "08"
GEMEINDE = "60"
KREIS = "40"
# Satzart in columns 1-2 (Datensatzbeschreibung of Destatis; the same in gv100ad-py 0.2.0).
SATZARTEN = {
    "10": "Land",
    "20": "Regierungsbezirk",
    "30": "Region",
    "40": "Kreis",
    "50": "Gemeindeverband",
    "60": "Gemeinde",
}
# Positions as the Datensatzbeschreibung counts them (1-based, inclusive), as slices of a line.
GEBIETSSTAND = slice(2, 10)  # 3-10, JJJJMMTT
AGS = slice(10, 18)  # 11-18: Land 2, Regierungsbezirk 1, Kreis 2, Gemeinde 3 (shorter records leave the rest blank)
KREIS_KEY = slice(10, 15)
NAME = slice(22, 72)  # 23-72
INHABITANTS = slice(139, 150)  # 140-150, Satzart 60 only
# A record of any Satzart reaches at least the Gemeindeverband (19-22); a Gemeinde must reach its Einwohner.
MIN_CHARS = 22
MIN_CHARS_GEMEINDE = INHABITANTS.stop
# How a file is recognised: a known Satzart followed by a Gebietsstand of this or the last century.
RECORD = re.compile(r"^(10|20|30|40|50|60)(19|20)\d{6}\d")


def is_gv100ad(text: str) -> bool:
    first = next((line for line in text.lstrip("\ufeff").split("\n") if line.strip()), "")
    return bool(RECORD.match(first))


@dataclass(frozen=True)
class KreisSum:
    """A Kreis of BW as the sum of its Gemeinden; line is the Kreis's own record (Satzart 40), else its first Gemeinde."""

    key: str
    name: str
    line: int
    inhabitants: int
    gemeinden: int


@dataclass
class Directory:
    """A GV100AD file as understood: its Gebietsstand, BW's Kreise, and what is wrong with it (message, line)."""

    gebietsstand: date | None = None
    kreise: list[KreisSum] = field(default_factory=list)
    errors: list[tuple[str, int | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def source(self) -> str:
        stand = f", Gebietsstand {fmt.day(self.gebietsstand)}" if self.gebietsstand else ""
        return f"{SOURCE}{stand}; {LICENCE}"


def _gebietsstand(text: str) -> date | None:
    if not (len(text) == 8 and text.isascii() and text.isdigit()):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def read(text: str) -> Directory:
    """Every record is checked (Satzart, length, Gebietsstand, Einwohner); BW's Gemeinden are summed per Kreis."""
    directory = Directory()
    sums: dict[str, list[int]] = {}  # Kreis key -> [inhabitants, Gemeinden, first Gemeinde line]
    kreis_records: dict[str, tuple[str, int]] = {}  # Kreis key -> (name, line)
    dates: set[date] = set()
    outside = 0
    for number, raw in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        satzart = line[:2]
        if satzart not in SATZARTEN:
            directory.errors.append(
                (
                    f"unbekannte Satzart „{satzart}“ in den Stellen 1–2; erwartet 10 (Land), 20 (Regierungsbezirk), "
                    "30 (Region), 40 (Kreis), 50 (Gemeindeverband) oder 60 (Gemeinde)",
                    number,
                )
            )
            continue
        needed = MIN_CHARS_GEMEINDE if satzart == GEMEINDE else MIN_CHARS
        if len(line) < needed:
            what = "eine Gemeinde (Satzart 60) reicht bis zur Einwohnerzahl in den Stellen 140–150"
            if satzart != GEMEINDE:
                what = f"ein Satz der Satzart {satzart} reicht mindestens bis Stelle {MIN_CHARS}"
            directory.errors.append(
                (f"die Zeile ist zu kurz: {fmt.number(len(line))} Zeichen, {what}. Ist die Datei gekürzt?", number)
            )
            continue
        when = _gebietsstand(line[GEBIETSSTAND])
        if when is None:
            directory.errors.append(
                (f"Gebietsstand „{line[GEBIETSSTAND]}“ in den Stellen 3–10 ist kein Datum der Form JJJJMMTT", number)
            )
            continue
        dates.add(when)
        key = line[AGS].strip()
        if not key.startswith(BW):
            outside += 1
        if satzart == KREIS and key.startswith(BW):
            kreis_records[line[KREIS_KEY]] = (line[NAME].strip(), number)
        if satzart != GEMEINDE:
            continue
        cell = line[INHABITANTS].strip()
        if not (cell.isascii() and cell.isdigit()):
            directory.errors.append(
                (f"die Einwohnerzahl „{cell}“ in den Stellen 140–150 ist keine ganze Zahl (nur Ziffern 0–9)", number)
            )
            continue
        if key.startswith(BW):
            entry = sums.setdefault(line[KREIS_KEY], [0, 0, number])
            entry[0] += int(cell)
            entry[1] += 1
    if len(dates) > 1:
        directory.errors.append(
            (
                f"die Datei mischt mehrere Gebietsstände ({', '.join(fmt.day(d) for d in sorted(dates))}); "
                "bitte eine unveränderte Ausgabe des Gemeindeverzeichnisses hochladen",
                None,
            )
        )
    directory.gebietsstand = min(dates) if dates else None
    for key, (inhabitants, gemeinden, first_line) in sums.items():
        name, at = kreis_records.get(key, ("", first_line))
        directory.kreise.append(KreisSum(key, name, at, inhabitants, gemeinden))
    if outside:
        directory.notes.append(
            f"{fmt.count(outside, 'Satz', 'Sätze')} außerhalb Baden-Württembergs (Land 08) ignoriert"
        )
    if directory.kreise and not directory.errors:
        gemeinden = sum(k.gemeinden for k in directory.kreise)
        directory.notes.append(
            f"Gebietsstand laut Datei: {fmt.day(directory.gebietsstand)}; "
            f"{fmt.count(gemeinden, 'Gemeinde', 'Gemeinden')} Baden-Württembergs zu "
            f"{fmt.count(len(directory.kreise), 'Kreis', 'Kreisen')} summiert"
        )
    return directory
