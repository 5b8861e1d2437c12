"""Every measure and metric once: definition, unit, rule for missing and zero, source, licence.

The one home of these texts: the Glossar page shows them all, the key figures' tooltips (`tip`) quote them, the
Kreisprofil PDF prints its definitions from here, the XLSX 'Metadaten' sheet defines its columns from here. Thresholds come in as values, never typed into a text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lagebild import settings
from lagebild.domain.disclosure import Cell, Rule
from lagebild.present import fmt
from lagebild.settings import Thresholds

REPORTED = "Meldungen der Kreise, eingespielt von der Datenstelle (Seite Daten); Stand je Wert: sein Stichtag"
REPORTED_LICENCE = "nach den Bedingungen der meldenden Stelle"
POPULATION_NOTE = (
    "Einwohner: der neueste übernommene amtliche Bevölkerungsstand (GENESIS-Tabelle 12411 oder Gemeindeverzeichnis "
    "GV100AD) am oder vor dem Stand, "
    f"sonst der Referenzbestand {settings.POPULATION_SOURCE}"
)
POPULATION_LICENCE = (
    "Datenlizenz Deutschland – Namensnennung 2.0 (Tabelle 12411, GV100AD) bzw. CC BY 4.0 (Referenzbestand)"
)
REFERENCE_BASIS = "Destatis GV-ISys, Referenzbestand (kein Import)"
_TABLE = re.compile(r"Tabelle (\d{5}(?:-\w+)*)")


def population_origin(source: str, reference: bool) -> str:
    """Where a population comes from, short: 'Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4'."""
    if reference:
        return REFERENCE_BASIS
    if m := _TABLE.search(source):
        return f"Destatis/Statistisches Landesamt, Tabelle {m.group(1)}"
    return source.split(";")[0].strip()


def population_basis(when: date, source: str, reference: bool) -> str:
    """Which population a rate uses: 'Einwohner 31.12.2024, Destatis/Statistisches Landesamt, Tabelle 12411-01-01-4'."""
    return f"Einwohner {fmt.day(when)}, {population_origin(source, reference)}"


def population_bases(table: pd.DataFrame) -> str:
    """The population behind the rates of a set of Kreise (a kreis_table); where Kreise differ, each with its count."""
    bases = [
        population_basis(d, str(s), bool(r))
        for d, s, r in zip(
            table["population_date"], table["population_source"], table["population_reference"], strict=True
        )
    ]
    counts = pd.Series(bases).value_counts(sort=False)
    if len(counts) == 1:
        return str(counts.index[0])
    return "; ".join(f"{basis} ({fmt.count(int(n), 'Kreis', 'Kreise')})" for basis, n in counts.items())


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    definition: str
    unit: str
    missing: str  # what a missing value and what a zero mean
    source: str
    licence: str


def terms(thresholds: Thresholds | None = None) -> list[Term]:
    """The glossary in reading order: the figures reported, then what is computed from them."""
    t = thresholds or Thresholds()
    target, factor = fmt.number(t.target), fmt.number(t.elevated_factor, 2)
    critical = fmt.number(t.critical_above, 1)
    return [
        Term(
            "counsellors_fte",
            "Integrationsmanagement (VZÄ)",
            "Integrationsmanagerinnen und -manager in Vollzeitäquivalenten zum Stichtag.",
            "VZÄ",
            "Fehlt die Meldung: „keine Daten“. 0 VZÄ ist eine echte Null: keine Beratungskapazität.",
            REPORTED,
            REPORTED_LICENCE,
        ),
        Term(
            "counsellors_headcount",
            "Integrationsmanagement (Personen)",
            "Integrationsmanagerinnen und -manager (Köpfe) zum Stichtag; VZÄ höchstens so viele wie Personen.",
            "Personen",
            "Fehlt die Meldung: „keine Daten“; 0 ist eine echte Null.",
            REPORTED,
            REPORTED_LICENCE,
        ),
        Term(
            "refugees_in_care",
            "Geflüchtete in Betreuung",
            "Geflüchtete, die das Integrationsmanagement zum Stichtag berät (seit 11.03.2022 auch aus der Ukraine).",
            "Personen",
            "Fehlt die Meldung: „keine Daten“, nie 0; 0 ist eine echte Null.",
            REPORTED,
            REPORTED_LICENCE,
        ),
        Term(
            "arrivals",
            "Zugänge",
            "Zugänge Geflüchteter je Kalendermonat, getrennt nach Geflüchteten aus der Ukraine und Asylsuchenden; "
            "auf der Karte und in den Kennzahlen summiert über den gewählten Zeitraum.",
            "Personen",
            "Ein Monat ohne Meldung zählt nicht als 0; fehlen alle Monate des Zeitraums: „keine Daten“.",
            REPORTED,
            REPORTED_LICENCE,
        ),
        Term(
            "population",
            "Einwohner",
            "Bevölkerungsstand je Kreis zum Stichtag (Fortschreibung, GENESIS-Tabelle 12411, Spalte „Insgesamt“, oder "
            "Summe der Gemeinden im Gemeindeverzeichnis GV100AD), von der Datenstelle übernommen. Jede Quote je Einwohner nimmt den neuesten Stand am oder vor dem gewählten "
            "Stand; ohne einen solchen den Referenzbestand 31.12.2018.",
            "Personen",
            "Fehlt ein übernommener Wert oder ist er „.“ oder „x“: der Referenzbestand 31.12.2018.",
            "Statistische Ämter des Bundes und der Länder, Tabelle 12411, oder Destatis, Gemeindeverzeichnis GV100AD; "
            f"Referenz: {settings.POPULATION_SOURCE}",
            POPULATION_LICENCE,
        ),
        Term(
            "ratio",
            "Betreuungsschlüssel",
            "Geflüchtete in Betreuung je VZÄ im Integrationsmanagement, jeweils der neueste Wert bis zum Stand.",
            "Geflüchtete je VZÄ",
            "0 VZÄ bei Geflüchteten in Betreuung heißt „keine Beratungskapazität“ (kritisch), nie „unendlich“; "
            "fehlt eine der beiden Zahlen: „keine Daten“.",
            "berechnet aus den Meldungen",
            REPORTED_LICENCE,
        ),
        Term(
            "status",
            "Status",
            f"Im Ziel bis zum Zielwert ({target} Geflüchtete je VZÄ), erhöht bis zum {factor}-Fachen ({critical}), "
            "darüber kritisch; keine Beratungskapazität bei 0 VZÄ und Geflüchteten in Betreuung.",
            "–",
            "„keine Daten“, wenn der Betreuungsschlüssel fehlt.",
            "berechnet",
            "–",
        ),
        Term(
            "need_fte",
            "Verstärkungsbedarf",
            "max(0; Geflüchtete in Betreuung / Zielwert − VZÄ): die VZÄ, die bis zum Zielwert fehlen. Ein Überhang "
            "wird als Überhang gezeigt, nie als negativer Bedarf, und gleicht keinen Bedarf eines anderen Kreises aus.",
            "VZÄ",
            "0 heißt: im Zielwert; fehlt eine der Zahlen: „keine Daten“.",
            "berechnet",
            "–",
        ),
        Term(
            "need_cost",
            "Kosten des Bedarfs",
            "Verstärkungsbedarf × Kosten je VZÄ und Jahr (Eingabe in der Seitenleiste, Vorgabe "
            f"{fmt.number(settings.DEFAULT_COST_PER_FTE)} € als obere Förderrate je Stelle).",
            "€ je Jahr",
            "0 € heißt: im Zielwert; fehlt eine der Zahlen: „keine Daten“.",
            "berechnet",
            "–",
        ),
        Term(
            "fte_per_100k",
            "Beratungskapazität je Einwohner",
            "VZÄ je 100.000 Einwohner.",
            "VZÄ je 100.000 Einwohner",
            "Fehlt die VZÄ-Meldung: „keine Daten“.",
            f"berechnet; {POPULATION_NOTE}",
            POPULATION_LICENCE,
        ),
        Term(
            "arrivals_per_1000",
            "Zugänge je Einwohner",
            "Zugänge im gewählten Zeitraum je 1.000 Einwohner.",
            "Zugänge je 1.000 Einwohner",
            "Fehlen alle Monate des Zeitraums: „keine Daten“.",
            f"berechnet; {POPULATION_NOTE}",
            POPULATION_LICENCE,
        ),
        Term(
            "aggregates",
            "Regierungsbezirk und Land",
            "Summen der Zählgrößen der Kreise und Quotienten der Summen, nie Mittelwerte von Quotienten. "
            "Rang 1 = höchste Belastung.",
            "wie die Kennzahl",
            "Kreise ohne Angabe zählen nicht mit; die Karten sagen, aus wie vielen Kreisen die Summe ist.",
            "berechnet",
            "–",
        ),
        Term(
            "target",
            "Zielwert",
            "Betreuungsschlüssel, bis zu dem ein Kreis im Ziel liegt; einstellbar. Einen amtlichen Schlüssel gibt es "
            "nicht. Die Förderung 2017/18 (796,08 € je berechtigter Person für 24 Monate gegenüber 51.000–64.000 € "
            f"je Stelle und Jahr) ergibt 128–161 Personen je Stelle; Vorgabe {fmt.number(settings.DEFAULT_TARGET_RATIO)}.",
            "Geflüchtete je VZÄ",
            "–",
            "Annahme",
            "–",
        ),
        Term(
            "stand",
            "Stand",
            "Stichtag der Zahlen. Je Kreis und Kennzahl gilt der neueste Wert bis zu diesem Tag; jede Grafik und "
            "jede Datei nennt ihn.",
            "Datum",
            "Hat ein Kreis vor dem Stand keinen Wert: „keine Daten“.",
            "–",
            "–",
        ),
    ]


# The reported measures a term's figures come from: its Stand is theirs. Terms not listed have no Stand of their own.
FROM_MEASURES: dict[str, tuple[str, ...]] = {
    "counsellors_fte": ("counsellors_fte",),
    "counsellors_headcount": ("counsellors_headcount",),
    "refugees_in_care": ("refugees_in_care",),
    "arrivals": ("arrivals",),
    "ratio": ("refugees_in_care", "counsellors_fte"),
    "status": ("refugees_in_care", "counsellors_fte"),
    "need_fte": ("refugees_in_care", "counsellors_fte"),
    "need_cost": ("refugees_in_care", "counsellors_fte"),
    "fte_per_100k": ("counsellors_fte",),
    "arrivals_per_1000": ("arrivals",),
}


def stand(key: str, stands: Mapping[str, str], labels: Mapping[str, str]) -> str | None:
    """The Stand of a term in the store: `stands` maps a measure key to its Stand as text (export.files.stands_by_measure),
    `labels` a measure key to its name. None for a term that has no Stand of its own (the Zielwert, the Stand)."""
    measures = FROM_MEASURES.get(key, ())
    if not measures:
        return None
    if len(measures) == 1:
        return stands.get(measures[0], fmt.NO_DATA)
    return "; ".join(f"{labels[m]}: {stands.get(m, fmt.NO_DATA)}" for m in measures)


def term(key: str, thresholds: Thresholds | None = None) -> Term:
    return next(t for t in terms(thresholds) if t.key == key)


def tip(key: str, thresholds: Thresholds | None = None, *, lead: str = "", tail: str = "") -> str:
    """A tooltip from the glossary: the term's definition, with what the place adds before and after it."""
    return " ".join(part for part in (lead, term(key, thresholds).definition, tail) if part)


