"""What the Personalbedarf says: sentences, tables with German headers and their number formats, the method."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from lagebild.domain import analysis, planning
from lagebild.domain import measures as ms
from lagebild.domain.planning import (
    Band,
    Projection,
    Rule,
    allocate,
    allocation_weights,
    band_out_of_order,
    monthly_flows,
    priority_list,
    spread,
)
from lagebild.domain.regions import RB_NAMES
from lagebild.present import fmt
from lagebild.present.classify import Classified, Scheme, classify
from lagebild.settings import Thresholds

# --- Need and cost now -------------------------------------------------------------------------


def kreis_phrase(name: str, kind: str) -> str:
    """'Landkreis Böblingen', 'Stadtkreis Heilbronn', 'Hohenlohekreis': how a sentence names a Kreis."""
    base = name.removesuffix(f" ({kind})")
    return base if base.lower().endswith("kreis") else f"{kind} {base}"


def kreis_sentence(row: pd.Series, thresholds: Thresholds, cost_per_fte: float) -> str:
    """One sentence (or two) about one Kreis that a minister can read aloud."""
    where = f"Im {kreis_phrase(str(row['name']), str(row['kind']))}"
    target = fmt.number(thresholds.target)
    status = ms.Status(row["status"])
    care, fte = row["refugees_in_care"], row["counsellors_fte"]
    if status is ms.Status.NO_DATA:
        missing = "Geflüchtete in Betreuung" if fmt.is_missing(care) else "VZÄ im Integrationsmanagement"
        return f"{where} fehlt die Angabe „{missing}“; Bedarf und Kosten lassen sich nicht berechnen (keine Daten)."
    need, cost = row["need_fte"], row["need_fte"] * cost_per_fte
    if status is ms.Status.NO_CAPACITY:
        return (
            f"{where} werden {fmt.number(care)} Geflüchtete betreut, aber es ist keine Beratungskapazität "
            f"gemeldet (0 VZÄ). Für den Zielwert von {target} Geflüchteten je VZÄ braucht es "
            f"{fmt.number(need, 1)} VZÄ, rund {fmt.euro(cost)} im Jahr."
        )
    head = (
        f"{where} kommen {fmt.number(row['ratio'])} Geflüchtete auf ein VZÄ "
        f"({fmt.number(care)} Geflüchtete, {fmt.number(fte, 1)} VZÄ)."
    )
    if need > 0:
        return (
            f"{head} Für den Zielwert von {target} fehlen {fmt.number(need, 1)} VZÄ; "
            f"das kostet rund {fmt.euro(cost)} im Jahr."
        )
    surplus = row["surplus_fte"]
    if surplus > 0:
        return f"{head} Der Zielwert von {target} ist erreicht; rechnerisch sind {fmt.number(surplus, 1)} VZÄ mehr da als nötig."
    return f"{head} Der Zielwert von {target} ist genau erreicht."


NEED_COLUMNS = {
    "In Betreuung (Pers.)": 0,
    "VZÄ": 1,
    "Geflüchtete je VZÄ": 0,
    "VZÄ nötig (Zielwert)": 1,
    "Bedarf (VZÄ)": 1,
    "Überhang (VZÄ)": 1,
    "Kosten (€ je Jahr)": 0,
}


def need_table(table: pd.DataFrame) -> pd.DataFrame:
    """The priority list with German headers and units; numbers stay numbers for sorting."""
    ordered = priority_list(table)
    return pd.DataFrame(
        {
            "Rang": range(1, len(ordered) + 1),
            "AGS": ordered.index,
            "Kreis": ordered["name"],
            "Regierungsbezirk": ordered["rb_name"],
            "Status": ms.status_labels(ordered["status"]),
            "In Betreuung (Pers.)": ordered["refugees_in_care"],
            "VZÄ": ordered["counsellors_fte"],
            "Geflüchtete je VZÄ": ordered["ratio"],
            "VZÄ nötig (Zielwert)": ordered["required_fte"],
            "Bedarf (VZÄ)": ordered["need_fte"],
            "Überhang (VZÄ)": ordered["surplus_fte"],
            "Kosten (€ je Jahr)": ordered["need_cost"],
        }
    ).reset_index(drop=True)


def area_totals(table: pd.DataFrame) -> pd.DataFrame:
    """One row per Regierungsbezirk and one for the Land: sums of counts, ratios of sums, need as the sum of gaps."""
    groups = [(f"RB {RB_NAMES[rb]}", part) for rb, part in table.groupby("rb")] + [("Land Baden-Württemberg", table)]
    rows = []
    for label, part in groups:
        total = analysis.totals(part)
        rows.append(
            {
                "Gebiet": label,
                "In Betreuung (Pers.)": total.refugees_in_care,
                "VZÄ": total.counsellors_fte,
                "Geflüchtete je VZÄ": total.ratio,
                "VZÄ nötig (Zielwert)": float(part["required_fte"].sum(min_count=1)),
                "Bedarf (VZÄ)": total.need_fte,
                "Überhang (VZÄ)": float(part["surplus_fte"].sum(min_count=1)),
                "Kosten (€ je Jahr)": total.need_cost,
                "Kreise über Zielwert": f"{total.above_target} von {total.n_kreise}",
            }
        )
    return pd.DataFrame(rows)


def need_summary(table: pd.DataFrame, thresholds: Thresholds, as_of: date) -> str:
    """The statewide answer in two or three sentences: how many posts, where, at what cost."""
    total = analysis.totals(table)
    target = fmt.number(thresholds.target)
    with_need = table[table["need_fte"] > 0]
    if not len(with_need):
        text = f"Stand {fmt.day(as_of)}: Alle Kreise mit Angaben liegen im Zielwert von {target} Geflüchteten je VZÄ; es fehlen keine Stellen."
    else:
        top = priority_list(table).iloc[0]
        text = (
            f"Stand {fmt.day(as_of)}: Um alle Kreise auf den Zielwert von {target} Geflüchteten je VZÄ zu bringen, "
            f"braucht es {fmt.number(total.need_fte, 1)} zusätzliche VZÄ in {len(with_need)} von {total.n_kreise} "
            f"Kreisen, rund {fmt.euro(total.need_cost)} im Jahr. Den größten Bedarf hat der "
            f"{kreis_phrase(str(top['name']), str(top['kind']))} mit {fmt.number(top['need_fte'], 1)} VZÄ."
        )
    surplus = float(table["surplus_fte"].sum(min_count=1))
    if surplus > 0:
        text += f" Ein Überhang von zusammen {fmt.number(surplus, 1)} VZÄ in anderen Kreisen ist nicht gegengerechnet."
    if total.no_data:
        text += f" Für {fmt.count(total.no_data, 'Kreis', 'Kreise')} fehlen Angaben (keine Daten)."
    return text


# --- Scenario: the next months -----------------------------------------------------------------


def band_problem(low: float, expected: float, high: float) -> str | None:
    """A German message when the three assumptions are not in order (low ≤ expected ≤ high), else None."""
    which = band_out_of_order(low, expected, high)
    if which == "low":
        return (
            f"Die niedrige Annahme ({fmt.number(low)} Zugänge je Monat) liegt über der erwarteten "
            f"({fmt.number(expected)}). Bitte eine niedrige Annahme bis {fmt.number(expected)} eingeben; "
            "bis dahin zeigt die Projektion keine Spanne."
        )
    if which == "high":
        return (
            f"Die hohe Annahme ({fmt.number(high)} Zugänge je Monat) liegt unter der erwarteten "
            f"({fmt.number(expected)}). Bitte eine hohe Annahme ab {fmt.number(expected)} eingeben; "
            "bis dahin zeigt die Projektion keine Spanne."
        )
    return None


def _span(low: float, high: float, decimals: int = 0, unit: str = "") -> str:
    if round(low, decimals) == round(high, decimals):
        return fmt.number(low, decimals, unit)
    return f"{fmt.number(low, decimals)} bis {fmt.number(high, decimals, unit)}"


def _need_span(low: float, high: float) -> str:
    """'es fehlten 3,2 bis 8,0 VZÄ', 'bis zu 2,1 VZÄ' when the low run needs none, 'keine VZÄ' when neither does."""
    if round(high, 1) <= 0:
        return "es fehlten keine VZÄ"
    if round(low, 1) <= 0:
        return f"es fehlten bis zu {fmt.number(high, 1, 'VZÄ')}"
    return f"es fehlten {_span(low, high, 1, 'VZÄ')}"


def band_sentence(band: Band) -> str:
    """The range at the horizon for the Land: need, cost and persons in care under low and high arrivals."""
    end = band.land().iloc[-1]
    low, _, high = band.arrivals
    if fmt.is_missing(end["need_fte_low"]) or fmt.is_missing(end["need_fte_high"]):
        return ""
    return (
        f"Spanne: bei {_span(low, high)} Zugängen je Monat wären Ende {fmt.month(band.expected.horizon)} "
        f"{_span(end['refugees_in_care_low'], end['refugees_in_care_high'])} Geflüchtete in Betreuung, und "
        f"{_need_span(end['need_fte_low'], end['need_fte_high'])}"
        + (
            f" ({fmt.euro_mio(end['need_cost_low'])} bis {fmt.euro_mio(end['need_cost_high'])} je Jahr)."
            if round(end["need_fte_high"], 1) > 0
            else "."
        )
    )


def kreis_band_sentence(band: Band, key: str) -> str:
    """The range at the horizon for one Kreis, or "" where the Kreis has no data to project."""
    end = band.kreis(key).iloc[-1]
    if ms.Status(end["status"]) is ms.Status.NO_DATA or fmt.is_missing(end["refugees_in_care_low"]):
        return ""
    low, _, high = band.arrivals
    return (
        f"Spanne bei {_span(low, high)} Zugängen je Monat im Land: Ende {fmt.month(band.expected.horizon)} "
        f"{_span(end['refugees_in_care_low'], end['refugees_in_care_high'])} Geflüchtete in Betreuung, "
        f"{_span(end['ratio_low'], end['ratio_high'])} je VZÄ; {_need_span(end['need_fte_low'], end['need_fte_high'])}."
    )


def horizon_need_classes(horizon_table: pd.DataFrame, thresholds: Thresholds, horizon: date) -> Classified:
    """Map classes of the projected need, titled with the horizon."""
    classified = classify(horizon_table, "need_fte", Scheme.NATURAL_BREAKS, thresholds)
    return replace(classified, title=f"Projizierter Verstärkungsbedarf (VZÄ), Ende {fmt.month(horizon)}")


def crossings(projection: Projection) -> pd.DataFrame:
    """The Kreise's crossings of the target (domain.planning.crossings) with what each means in words ('text')."""
    cross = planning.crossings(projection)
    cross["text"] = [crossing_text(row, projection.horizon) for _, row in cross.iterrows()]
    return cross


