"""What the Personalbedarf says: sentences about Kreise and the Land, tables with German headers, the range in words."""

from datetime import date

import pytest

from lagebild.domain import planning
from lagebild.domain.planning import Rule
from lagebild.export import files
from lagebild.present import planner
from lagebild.present.classify import Scheme, classify
from tests.support.planning import BUDGET, COST, STAND, T, band, kreis_table, run, stocks


def test_a_kreis_is_named_as_a_sentence_would_name_it():
    assert planner.kreis_phrase("Böblingen", "Landkreis") == "Landkreis Böblingen"
    assert planner.kreis_phrase("Heilbronn (Stadtkreis)", "Stadtkreis") == "Stadtkreis Heilbronn"
    assert planner.kreis_phrase("Hohenlohekreis", "Landkreis") == "Hohenlohekreis"
    assert planner.kreis_phrase("Rems-Murr-Kreis", "Landkreis") == "Rems-Murr-Kreis"


def test_the_sentence_of_a_kreis_with_a_gap_names_ratio_gap_and_cost(regs):
    t = kreis_table(stocks("08115", 3000, 10), regs)
    text = planner.kreis_sentence(t.loc["08115"], T, COST)
    # 3000 / 150 = 20 VZÄ needed, 10 there: 10 VZÄ missing, 640.000 € a year.
    assert text == (
        "Im Landkreis Böblingen kommen 300 Geflüchtete auf ein VZÄ (3.000 Geflüchtete, 10,0 VZÄ). "
        "Für den Zielwert von 150 fehlen 10,0 VZÄ; das kostet rund 640.000\u202f€ im Jahr."
    )


def test_the_sentence_of_a_kreis_within_target_names_its_surplus_not_a_negative_need(regs):
    t = kreis_table(stocks("08111", 1500, 12), regs)
    text = planner.kreis_sentence(t.loc["08111"], T, COST)
    assert "Zielwert von 150 ist erreicht" in text and "2,0 VZÄ mehr da als nötig" in text
    assert "-" not in text


def test_the_sentence_of_a_kreis_without_capacity_or_data_says_so(regs):
    t = kreis_table(stocks("08111", 1500, 0) + stocks("08115", None, 5), regs)
    assert "keine Beratungskapazität" in planner.kreis_sentence(t.loc["08111"], T, COST)
    assert "10,0 VZÄ" in planner.kreis_sentence(t.loc["08111"], T, COST)
    no_data = planner.kreis_sentence(t.loc["08115"], T, COST)
    assert "keine Daten" in no_data and "„Geflüchtete in Betreuung“" in no_data


def test_area_totals_add_the_gaps_of_the_kreise_and_divide_sums(regs):
    # 08111 and 08115 in RB Stuttgart, 08311 in RB Freiburg.
    t = kreis_table(stocks("08111", 3000, 10) + stocks("08115", 1500, 20) + stocks("08311", 1500, 5), regs)
    frame = planner.area_totals(t).set_index("Gebiet")
    stuttgart, land = frame.loc["RB Stuttgart"], frame.loc["Land Baden-Württemberg"]
    assert stuttgart["Geflüchtete je VZÄ"] == pytest.approx(4500 / 30)
    assert stuttgart["Bedarf (VZÄ)"] == pytest.approx(10)  # 08115's surplus of 10 offsets nothing
    assert stuttgart["Überhang (VZÄ)"] == pytest.approx(10)
    assert land["Bedarf (VZÄ)"] == pytest.approx(10 + 5)
    assert land["Kosten (€ je Jahr)"] == pytest.approx(15 * COST)
    assert land["VZÄ nötig (Zielwert)"] == pytest.approx(6000 / 150)
    assert land["Kreise über Zielwert"] == "2 von 44"


def test_the_need_summary_answers_how_many_where_and_at_what_cost(regs):
    t = kreis_table(stocks("08111", 3000, 10) + stocks("08115", 1000, 30), regs)
    text = planner.need_summary(t, T, STAND)
    assert text.startswith("Stand 31.12.2024: Um alle Kreise auf den Zielwert von 150")
    assert "10,0 zusätzliche VZÄ in 1 von 44 Kreisen, rund 640.000\u202f€ im Jahr" in text
    assert "Stadtkreis Stuttgart mit 10,0 VZÄ" in text
    assert "nicht gegengerechnet" in text