def short_definitions(thresholds: Thresholds | None = None) -> list[tuple[str, str]]:
    """(Begriff, Definition with the rule for missing and zero) for print: the Kreisprofil PDF."""
    return [(t.name, t.definition if t.missing == "–" else f"{t.definition} {t.missing}") for t in terms(thresholds)]


GEHEIMHALTUNG = "Geheimhaltung"
SWITCH = "Geheimhaltung anwenden (presssicher)"


def switch_help(rule: Rule) -> str:
    """The help of the export's switch: what it changes, in one breath."""
    return (
        f"An (Vorgabe): Gemeindezahlen unter {fmt.number(rule.min_persons)} Personen erscheinen als "
        f"„{fmt.SUPPRESSED}“, Personen je Gemeinde auf Vielfache von {fmt.number(rule.rounding)} gerundet; "
        "Metadaten, LIESMICH und PDF nennen die Regel. Aus: genaue Werte, nur für den Dienstgebrauch."
    )


def sign_meanings(rule: Rule) -> dict[Cell, str]:
    """What each sign of a Gemeinde figure means, in the words of the Zeichenerklärung; 'x' only where the rule
    applies."""
    meanings = {
        Cell.ZERO: f"{fmt.ZERO} = nichts vorhanden (genau null)",
        Cell.MISSING: f"{fmt.UNKNOWN} = Zahlenwert unbekannt (nicht gemeldet)",
    }
    if rule.applied:
        meanings = {
            Cell.SUPPRESSED: f"{fmt.SUPPRESSED} = Tabellenfach gesperrt (Geheimhaltung: weniger als "
            f"{fmt.number(rule.min_persons)} Personen, oder gesperrt, damit sich ein solcher Wert nicht aus der "
            "Kreissumme errechnen lässt)",
            **meanings,
        }
    return meanings