def crossing_text(crossing: pd.Series, horizon: date) -> str:
    """'über dem Zielwert ab März 2025', 'im Ziel bis mindestens Juni 2025', 'keine Daten': one row of crossings."""
    if crossing["no_data"]:
        return fmt.NO_DATA
    month = crossing["month"]
    if not pd.isna(month):
        return (
            f"über dem Zielwert ab {fmt.month(month)}"
            if crossing["direction"] == "up"
            else f"wieder im Ziel ab {fmt.month(month)}"
        )
    if crossing["above_now"]:
        return f"über dem Zielwert bis mindestens {fmt.month(horizon)}"
    return f"im Ziel bis mindestens {fmt.month(horizon)}"


def flows_sentence(projection: Projection) -> str:
    """Why the number in care moves as it does: persons coming into care against persons leaving it.

    More arrivals do not mean more persons in care when departures, a share of everyone in care, outweigh the share of
    arrivals that reaches the counsellors, and that only after the delay.
    """
    intake, departures = monthly_flows(projection)
    if fmt.is_missing(intake) or fmt.is_missing(departures):
        return ""
    scenario = projection.scenario
    out = f"Abgänge (≈ {fmt.number(departures)} je Monat, {fmt.number(scenario.departure_rate * 100, 1, '%')} der Betreuten)"
    delay = f", {fmt.count(scenario.delay_months, 'Monat', 'Monate')} später" if scenario.delay_months else ""
    into = (
        f"Zugänge in die Betreuung (≈ {fmt.number(intake)} je Monat: {fmt.number(scenario.reach_share * 100, 0, '%')} "
        f"der Zugänge{delay})"
    )
    if round(intake) == round(departures):
        return f"Die {into} und die {out} halten sich die Waage."
    if departures > intake:
        return f"Die {out} übersteigen die {into}."
    return f"Die {into} übersteigen die {out}."