def test_the_month_a_kreis_crosses_the_target_is_named(scenario_table, scenario_obs, recent):
    falling = planner.crossings(run(scenario_table, scenario_obs, recent))
    # 08115: 166,7 (erhöht) → 151,7 in January → 144,8 in February: back within target in February.
    assert falling.loc["08115", "month"] == date(2025, 2, 1)
    assert falling.loc["08115", "text"] == "wieder im Ziel ab Februar 2025"
    rising = planner.crossings(run(scenario_table, scenario_obs, recent, departure_rate=0.0))
    # 08111 sits exactly on the target (3000 / 20 = 150) and January adds 0.5 × 50: 3025 / 20 > 150.
    assert rising.loc["08111", "text"] == "über dem Zielwert ab Januar 2025"
    assert falling.loc["08116", "text"] == "keine Daten"


def test_a_kreis_at_the_horizon_reads_as_one_sentence(scenario_table, scenario_obs, recent):
    p = run(scenario_table, scenario_obs, recent)
    cross = planner.crossings(p)
    assert planner.kreis_projection_sentence(p, "08115", cross) == (
        "Ende Februar 2025 869 Geflüchtete in Betreuung, 145 je VZÄ; es fehlen keine VZÄ. "
        "Zielwert: wieder im Ziel ab Februar 2025."
    )
    assert planner.kreis_projection_sentence(p, "08116", cross).endswith("(keine Daten).")


def test_only_kreise_that_cross_the_target_are_listed_earliest_first(scenario_table, scenario_obs, recent):
    cross = planner.crossings(run(scenario_table, scenario_obs, recent))
    lines = planner.crossing_lines(cross, scenario_table["name"])
    assert lines == ["- **Böblingen:** wieder im Ziel ab Februar 2025"]


def test_the_projection_table_and_download_read_in_german(scenario_table, scenario_obs, recent):
    p = run(scenario_table, scenario_obs, recent)
    frame = planner.projection_table(p).set_index("AGS")
    assert frame.loc["08115", "Zielwert"] == "wieder im Ziel ab Februar 2025"
    long = planner.projection_long(p)
    assert len(long) == 44 * 3 and set(long["Monat"]) == {"12/2024", "01/2025", "02/2025"}
    text = files.csv_bytes(long, "Quelle: Test; Stand: 31.12.2024").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("AGS;Kreis;Monat;")
    assert "01/2025;2725,0;20,0;136,2" in text and "Quelle: Test; Stand: 31.12.2024" in text


def test_the_projection_summary_compares_the_horizon_with_today(scenario_table, scenario_obs, recent):
    text = planner.projection_summary(run(scenario_table, scenario_obs, recent))
    assert text.startswith("Bis Ende Februar 2025 sinkt die Zahl der Geflüchteten in Betreuung von 4.000 auf 3.472.")
    assert "gleichbleibenden 26,0 VZÄ" in text


def test_the_comparison_lists_today_and_every_rule_with_spread_and_kreise_above_target(three):
    frame = planner.compare_rules(planner.allocations(three, BUDGET, T, COST, 0.5)).set_index("Verteilung")
    assert list(frame.index) == [planner.TODAY_LABEL, *[r.value for r in Rule][:3], planner.blend_label(0.5)]
    assert frame.loc[planner.TODAY_LABEL, "Max/Min"] == pytest.approx(2)  # 300 / 150
    assert frame.loc[Rule.IN_CARE.value, "Variationskoeffizient"] == pytest.approx(0)
    assert frame.loc[Rule.POPULATION.value, "Kreise über Zielwert"] == 3
    assert list(frame["VZÄ"]) == pytest.approx([30] * 5)


def test_the_allocation_summary_counts_winners_and_losers(three):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.POPULATION), T, COST)
    text = planner.allocation_summary(out, planner.rule_phrase(Rule.POPULATION), BUDGET, COST)
    assert text.startswith(
        "Verteilt man 1,9\u202fMio. € im Jahr (30,0 VZÄ zu je 64.000 €) nach Einwohnern, "
        "erhielten 1 Kreise mehr und 2 Kreise weniger VZÄ als heute."
    )
    assert planner.rule_phrase(Rule.BLEND, 0.6) == "zu 60 % nach Einwohnern und zu 40 % nach Geflüchteten in Betreuung"


def test_the_allocation_table_lists_the_largest_gain_first(three):
    out = planning.allocate(three, BUDGET, planning.allocation_weights(three, Rule.POPULATION), T, COST)
    frame = planner.allocation_table(out)
    assert list(frame["Kreis"]) == ["C", "B", "A"]
    html = planner.style_numbers(frame, planner.ALLOCATION_COLUMNS, "C", signed=("Veränderung (VZÄ)",)).to_html()
    assert "+8,0" in html and "-7,0" in html and "font-weight: 700" in html


