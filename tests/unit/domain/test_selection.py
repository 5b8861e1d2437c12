"""The URL codec of the region filter: round trips, unknown keys, several Kreise, RB and Kreis mixed."""

from datetime import date

import pytest

from lagebild.domain.selection import KindFilter, Selection, decode, encode


def params(**kw):
    return {k: [v] if isinstance(v, str) else v for k, v in kw.items()}


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(kreise=("08115",)),
        Selection(kreise=("08115", "08116", "08111")),  # several Kreise keep their order
        Selection(rbs=("083",), kreise=("08115",)),  # an RB and a Kreis outside it
        Selection(rbs=("081", "084"), kind=KindFilter.STADT),
        Selection(kreise=("08121",), stand=date(2024, 12, 31), target=120.0, cost=58_000.0),
    ],
)
def test_a_selection_survives_the_round_trip_through_the_address(selection, regs):
    decoded = decode({k: [v] for k, v in encode(selection).items()}, regs)
    assert decoded.selection == selection
    assert decoded.notices == []


def test_the_address_carries_keys_not_names():
    assert encode(Selection(kreise=("08115",))) == {"kreis": "08115"}


def test_a_kreis_in_the_address_opens_that_kreis(regs):
    sel = decode(params(kreis="08115"), regs).selection
    assert sel.single_kreis() == "08115"
    assert sel.kreis_keys(regs) == ["08115"]


def test_keys_without_leading_zero_and_repeated_parameters_are_understood(regs):
    sel = decode({"kreis": ["8115", "08116"]}, regs).selection
    assert sel.kreise == ("08115", "08116")


def test_an_rb_and_a_kreis_together_show_both(regs):
    keys = decode(params(rb="083", kreis="08115"), regs).selection.kreis_keys(regs)
    assert len(keys) == 11 and "08115" in keys and "08311" in keys


def test_the_kreistyp_narrows_an_rb(regs):
    keys = decode(params(rb="082", typ="stadtkreise"), regs).selection.kreis_keys(regs)
    assert set(keys) == {"08211", "08212", "08221", "08222", "08231"}


@pytest.mark.parametrize("raw", ["08999", "09162", "abc", "081150"])
def test_an_unknown_or_malformed_key_gives_a_german_notice_and_the_whole_land(raw, regs):
    decoded = decode(params(kreis=raw), regs)
    assert decoded.selection.is_whole_land
    assert len(decoded.notices) == 1
    assert "Regionalschlüssel in der Adresse nicht erkannt" in decoded.notices[0]
    assert "Gezeigt wird ganz Baden-Württemberg" in decoded.notices[0]


def test_a_gemeinde_key_opens_its_kreis(regs):
    assert decode(params(kreis="08115003"), regs).selection.kreise == ("08115",)


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("stand", "2024-13-01", "kein Datum"),
        ("ziel", "viel", "keine Zahl"),
        ("ziel", "5000", "außerhalb"),
        ("typ", "dorf", "Kreistyp"),
    ],
)
def test_malformed_values_are_dropped_with_a_notice(name, value, expected, regs):
    decoded = decode(params(**{name: value}), regs)
    assert decoded.selection == Selection()
    assert expected in decoded.notices[0]


def test_the_label_names_the_filter_in_german(regs):
    assert Selection().label(regs) == "Baden-Württemberg"
    assert Selection(rbs=("083",)).label(regs) == "Regierungsbezirk Freiburg"
    assert Selection(kreise=("08121",), kind=KindFilter.STADT).label(regs) == "Heilbronn (Stadtkreis) (nur Stadtkreise)"
