"""The page inputs' address codec: what a bookmark writes is what it restores; what it cannot read is said in German."""

from lagebild import params
from lagebild.domain import planning
from lagebild.present.classify import Scheme


def test_an_overview_address_round_trips_kennzahl_klassen_and_zeitraum():
    values = params.OVERVIEW.complete(
        {"karte_kennzahl": "need_fte", "karte_klassen": Scheme.EQUAL_INTERVAL, "zeitraum": 12}
    )
    query = params.OVERVIEW.encode(values)
    assert query == {"kennzahl": "bedarf", "klassen": "intervalle", "zeitraum": "12"}
    decoded, notices = params.OVERVIEW.decode({k: [v] for k, v in query.items()})
    assert params.OVERVIEW.complete(decoded) == values and notices == []


def test_defaults_stay_out_of_the_address():
    assert params.OVERVIEW.encode(params.OVERVIEW.complete({})) == {}
    assert params.PLANNER.encode(params.PLANNER.complete({})) == {}


def test_target_bands_are_replaced_for_a_kennzahl_other_than_the_ratio():
    # Target bands are drawn around the target ratio; a bookmark asking for them with counts gets quantiles.
    values = params.OVERVIEW.complete({"karte_kennzahl": "arrivals", "karte_klassen": Scheme.TARGET_BANDS})
    assert values["karte_klassen"] is Scheme.QUANTILES


def test_unknown_tokens_and_numbers_out_of_range_become_german_notices_and_defaults():
    decoded, notices = params.PLANNER.decode({"horizont": ["30"], "regel": ["los"], "zugaenge": ["viel"]})
    assert decoded == {}
    assert any("Horizont „30“" in n and "außerhalb" in n for n in notices)
    assert any("Regel „los“" in n and "mischung" in n for n in notices)
    assert any("Erwartete Zugänge „viel“" in n for n in notices)


def test_amounts_travel_as_digits_and_show_with_thousands_separators():
    decoded, _ = params.PLANNER.decode({"budget": ["70000000"], "zugaenge": ["2500"]})
    assert decoded == {"verteilung_budget": "70.000.000", "szenario_zugaenge": "2.500"}
    assert params.PLANNER.encode(params.PLANNER.complete(decoded)) == {"budget": "70000000", "zugaenge": "2500"}


def test_a_slider_value_from_the_address_snaps_to_the_slider_grid():
    decoded, _ = params.PLANNER.decode({"anteil": ["72"], "abgaenge": ["2,4"], "regel": ["Mischung"]})
    assert decoded == {"szenario_anteil": 70, "szenario_abgaenge": 2.5, "verteilung_regel": planning.Rule.BLEND}