def projection_summary(projection: Projection) -> str:
    """What the scenario says for the Land at the horizon, against today."""
    land = projection.land()
    now, end = land.iloc[0], land.iloc[-1]
    cross = crossings(projection)
    newly = int((cross["direction"] == "up").sum())
    back = int((cross["direction"] == "down").sum())
    horizon = fmt.month(projection.horizon)
    trend = "steigt" if end["refugees_in_care"] > now["refugees_in_care"] else "sinkt"
    if fmt.is_missing(end["refugees_in_care"]) or round(end["refugees_in_care"]) == round(now["refugees_in_care"]):
        trend = "bleibt"
    why = flows_sentence(projection)
    text = (
        f"Bis Ende {horizon} {trend} die Zahl der Geflüchteten in Betreuung von {fmt.number(now['refugees_in_care'])} "
        f"auf {fmt.number(end['refugees_in_care'])}.{' ' + why if why else ''} Bei gleichbleibenden {fmt.number(end['counsellors_fte'], 1)} VZÄ "
        f"kämen dann {fmt.number(end['ratio'])} Geflüchtete auf ein VZÄ; es fehlten {fmt.number(end['need_fte'], 1)} VZÄ "
        f"({fmt.signed(end['need_fte'] - now['need_fte'], 1, 'VZÄ')} gegenüber heute), rund {fmt.euro(end['need_cost'])} "
        f"im Jahr. {fmt.count(int(end['above_target']), 'Kreis läge', 'Kreise lägen')} über dem Zielwert "
        f"(heute {int(now['above_target'])})."
    )
    if newly:
        text += f" {fmt.count(newly, 'Kreis überschreitet', 'Kreise überschreiten')} den Zielwert erst in den nächsten Monaten."
    if back:
        text += f" {fmt.count(back, 'Kreis kommt', 'Kreise kommen')} wieder ins Ziel."
    return text


