"""Meldestand: which Kreis has reported which measure up to a Stand, and which is overdue."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lagebild.domain import completeness
from lagebild.domain.completeness import CURRENT, NEVER, OVERDUE
from lagebild.domain.measures import REPORTED

STAND = date(2026, 9, 30)


@pytest.mark.parametrize(
    ("measure", "as_of", "due"),
    [
        ("refugees_in_care", date(2026, 9, 30), date(2026, 9, 30)),
        ("refugees_in_care", date(2026, 11, 15), date(2026, 9, 30)),
        ("refugees_in_care", date(2026, 3, 30), date(2025, 12, 31)),
        ("arrivals", date(2026, 9, 30), date(2026, 9, 1)),
        ("arrivals", date(2026, 10, 15), date(2026, 9, 1)),
        ("arrivals", date(2026, 2, 28), date(2026, 2, 1)),
    ],
)
def test_the_expected_date_follows_the_cadence_of_the_measure(measure, as_of, due):
    assert completeness.expected(measure, as_of) == due


def observations(regs, leave_out: dict[str, set[str]], late: dict[str, str]) -> pd.DataFrame:
    """Every Kreis reports every measure at the Stand, but those left out (key -> measures) or reported late."""
    rows = []
    for key in regs.kreis_keys:
        for measure in REPORTED:
            if measure in leave_out.get(key, set()):
                continue
            due = completeness.expected(measure, STAND)
            day = completeness.expected(measure, date(2026, 6, 30)) if late.get(key) == measure else due
            rows.append({"measure": measure, "region": key, "date": day, "grp": "insgesamt", "value": 1.0})
    # A value after the Stand does not make a Kreis current at the Stand.
    rows.append(
        {"measure": "refugees_in_care", "region": "08317", "date": date(2026, 12, 31), "grp": "insgesamt", "value": 5.0}
    )
    return pd.DataFrame(rows)


def test_overdue_and_never_reported_come_first_and_name_what_is_missing(regs):
    obs = observations(regs, leave_out={"08111": {"arrivals"}}, late={"08317": "refugees_in_care"})
    result = completeness.meldestand(obs, regs, STAND)
    assert result.overdue_kreise == ["08111", "08317"]
    first = result.table.iloc[0]
    assert (first["Kreis"], first["Kennzahl"], first["Meldestand"], first["Neuester Wert"]) == (
        "Stuttgart",
        "Zugänge",
        NEVER,
        "–",
    )
    second = result.table.iloc[1]
    assert (second["Kreis"], second["Meldestand"], second["Neuester Wert"], second["Erwartet"]) == (
        "Ortenaukreis",
        OVERDUE,
        "30.06.2026",
        "30.09.2026",
    )
    assert set(result.table.iloc[2:]["Meldestand"]) == {CURRENT}
    assert len(result.table) == 44 * len(REPORTED)
    assert len(result.reminders()) == 2


def test_the_summary_names_the_missing_kreise_or_says_all_have_reported(regs):
    late = completeness.meldestand(observations(regs, {"08111": {"arrivals"}}, {}), regs, STAND)
    assert late.summary(regs).startswith("Bei 1 von 44 Kreisen fehlen Meldungen zum Stand 30.09.2026 (Stuttgart)")
    complete = completeness.meldestand(observations(regs, {}, {}), regs, STAND)
    assert complete.complete and complete.summary(regs) == "Alle 44 Kreise haben zum Stand 30.09.2026 gemeldet."


def test_each_late_kreis_owes_lines_that_say_what_and_since_when_for_the_map(regs):
    obs = observations(regs, leave_out={"08111": {"arrivals"}}, late={"08317": "refugees_in_care"})
    missing = completeness.meldestand(obs, regs, STAND).missing_by_kreis()
    assert missing == {
        "08111": ["Zugänge: nie gemeldet, erwartet September 2026"],
        "08317": ["Geflüchtete in Betreuung: zuletzt 30.06.2026, erwartet 30.09.2026"],
    }
    assert completeness.meldestand(observations(regs, {}, {}), regs, STAND).missing_by_kreis() == {}
