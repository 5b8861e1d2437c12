"""What the Landesübersicht says: key figures, KPIs, changes and the summary sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from lagebild.domain import analysis
from lagebild.domain.measures import METRICS, Status, status_labels
from lagebild.present import fmt, glossary
from lagebild.settings import Thresholds


def figure_text(value: object, metric: str) -> str:
    m = METRICS[metric]
    return fmt.number(value, m.decimals, m.unit)


def stand_note(when: object, as_of: date) -> str:
    """'Stand 30.09.2026', with the age when older than the chosen Stand."""
    if not isinstance(when, date):
        return ""
    if when < as_of:
        days = (as_of - when).days
        return f"Stand {fmt.day(when)}, {fmt.number(days)} Tage älter"
    return f"Stand {fmt.day(when)}"


def key_figures(
    row: pd.Series, as_of: date, thresholds: Thresholds, period: analysis.Period | None
) -> list[tuple[str, str]]:
    """Label and text of every key figure of one Kreis, with unit and Stand."""
    status = Status(row["status"])
    ratio = f"{status.label} (0 VZÄ)" if status is Status.NO_CAPACITY else figure_text(row["ratio"], "ratio")
    need = figure_text(row["need_fte"], "need_fte")
    if row.get("surplus_fte", 0) and row["surplus_fte"] > 0:
        need += f" (Überhang {fmt.number(row['surplus_fte'], 1, 'VZÄ')})"
    care_stand = stand_note(row["refugees_in_care_date"], as_of)
    fte_stand = stand_note(row["counsellors_fte_date"], as_of)
    figures = [
        ("Status", f"{status.label} (Zielwert {fmt.number(thresholds.target)})"),
        ("Betreuungsschlüssel", ratio),
        (
            "Geflüchtete in Betreuung",
            figure_text(row["refugees_in_care"], "refugees_in_care") + (f" ({care_stand})" if care_stand else ""),
        ),
        (
            "Integrationsmanagement",
            f"{figure_text(row['counsellors_fte'], 'counsellors_fte')} / "
            f"{figure_text(row['counsellors_headcount'], 'counsellors_headcount')}"
            + (f" ({fte_stand})" if fte_stand else ""),
        ),
        ("Verstärkungsbedarf", need),
        (
            "Kosten des Bedarfs",
            fmt.euro_mio(row["need_cost"]) + (" je Jahr" if not fmt.is_missing(row["need_cost"]) else ""),
        ),
        ("VZÄ je 100.000 Einw.", fmt.number(row["fte_per_100k"], 1)),
    ]
    if period is not None:
        arrivals = fmt.number(row["arrivals"], 0, "Personen")
        if not fmt.is_missing(row["arrivals"]):
            arrivals += f" (Ukraine {fmt.number(row['arrivals_ukraine'])}, Asyl {fmt.number(row['arrivals_asyl'])})"
        figures.append((f"Zugänge {fmt.period(period)}", arrivals))
        figures.append(("Zugänge je 1.000 Einw.", fmt.number(row["arrivals_per_1000"], 1)))
    figures.append(
        (f"Einwohner {fmt.day(row['population_date'])}", f"{fmt.number(row['population'])} ({_origin(row)})")
    )
    if origin := provenance(row):
        figures.append(("Import (Nr.)", origin))
    return figures


def _origin(row: pd.Series) -> str:
    return glossary.population_origin(row["population_source"], row["population_reference"])


def population_text(row: pd.Series) -> str:
    """A Kreis's population as its header says it: '613.881 Einwohner 31.12.2024 (Destatis/…, Tabelle 12411-01-01-4)'."""
    return f"{fmt.number(row['population'])} Einwohner {fmt.day(row['population_date'])} ({_origin(row)})"


PROVENANCE_LABELS = {
    "refugees_in_care": "Betreuung",
    "counsellors_fte": "VZÄ",
    "counsellors_headcount": "Personen",
    "population": "Einwohner",
}


