"""Meldestand: for each Kreis and measure, the newest value up to the Stand, and whether it is overdue.

The cadence a measure is expected in is a setting (`settings.CADENCE_MONTHS`): staff and care each quarter,
arrivals each month. A value is overdue when the newest one up to the Stand is older than the last date the
cadence asks for: for the Stand 30.09.2026 the quarterly figures of 30.09.2026 and the arrivals of September 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from lagebild import settings
from lagebild.domain.measures import MEASURES, REPORTED, Kind
from lagebild.domain.regions import Regions
from lagebild.present import fmt

CURRENT, OVERDUE, NEVER = "aktuell", "überfällig", "nie gemeldet"
COLUMNS = ["AGS", "Kreis", "Kennzahl", "Neuester Wert", "Erwartet", "Meldestand"]


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def expected(measure: str, as_of: date) -> date:
    """The date of the newest value a Kreis should have reported by the Stand `as_of`.

    A stock is dated by its Stichtag (the last day of a period), arrivals by their month's first day.
    """
    months = settings.CADENCE_MONTHS[measure]
    # The last period end on or before the Stand: a month end whose month number fits the cadence.
    end = _month_end(as_of)
    if end > as_of:
        end = as_of.replace(day=1) - timedelta(days=1)
    while end.month % months:
        end = end.replace(day=1) - timedelta(days=1)
    return end.replace(day=1) if MEASURES[measure].kind is Kind.FLOW else end


def describe(day: date | None, measure: str) -> str:
    if day is None:
        return "–"
    return fmt.month(day) if MEASURES[measure].kind is Kind.FLOW else fmt.day(day)


@dataclass(frozen=True)
class Meldestand:
    as_of: date
    table: pd.DataFrame  # COLUMNS, one row per Kreis and measure, overdue first
    overdue_kreise: list[str]  # Kreis keys with at least one overdue or never reported measure

    @property
    def complete(self) -> bool:
        return not self.overdue_kreise

    def summary(self, regs: Regions, keys: list[str] | None = None) -> str:
        """One sentence for leadership: which Kreise (of `keys`, else all) are missing for this Stand, and what the
        Land total then means."""
        keys = regs.kreis_keys if keys is None else keys
        late = [k for k in self.overdue_kreise if k in keys]
        if not late:
            return f"Alle {len(keys)} Kreise haben zum Stand {fmt.day(self.as_of)} gemeldet."
        n = len(late)
        names = ", ".join(regs.display_name(k) for k in late[:5]) + (" …" if n > 5 else "")
        return (
            f"Bei {n} von {len(keys)} Kreisen fehlen Meldungen zum Stand {fmt.day(self.as_of)} "
            f"({names}); für sie gilt der letzte gemeldete Wert, Kreise ganz ohne Angabe fehlen im Landeswert."
        )

    def missing_by_kreis(self) -> dict[str, list[str]]:
        """For each late Kreis, one line per measure it owes: 'Betreuung: zuletzt 30.06.2026, erwartet 30.09.2026'."""
        lines: dict[str, list[str]] = {}
        for row in self.reminders().itertuples(index=False):
            last = "nie gemeldet" if row[5] == NEVER else f"zuletzt {row[3]}"
            lines.setdefault(str(row[0]), []).append(f"{row[2]}: {last}, erwartet {row[4]}")
        return lines

    def reminders(self) -> pd.DataFrame:
        """The rows a reminder e-mail needs: overdue and never reported only."""
        return self.table[self.table["Meldestand"] != CURRENT].reset_index(drop=True)


def meldestand(obs: pd.DataFrame, regs: Regions, as_of: date) -> Meldestand:
    """The Meldestand of every Kreis and measure at the Stand `as_of` (values after it do not count)."""
    kreise = obs[obs["region"].isin(regs.kreis_keys) & (obs["date"] <= as_of) & obs["value"].notna()]
    newest = kreise.groupby(["region", "measure"])["date"].max()
    rows = []
    for key in regs.kreis_keys:
        for measure in REPORTED:
            due = expected(measure, as_of)
            last = newest.get((key, measure))
            state = NEVER if last is None else (CURRENT if last >= due else OVERDUE)
            rows.append(
                (
                    key,
                    regs.display_name(key),
                    MEASURES[measure].label,
                    describe(last, measure),
                    describe(due, measure),
                    state,
                )
            )
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {NEVER: 0, OVERDUE: 1, CURRENT: 2}
    table = table.sort_values(
        ["Meldestand", "Kreis"], key=lambda c: c.map(order) if c.name == "Meldestand" else c, kind="stable"
    ).reset_index(drop=True)
    late = table[table["Meldestand"] != CURRENT]["AGS"]
    return Meldestand(as_of, table, [k for k in regs.kreis_keys if k in set(late)])