def kreis_projection_sentence(projection: Projection, key: str, cross: pd.DataFrame) -> str:
    """One Kreis at the horizon: persons in care, ratio, need and cost, and when it crosses the target."""
    end = projection.tables[-1].loc[key]
    horizon = fmt.month(projection.horizon)
    status = ms.Status(end["status"])
    if status is ms.Status.NO_DATA:
        return f"Für Ende {horizon} lässt sich nichts projizieren (keine Daten)."
    ratio = f"{status.label} (0 VZÄ)" if status is ms.Status.NO_CAPACITY else f"{fmt.number(end['ratio'])} je VZÄ"
    need = (
        f"es fehlen {fmt.number(end['need_fte'], 1)} VZÄ, rund {fmt.euro(end['need_cost'])} im Jahr"
        if end["need_fte"] > 0
        else "es fehlen keine VZÄ"
    )
    return (
        f"Ende {horizon} {fmt.number(end['refugees_in_care'])} Geflüchtete in Betreuung, {ratio}; {need}. "
        f"Zielwert: {cross.loc[key, 'text']}."
    )


def crossing_lines(cross: pd.DataFrame, names: pd.Series) -> list[str]:
    """Markdown lines for the Kreise that cross the target within the horizon, earliest first."""
    moving = cross.dropna(subset=["month"]).sort_values(["month", "direction"])
    return [f"- **{names[k]}:** {row['text']}" for k, row in moving.iterrows() if k in names.index]


PROJECTION_COLUMNS = {
    "Geflüchtete heute (Pers.)": 0,
    "Geflüchtete am Horizont (Pers.)": 0,
    "VZÄ (gehalten)": 1,
    "Geflüchtete je VZÄ heute": 0,
    "Geflüchtete je VZÄ am Horizont": 0,
    "Bedarf heute (VZÄ)": 1,
    "Bedarf am Horizont (VZÄ)": 1,
    "Kosten am Horizont (€ je Jahr)": 0,
}


