"""Region model: keys, hierarchy, display names, neighbours, peers."""

import pytest

from lagebild.domain.regions import Level, Region, UnknownRegion, normalise_key


@pytest.mark.parametrize(
    "raw,key",
    [
        ("8111", "08111"),  # leading zero lost in a spreadsheet
        ("08111", "08111"),
        (8111, "08111"),
        ("8111.0", "08111"),  # key that went through Excel as a number
        ("8115003", "08115003"),
        ("081155001003", "08115003"),  # 12-digit Regionalschlüssel of a Gemeinde
        ("8", "08"),
    ],
)
def test_keys_are_normalised_to_ags(raw, key):
    assert normalise_key(raw) == key


def test_a_key_with_letters_is_an_error_value():
    result = normalise_key("BB")
    assert isinstance(result, UnknownRegion)
    assert "kein Regionalschlüssel" in result.message


def test_the_model_knows_44_kreise_9_stadtkreise_and_4_rb(regs):
    assert len(regs.kreise) == 44
    assert sum(k.kind == "Stadtkreis" for k in regs.kreise) == 9
    assert [rb.key for rb in regs.regierungsbezirke] == ["081", "082", "083", "084"]


def test_kreise_of_an_rb_and_rb_of_a_kreis(regs):
    assert len(regs.kreise_of("083")) == 10
    assert regs.rb_of("08115").name == "Stuttgart"


def test_ambiguous_names_carry_the_type(regs):
    assert regs.display_name("08121") == "Heilbronn (Stadtkreis)"
    assert regs.display_name("08125") == "Heilbronn (Landkreis)"
    assert regs.display_name("08212") == "Karlsruhe (Stadtkreis)"
    assert regs.display_name("08115") == "Böblingen"


def test_unknown_and_foreign_keys_are_error_values_not_crashes(regs):
    assert isinstance(regs.lookup("08999"), UnknownRegion)
    foreign = regs.lookup("09162")
    assert isinstance(foreign, UnknownRegion)
    assert "nicht in Baden-Württemberg" in foreign.message
    assert "08999" not in regs


def test_lookup_pads_the_key(regs):
    region = regs.lookup("8115")
    assert isinstance(region, Region)
    assert region.level is Level.KREIS


def test_gemeinden_of_a_kreis_come_from_the_reference_table(regs):
    gemeinden = regs.gemeinden_of("08115")
    assert len(gemeinden) == 26
    assert all(g.key.startswith("08115") and g.parent == "08115" for g in gemeinden)
    assert len(regs.gemeinden_of("08111")) == 1  # a Stadtkreis is one Gemeinde


def test_stuttgarts_neighbours_share_a_border(regs):
    keys = {r.key for r in regs.neighbours("08111")}
    assert keys == {"08115", "08116", "08118", "08119"}


def test_neighbourhood_is_symmetric(regs):
    for k in regs.kreise:
        for n in regs.neighbours(k.key):
            assert k.key in {r.key for r in regs.neighbours(n.key)}


def test_peers_share_type_and_rb(regs):
    peers = regs.peers("08115")
    assert peers and all(p.kind == "Landkreis" and p.parent == "081" for p in peers)
    assert "08115" not in {p.key for p in peers}
    assert {p.key for p in regs.peers("08121")} == {"08111"}


def test_population_carries_its_stichtag_and_land_is_the_sum(regs):
    land = regs["08"]
    assert land.population == sum(k.population for k in regs.kreise)
    assert str(land.population_date) == "2018-12-31"