def provenance(row: pd.Series) -> str | None:
    """Which import each stock figure of a Kreis came from; the Daten page lists the imports by number."""
    by_import: dict[int, list[str]] = {}
    for measure, label in PROVENANCE_LABELS.items():
        number = row.get(f"{measure}_import")
        if not fmt.is_missing(number):
            by_import.setdefault(int(number), []).append(label)
    if len(by_import) == 1:
        return f"Nr. {next(iter(by_import))}"
    return " · ".join(f"{', '.join(labels)} Nr. {number}" for number, labels in by_import.items()) or None


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    delta: str | None
    help: str
    delta_color: Literal["normal", "inverse", "off"] = "normal"


def _delta(now: float, before: float | None, decimals: int = 0, unit: str = "") -> str | None:
    if before is None or fmt.is_missing(before) or fmt.is_missing(now):
        return None
    return fmt.signed(now - before, decimals, unit)


def kpis(
    now: analysis.Totals,
    before: analysis.Totals | None,
    thresholds: Thresholds,
    period: analysis.Period | None,
    as_of: date,
    previous: date | None,
) -> list[Kpi]:
    """Eight cards, leadership's question first: how many Kreise are critical, how many posts, at what cost."""
    b = before
    since = f"Veränderung gegenüber Stand {fmt.day(previous)}" if previous else "kein früherer Stand"
    complete = (
        f"; aus {now.complete} von {now.n_kreise} Kreisen mit vollständigen Angaben"
        if now.complete < now.n_kreise
        else ""
    )
    period_text = fmt.period(period) if period else "keine Zugangsdaten"
    critical_above = fmt.number(thresholds.critical_above, 1)
    return [
        Kpi(
            "Kritische Kreise",
            f"{now.critical} von {now.n_kreise}",
            _delta(now.critical, b.critical if b else None),
            glossary.tip(
                "status",
                thresholds,
                lead=f"Kritisch: über {critical_above} Geflüchteten je VZÄ oder keine Beratungskapazität.",
                tail=f"Stand {fmt.day(as_of)}. {since}.",
            ),
            "inverse",
        ),
        Kpi(
            "Kreise über Zielwert",
            f"{now.above_target} von {now.n_kreise}",
            _delta(now.above_target, b.above_target if b else None),
            f"Über {fmt.number(thresholds.target)} Geflüchteten je VZÄ, davon kritisch: {now.critical}. {since}.",
            "inverse",
        ),
        Kpi(
            "Verstärkungsbedarf",
            fmt.number(now.need_fte, 1, "VZÄ"),
            _delta(now.need_fte, b.need_fte if b else None, 1, "VZÄ"),
            glossary.tip("need_fte", thresholds, lead="Summe über die Kreise.", tail=f"{since}."),
            "inverse",
        ),
        Kpi(
            "Kosten des Bedarfs",
            f"{fmt.euro_mio(now.need_cost)} je Jahr",
            _delta(now.need_cost / 1_000_000, b.need_cost / 1_000_000 if b else None, 2, "Mio. €"),
            glossary.tip("need_cost", thresholds, tail=f"{since}."),
            "inverse",
        ),
        Kpi(
            "Betreuungsschlüssel Land",
            fmt.number(now.ratio, 0, "je VZÄ"),
            _delta(now.ratio, b.ratio if b else None, 0),
            glossary.tip(
                "ratio",
                thresholds,
                lead=f"Land: Summe über Summe{complete}.",
                tail=f"Zielwert {fmt.number(thresholds.target)}. {since}.",
            ),
            "inverse",
        ),
        Kpi(
            "Geflüchtete in Betreuung",
            fmt.number(now.refugees_in_care, 0, "Pers."),
            _delta(now.refugees_in_care, b.refugees_in_care if b else None),
            f"Stand {fmt.day(as_of)}. {since}.",
            "inverse",
        ),
        Kpi(
            "Integrationsmanagement",
            fmt.number(now.counsellors_fte, 1, "VZÄ"),
            _delta(now.counsellors_fte, b.counsellors_fte if b else None, 1, "VZÄ"),
            f"{fmt.number(now.counsellors_headcount)} Personen auf {fmt.number(now.counsellors_fte, 1)} Vollzeitäquivalenten"
            + (f" ({fmt.signed(now.counsellors_headcount - b.counsellors_headcount)} Personen)" if b else "")
            + f", Stand {fmt.day(as_of)}. {since}.",
        ),
        Kpi(
            f"Zugänge {period_text}",
            fmt.number(now.arrivals, 0, "Pers."),
            None,
            f"davon Ukraine {fmt.number(now.arrivals_ukraine)}, Asyl {fmt.number(now.arrivals_asyl)} "
            f"(Monate {period_text}).",
        ),
    ]