def projection_table(projection: Projection) -> pd.DataFrame:
    """Today against the horizon per Kreis, with the month each Kreis crosses the target."""
    now, end = projection.tables[0], projection.tables[-1]
    cross = crossings(projection)
    frame = pd.DataFrame(
        {
            "AGS": now.index,
            "Kreis": now["name"],
            "Geflüchtete heute (Pers.)": now["refugees_in_care"],
            "Geflüchtete am Horizont (Pers.)": end["refugees_in_care"],
            "VZÄ (gehalten)": now["counsellors_fte"],
            "Geflüchtete je VZÄ heute": now["ratio"],
            "Geflüchtete je VZÄ am Horizont": end["ratio"],
            "Bedarf heute (VZÄ)": now["need_fte"],
            "Bedarf am Horizont (VZÄ)": end["need_fte"],
            "Kosten am Horizont (€ je Jahr)": end["need_cost"],
            "Status am Horizont": ms.status_labels(end["status"]),
            "Zielwert": cross["text"].reindex(now.index),
        }
    )
    return frame.sort_values("Bedarf am Horizont (VZÄ)", ascending=False, na_position="last").reset_index(drop=True)


def ratio_by_month(projection: Projection) -> pd.DataFrame:
    """Ratio per Kreis (rows, by name) and month (columns 'MM/YYYY')."""
    frame = pd.DataFrame(
        {fmt.month_short(m): t["ratio"] for m, t in zip(projection.months, projection.tables, strict=True)}
    )
    frame.index = projection.tables[0]["name"]
    frame.index.name = "Kreis"
    return frame