def zeichenerklaerung(rule: Rule) -> str:
    """The footnote under every Gemeinde table, card and map: the signs that stand for no number."""
    return "Zeichenerklärung: " + "; ".join(sign_meanings(rule).values()) + "."


def disclosure_rule(rule: Rule) -> str:
    """Which rule was applied, with threshold and rounding base: for Metadaten, LIESMICH and the PDF's notes."""
    if not rule.applied:
        return (
            "nicht angewandt: Gemeindezahlen ungerundet und vollständig, auch Werte unter "
            f"{fmt.number(rule.min_persons)} Personen – nur für den Dienstgebrauch, nicht zur Veröffentlichung."
        )
    return (
        f"angewandt (presssicher). Gemeindezahlen über 0 und unter {fmt.number(rule.min_persons)} Personen sind "
        f"gesperrt ({fmt.SUPPRESSED}); ist in einem Kreis nur eine Gemeinde gesperrt, ist auch die mit der "
        "nächstkleineren Zahl gesperrt, damit sich der Wert nicht aus der Kreissumme errechnen lässt. Personen je "
        f"Gemeinde sind auf Vielfache von {fmt.number(rule.rounding)} gerundet (wie GENESIS 12531, Halbe aufwärts); "
        "Kreis-, Bezirks- und Landeszahlen ungerundet. Arbeiten in einem Kreis weniger als "
        f"{fmt.number(rule.min_staff)} Personen im Integrationsmanagement, steht bei den Gemeinden keine Personalzahl "
        f"({fmt.SUPPRESSED})."
    )