def top_critical(table: pd.DataFrame, n: int = 5) -> list[tuple[str, str]]:
    """The n most burdened Kreise above the target, worst first: key and one line of German markdown."""
    above = table[table["status"].isin([Status.CRITICAL.value, Status.NO_CAPACITY.value, Status.ELEVATED.value])]
    ranked = above.assign(_order=above["ratio"].fillna(float("inf"))).sort_values("_order", ascending=False).head(n)
    rows = []
    for key, row in ranked.iterrows():
        no_capacity = row["status"] == Status.NO_CAPACITY.value
        ratio = Status.NO_CAPACITY.label if no_capacity else fmt.number(row["ratio"], 0, "je VZÄ")
        status = "" if row["status"] == Status.CRITICAL.value or no_capacity else f" ({Status(row['status']).label})"
        rows.append((str(key), f"**{row['name']}** · {ratio} · {fmt.number(row['need_fte'], 1, 'VZÄ')} fehlen{status}"))
    return rows


def changes(now: pd.DataFrame, before: pd.DataFrame | None, n_movers: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kreise whose status changed, and the largest movers of the ratio."""
    cols = ["name", "status_before", "status", "ratio_before", "ratio", "change"]
    if before is None:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    joined = now[["name", "status", "ratio"]].join(before[["status", "ratio"]].add_suffix("_before"))
    joined["change"] = joined["ratio"] - joined["ratio_before"]
    severity = {s.value: s.severity for s in Status}
    changed = joined[joined["status"] != joined["status_before"]].copy()
    changed["direction"] = np.sign(
        changed["status"].map(severity).astype(float) - changed["status_before"].map(severity).astype(float)
    )
    changed = changed.sort_values(["direction", "change"], ascending=[False, False])
    movers = joined.dropna(subset=["change"])
    movers = movers.reindex(movers["change"].abs().sort_values(ascending=False).index).head(n_movers)
    return changed[cols], movers[cols]


def summary(
    table: pd.DataFrame, total: analysis.Totals, thresholds: Thresholds, as_of: date, region: str | None = None
) -> str:
    """A few sentences a minister can read aloud; also the alt text of map and chart."""
    t = fmt.number(thresholds.target)
    where = f"{region}: " if region else ""
    parts = [
        f"Stand {fmt.day(as_of)}: {where}{total.above_target} von {total.n_kreise} Kreisen liegen über dem Zielwert von "
        f"{t} Geflüchteten je VZÄ, {total.critical} davon kritisch."
    ]
    ranked = table.dropna(subset=["ratio"]).sort_values("ratio", ascending=False)
    if len(ranked):
        top = ranked.iloc[0]
        parts.append(
            f"Am höchsten ist die Belastung im Kreis {top['name']} mit {fmt.number(top['ratio'])} Geflüchteten je VZÄ."
        )
    no_cap = table[table["status"] == Status.NO_CAPACITY.value]
    if len(no_cap):
        parts.append(f"Ohne Beratungskapazität: {', '.join(no_cap['name'])}.")
    if total.need_fte > 0:
        parts.append(
            f"Um alle Kreise auf den Zielwert zu bringen, wären {fmt.number(total.need_fte, 1)} zusätzliche VZÄ nötig "
            f"(rund {fmt.euro(total.need_cost)} je Jahr)."
        )
    else:
        parts.append("Alle Kreise mit Angaben liegen im Zielwert; es besteht kein Verstärkungsbedarf.")
    scope = f"In der Auswahl ({region})" if region else "Landesweit"
    parts.append(f"{scope} kommen {fmt.number(total.ratio)} Geflüchtete auf ein VZÄ.")
    if total.no_data:
        parts.append(f"Für {fmt.count(total.no_data, 'Kreis', 'Kreise')} liegen keine vollständigen Daten vor.")
    return " ".join(parts)


RANKING_FORMATS = {
    "Geflüchtete je VZÄ": 0,
    "Bedarf (VZÄ)": 1,
    "In Betreuung (Pers.)": 0,
    "VZÄ": 1,
    "Personen": 0,
    "Zugänge (Pers.)": 0,
    "VZÄ je 100.000 Einw.": 1,
    "Zugänge je 1.000 Einw.": 1,
}


# On screen the ratio stands right after the name, so the narrow table beside the chart needs no scrolling;
# the key stays in the frame (it says which row is which Kreis) and in the exports.
RANKING_ON_SCREEN = (
    "Kreis",
    "Geflüchtete je VZÄ",
    "Status",
    "Bedarf (VZÄ)",
    "In Betreuung (Pers.)",
    "VZÄ",
    "Personen",
    "Zugänge (Pers.)",
    "VZÄ je 100.000 Einw.",
    "Zugänge je 1.000 Einw.",
    "Stand Betreuung",
    "AGS",
)


def ranking_table(table: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """All key figures, numeric for sorting; German headers with units."""
    frame = pd.DataFrame(
        {
            "AGS": table.index,
            "Kreis": table["name"],
            "Status": status_labels(table["status"]),
            "Geflüchtete je VZÄ": table["ratio"],
            "Bedarf (VZÄ)": table["need_fte"],
            "In Betreuung (Pers.)": table["refugees_in_care"],
            "VZÄ": table["counsellors_fte"],
            "Personen": table["counsellors_headcount"],
            "Zugänge (Pers.)": table["arrivals"],
            "VZÄ je 100.000 Einw.": table["fte_per_100k"],
            "Zugänge je 1.000 Einw.": table["arrivals_per_1000"],
            "Stand Betreuung": [
                fmt.day(d) if isinstance(d, date) else fmt.NO_DATA for d in table["refugees_in_care_date"]
            ],
        }
    )
    return frame.sort_values("Geflüchtete je VZÄ", ascending=False, na_position="last").reset_index(drop=True)


def style_ranking(frame: pd.DataFrame, selected: str | None):  # noqa: ANN201 - pandas Styler
    """German number format for display, numbers underneath for sorting; the selected Kreis in bold."""
    formats = {col: (lambda v, d=d: fmt.number(v, d)) for col, d in RANKING_FORMATS.items()}
    styler = frame.style.format(formats)
    if selected in set(frame["AGS"]):
        # One styled row via a subset: a row-wise apply over all 44 rows costs more than the table.
        row = frame.index[frame["AGS"] == selected]
        styler = styler.set_properties(
            subset=pd.IndexSlice[row, :], **{"font-weight": "700", "background-color": "#fde68a"}
        )
    return styler


def change_lines(changed: pd.DataFrame) -> list[str]:
    lines = []
    for _, r in changed.iterrows():
        now, before = Status(r["status"]), Status(r["status_before"])
        arrow = "verschlechtert" if now.severity > before.severity else "verbessert"
        lines.append(
            f"- **{r['name']}**: {before.label} → {now.label} ({arrow}; "
            f"{fmt.number(r['ratio_before'])} → {fmt.number(r['ratio'])} je VZÄ)"
        )
    return lines


def mover_lines(movers: pd.DataFrame) -> list[str]:
    return [
        f"- **{r['name']}**: {fmt.signed(r['change'], 0)} auf {fmt.number(r['ratio'])} Geflüchtete je VZÄ"
        for _, r in movers.iterrows()
    ]