def projection_long(projection: Projection) -> pd.DataFrame:
    """Every Kreis and month in one frame, German headers with units, for the download."""
    parts = []
    for month, table in zip(projection.months, projection.tables, strict=True):
        parts.append(
            pd.DataFrame(
                {
                    "AGS": table.index,
                    "Kreis": table["name"],
                    "Monat": fmt.month_short(month),
                    "Geflüchtete in Betreuung (Pers.)": table["refugees_in_care"].round(0),
                    "VZÄ (gehalten)": table["counsellors_fte"],
                    "Geflüchtete je VZÄ": table["ratio"].round(1),
                    "Bedarf (VZÄ)": table["need_fte"].round(2),
                    "Kosten des Bedarfs (€ je Jahr)": table["need_cost"].round(0),
                    "Status": ms.status_labels(table["status"]),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def band_long(band: Band) -> pd.DataFrame:
    """projection_long of the expected run, with the low and high persons in care and need beside it."""
    frame = projection_long(band.expected)
    low, high = projection_long(band.low), projection_long(band.high)
    for column in ("Geflüchtete in Betreuung (Pers.)", "Bedarf (VZÄ)"):
        at = frame.columns.get_loc(column) + 1
        name, unit = column.rsplit(" (", 1)
        frame.insert(at, f"{name}, hohe Zugänge ({unit}", high[column].to_numpy())
        frame.insert(at, f"{name}, niedrige Zugänge ({unit}", low[column].to_numpy())
    return frame


# --- Allocation what-if ------------------------------------------------------------------------


TODAY_LABEL = "heute (gemeldete VZÄ)"


def allocations(
    table: pd.DataFrame, budget: float, thresholds: Thresholds, cost_per_fte: float, population_weight: float = 0.5
) -> dict[str, pd.DataFrame]:
    """Today and every rule, each in the layout of kreis_table, keyed by a German label."""
    cases = {TODAY_LABEL: table}
    for rule in Rule:
        label = rule.value if rule is not Rule.BLEND else blend_label(population_weight)
        cases[label] = allocate(
            table, budget, allocation_weights(table, rule, population_weight), thresholds, cost_per_fte
        )
    return cases


def compare_rules(cases: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Today and every rule side by side: VZÄ, spread of the ratios, Kreise above target, remaining need."""
    rows = []
    for label, frame in cases.items():
        s = spread(frame["ratio"])
        total = analysis.totals(frame)
        rows.append(
            {
                "Verteilung": label,
                "VZÄ": total.counsellors_fte,
                "Höchster Schlüssel": s.maximum,
                "Niedrigster Schlüssel": s.minimum,
                "Max/Min": s.max_min,
                "Variationskoeffizient": s.cv,
                "Kreise über Zielwert": total.above_target,
                "davon kritisch": total.critical,
                "Verbleibender Bedarf (VZÄ)": total.need_fte,
            }
        )
    return pd.DataFrame(rows)


COMPARISON_COLUMNS = {
    "VZÄ": 1,
    "Höchster Schlüssel": 0,
    "Niedrigster Schlüssel": 0,
    "Max/Min": 2,
    "Variationskoeffizient": 2,
    "Verbleibender Bedarf (VZÄ)": 1,
}


def rule_phrase(rule: Rule, population_weight: float = 0.5) -> str:
    """How a sentence names a rule: 'nach Einwohnern', 'zu 60 % nach Einwohnern und zu 40 % nach …'."""
    if rule is not Rule.BLEND:
        return rule.value
    pop = round(population_weight * 100)
    return f"zu {pop} % nach Einwohnern und zu {100 - pop} % nach Geflüchteten in Betreuung"


def blend_label(population_weight: float) -> str:
    pop = round(population_weight * 100)
    return f"Mischung: {pop} % Einwohner, {100 - pop} % Geflüchtete in Betreuung"


def allocation_summary(allocated: pd.DataFrame, label: str, budget: float, cost_per_fte: float) -> str:
    """What one rule would change: winners and losers, Kreise above target and the spread, against today."""
    gain = int((allocated["change_fte"] >= 0.05).sum())
    loss = int((allocated["change_fte"] <= -0.05).sum())
    before, after = spread(allocated["ratio_today"]), spread(allocated["ratio"])
    above_before = sum(ms.Status(s).is_above_target for s in allocated["status_today"])
    above_after = sum(ms.Status(s).is_above_target for s in allocated["status"])
    return (
        f"Verteilt man {fmt.euro(budget)} im Jahr ({fmt.number(budget / cost_per_fte, 1)} VZÄ zu je "
        f"{fmt.number(cost_per_fte)} €) {label}, erhielten {gain} Kreise mehr und {loss} Kreise weniger VZÄ als "
        f"heute. {above_after} Kreise lägen über dem Zielwert (heute {above_before}); die Schlüssel reichten von "
        f"{fmt.number(after.minimum)} bis {fmt.number(after.maximum)} Geflüchteten je VZÄ (heute "
        f"{fmt.number(before.minimum)} bis {fmt.number(before.maximum)})."
    )


ALLOCATION_COLUMNS = {
    "VZÄ heute": 1,
    "VZÄ nach Regel": 1,
    "Veränderung (VZÄ)": 1,
    "Veränderung (€ je Jahr)": 0,
    "Geflüchtete je VZÄ heute": 0,
    "Geflüchtete je VZÄ nach Regel": 0,
}


def allocation_table(allocated: pd.DataFrame) -> pd.DataFrame:
    """Per Kreis the gain or loss against today; largest gain first."""
    frame = pd.DataFrame(
        {
            "AGS": allocated.index,
            "Kreis": allocated["name"],
            "VZÄ heute": allocated["fte_today"],
            "VZÄ nach Regel": allocated["counsellors_fte"],
            "Veränderung (VZÄ)": allocated["change_fte"],
            "Veränderung (€ je Jahr)": allocated["change_cost"],
            "Geflüchtete je VZÄ heute": allocated["ratio_today"],
            "Geflüchtete je VZÄ nach Regel": allocated["ratio"],
            "Status heute": ms.status_labels(allocated["status_today"]),
            "Status nach Regel": ms.status_labels(allocated["status"]),
        }
    )
    return frame.sort_values("Veränderung (VZÄ)", ascending=False, na_position="last").reset_index(drop=True)


def allocation_tip(row: pd.Series) -> list[str]:
    """Extra tooltip lines for the gain/loss map."""
    return [
        f"Veränderung gegenüber heute: {fmt.signed(row['change_fte'], 1, 'VZÄ')} "
        f"({fmt.signed(row['change_cost'] / 1000, 0, 'Tsd. €')} je Jahr)",
        f"VZÄ heute: {fmt.number(row['fte_today'], 1, 'VZÄ')}",
    ]


# --- Shared helpers for the page --------------------------------------------------------------


def style_numbers(
    frame: pd.DataFrame, decimals: dict[str, int], selected: str | None = None, signed: tuple[str, ...] = ()
):  # noqa: ANN201 - pandas Styler
    """German number format for display, numbers underneath for sorting; the selected Kreis in bold."""
    formats = {
        col: (lambda v, d=d: fmt.signed(v, d)) if col in signed else (lambda v, d=d: fmt.number(v, d))
        for col, d in decimals.items()
        if col in frame.columns
    }
    styler = frame.style.format(formats)
    if selected is not None and "AGS" in frame.columns:
        styler = styler.apply(
            lambda row: ["font-weight: 700; background-color: #fde68a" if row["AGS"] == selected else ""] * len(row),
            axis=1,
        )
    return styler


METHOD_MARKDOWN = """
**Ausgangspunkt** ist der gewählte Stand (Monat 0): je Kreis die zuletzt gemeldeten Geflüchteten in
Betreuung und VZÄ. Für jeden folgenden Monat *t* = 1 … *H* gilt je Kreis *k*:

> Betreute[*k*, *t*] = Betreute[*k*, *t* − 1] × (1 − Abgangsrate) + Anteil × Zugänge[*k*, *t* − Verzögerung]

- **Zugänge** eines Kreises: für Monate bis zum Stand die gemeldeten Zugänge (Ukraine und Asyl zusammen) –
  sie sind je nach Verzögerung noch nicht in der Betreuung angekommen; für spätere Monate und für frühere
  Monate ohne Meldung die erwarteten Zugänge des Landes je Monat × Verteilschlüssel des Kreises.
- **Verteilschlüssel:** Einwohneranteil (so verteilt das FlüAG auf die Kreise) oder der Anteil des Kreises an
  den Zugängen der letzten 6 Monate. Die Anteile summieren sich über die Kreise mit Angaben zu 100 %.
- **Anteil** und **Verzögerung:** wie viele der Zugänge in die Betreuung des Integrationsmanagements kommen
  und nach wie vielen Monaten. **Abgangsrate:** Anteil der Betreuten, die je Monat die Betreuung verlassen.
- **Die VZÄ bleiben auf dem heutigen Stand** – keine Einstellungen, keine Abgänge.
- Je Monat dann dieselben Regeln wie heute: Betreuungsschlüssel = Betreute / VZÄ; Bedarf = max(0; Betreute /
  Zielwert − VZÄ); Kosten = Bedarf × Kosten je VZÄ und Jahr (also Jahreskosten, wenn der Bedarf dieses Monats
  ein Jahr lang besetzt würde). Der Bedarf des Landes ist die Summe der Lücken der Kreise.
- Fehlt der Ausgangswert eines Kreises, bleibt er „keine Daten“; 0 VZÄ bei Betreuten heißt „keine
  Beratungskapazität“, nie „unendlich“.

*Beispiel:* 1.000 Betreute, Abgangsrate 2 %, Anteil 70 %, 100 Zugänge im maßgeblichen Monat:
1.000 × 0,98 + 0,7 × 100 = 1.050 Betreute im nächsten Monat.

**Verteilung eines Budgets:** VZÄ eines Kreises = Budget / Kosten je VZÄ × Gewicht des Kreises / Summe der
Gewichte. Gewichte: Einwohner, Geflüchtete in Betreuung, Zugänge der letzten 6 Monate, oder die Mischung
α × Einwohneranteil + (1 − α) × Anteil an den Betreuten. Ein Kreis ohne Angabe für eine Regel erhält bei ihr
nichts (keine Daten); das Budget verteilt sich dann auf die übrigen. Streuung: höchster und niedrigster
Schlüssel, ihr Verhältnis (Max/Min) und der Variationskoeffizient (Standardabweichung / Mittelwert der
Schlüssel der Kreise, ungewichtet).
"""