def test_the_projected_need_map_is_titled_with_the_horizon(scenario_table, scenario_obs, recent):
    p = run(scenario_table, scenario_obs, recent)
    horizon = p.horizon_table(STAND)
    assert horizon.loc["08111", "refugees_in_care_date"] == date(2025, 2, 28)
    classes = planner.horizon_need_classes(horizon, T, p.horizon)
    assert classes.title == "Projizierter Verstärkungsbedarf (VZÄ), Ende Februar 2025"
    assert classes.colours.equals(classify(horizon, "need_fte", Scheme.NATURAL_BREAKS, T).colours)


def test_when_arrivals_rise_but_the_caseload_falls_the_summary_says_why(scenario_table, scenario_obs, recent):
    # 1.000 arrivals a month against a recent mean of 100; in care 4.000 → 3.635 (3.600 stay + 50 % of December's 70)
    # → 3.771,5 (3.271,5 stay + 50 % of 1.000). Departures (400 + 363,5) / 2 ≈ 382, intake (35 + 500) / 2 ≈ 268.
    text = planner.projection_summary(run(scenario_table, scenario_obs, recent, arrivals_per_month=1000))
    assert text.startswith(
        "Bis Ende Februar 2025 sinkt die Zahl der Geflüchteten in Betreuung von 4.000 auf 3.772. "
        "Die Abgänge (≈ 382 je Monat, 10,0\u202f% der Betreuten) übersteigen die Zugänge in die Betreuung "
        "(≈ 268 je Monat: 50\u202f% der Zugänge, 1 Monat später)."
    )


def test_a_rising_caseload_is_explained_by_intake_above_departures(scenario_table, scenario_obs, recent):
    text = planner.projection_summary(
        run(scenario_table, scenario_obs, recent, arrivals_per_month=5000, departure_rate=0.01)
    )
    assert " steigt " in text and "Die Zugänge in die Betreuung (≈ " in text and ") übersteigen die Abgänge (≈ " in text


def test_counts_in_the_summary_are_singular_or_plural_never_kreis_e(scenario_table, scenario_obs, recent):
    text = planner.projection_summary(run(scenario_table, scenario_obs, recent))
    assert "(e)" not in text and ("1 Kreis läge" in text or "Kreise lägen" in text)


def test_assumptions_out_of_order_are_refused_in_german():
    assert planner.band_problem(80, 100, 120) is None
    assert planner.band_problem(100, 100, 100) is None  # a range of width zero is a range
    low = planner.band_problem(150, 100, 200)
    assert low is not None and "niedrige Annahme (150 Zugänge je Monat) liegt über der erwarteten (100)" in low
    high = planner.band_problem(50, 100, 90)
    assert high is not None and "hohe Annahme (90 Zugänge je Monat) liegt unter der erwarteten (100)" in high


def test_the_band_reads_as_a_sentence_and_lands_in_the_download(scenario_table, scenario_obs, recent):
    b = band(scenario_table, scenario_obs, recent, 200, 800)
    sentence = planner.band_sentence(b)
    assert sentence.startswith("Spanne: bei 200 bis 800 Zugängen je Monat wären Ende Februar 2025 ")
    assert "Geflüchtete in Betreuung, und es fehlten " in sentence and "Mio. € je Jahr)." in sentence
    kreis = planner.kreis_band_sentence(b, "08111")
    assert kreis.startswith("Spanne bei 200 bis 800 Zugängen je Monat im Land: Ende Februar 2025 ")
    assert planner.kreis_band_sentence(b, "08116") == ""  # no data: no range either
    long = planner.band_long(b)
    cols = list(long.columns)
    at = cols.index("Geflüchtete in Betreuung (Pers.)")
    assert cols[at + 1 : at + 3] == [
        "Geflüchtete in Betreuung, niedrige Zugänge (Pers.)",
        "Geflüchtete in Betreuung, hohe Zugänge (Pers.)",
    ]
    assert "Bedarf, hohe Zugänge (VZÄ)" in cols
    row = long[(long["AGS"] == "08111") & (long["Monat"] == "01/2025")].iloc[0]
    assert row["Geflüchtete in Betreuung, niedrige Zugänge (Pers.)"] == 2775
    assert row["Geflüchtete in Betreuung, hohe Zugänge (Pers.)"] == 3000


def test_a_range_without_need_says_so_instead_of_zero_vzae(scenario_table, scenario_obs, recent):
    # Everyone leaves care and nobody arrives into it: no Kreis needs a post in any run.
    b = band(scenario_table, scenario_obs, recent, 0, 0, reach_share=0.0)
    assert planner.kreis_band_sentence(b, "08111").endswith("; es fehlten keine VZÄ.")
    assert planner.band_sentence(b).endswith("und es fehlten keine VZÄ.")
