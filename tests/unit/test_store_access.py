"""The store enforces who may write, whatever calls it: a refused import or rollback changes no data and is audited."""

import shutil
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from lagebild.domain.access import AccessDenied, Principal, Role
from lagebild.domain.regions import regions
from lagebild.store import ImportMeta, Store, audit, metadata
from tests.conftest import FIXTURES

LEITUNG = Principal("Lea Leitung", Role.LEADERSHIP)
PRESSE = Principal("Paul Presse", Role.PRESS)
BOEBLINGEN = Principal("Kira Koordinatorin", Role.COORDINATION, ("08115",))
DATENSTELLE = Principal("Dana Daten", Role.DATA_OFFICE)
ADMIN = Principal("Adam Admin", Role.ADMINISTRATION)
EVERYONE = [LEITUNG, PRESSE, BOEBLINGEN, DATENSTELLE, ADMIN]


@pytest.fixture
def store(backend_url):
    store = Store(backend_url)
    yield store
    store.engine.dispose()


def frame(keys, value=10.0):
    return pd.DataFrame(
        [
            {"measure": "counsellors_fte", "region": k, "date": date(2024, 12, 31), "grp": "insgesamt", "value": value}
            | {"status": None, "source": "Test"}
            for k in keys
        ]
    )


def meta(name):
    return ImportMeta(name, name[0] * 64, "counsellors_fte", "Test")


def data_dump(store):
    """Every row of every table but the audit trail: what a refused attempt must leave as it was."""
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
            for t in metadata.sorted_tables
            if t is not audit
        }


def trail(store):
    return store.audit_trail().iloc[::-1].reset_index(drop=True)


OWN = ["08115", "08115001"]  # Böblingen and one of its Gemeinden
ALL = regions().kreis_keys

# (who, file's regions, allowed)
IMPORTS = [
    (LEITUNG, OWN, False),
    (PRESSE, OWN, False),
    (BOEBLINGEN, OWN, True),
    (BOEBLINGEN, [*OWN, "08116"], False),  # one foreign Kreis refuses the whole file
    (BOEBLINGEN, ALL, False),
    (DATENSTELLE, ALL, True),
    (ADMIN, ALL, True),
]


@pytest.mark.parametrize(("who", "keys", "allowed"), IMPORTS)
def test_a_direct_import_lands_only_where_the_role_allows_it(store, who, keys, allowed):
    before = data_dump(store)
    if allowed:
        store.write_import(frame(keys), meta("datei.csv"), who)
        assert len(store.observations()) == len(keys)
    else:
        with pytest.raises(AccessDenied, match="Der Datenbestand ist unverändert"):
            store.write_import(frame(keys), meta("datei.csv"), who)
        assert data_dump(store) == before
    last = trail(store).iloc[-1]
    assert (last["user_name"], last["action"], last["outcome"]) == (who.name, "import", "ok" if allowed else "refused")
    assert last["sha256"] == "d" * 64 and last["role"] == who.role_label


# (who, the import's regions, allowed)
ROLLBACKS = [
    (LEITUNG, OWN, False),
    (PRESSE, OWN, False),
    (BOEBLINGEN, OWN, True),
    (BOEBLINGEN, ["08116"], False),
    (BOEBLINGEN, ALL, False),
    (DATENSTELLE, ALL, True),
    (ADMIN, ["08116"], True),
]


@pytest.mark.parametrize(("who", "keys", "allowed"), ROLLBACKS)
def test_a_direct_rollback_happens_only_where_the_role_allows_it(store, who, keys, allowed):
    import_id = store.write_import(frame(keys), meta("frueher.csv"), DATENSTELLE)
    before = data_dump(store)
    if allowed:
        store.rollback(import_id, who)
        assert store.observations().empty
        assert store.history().iloc[0]["rolled_back_by"] == who.name
    else:
        with pytest.raises(AccessDenied, match="Der Datenbestand ist unverändert"):
            store.rollback(import_id, who)
        assert data_dump(store) == before
    last = trail(store).iloc[-1]
    assert (last["user_name"], last["action"], last["outcome"]) == (
        who.name,
        "rollback",
        "ok" if allowed else "refused",
    )
    assert last["subject"] == f"Import Nr. {import_id} (frueher.csv)"


def test_a_refused_foreign_file_is_audited_with_the_message_naming_the_foreign_kreise(store):
    with pytest.raises(AccessDenied) as refused:
        store.write_import(frame([*OWN, "08116", "08125"]), meta("gemischt.csv"), BOEBLINGEN)
    assert "08116 Esslingen" in str(refused.value) and "08125 Heilbronn (Landkreis)" in str(refused.value)
    last = trail(store).iloc[-1]
    assert last["detail"] == str(refused.value) and last["role"] == "Koordination Böblingen"
    assert store.is_empty()


def test_the_history_names_the_person_who_imported_and_rolled_back(store):
    import_id = store.write_import(frame(OWN), meta("eigene.csv"), BOEBLINGEN)
    store.rollback(import_id, DATENSTELLE)
    row = store.history().iloc[0]
    assert (row["user_name"], row["rolled_back_by"]) == ("Kira Koordinatorin", "Dana Daten")


def test_sign_ins_and_role_changes_are_appended_to_the_audit_trail(store):
    store.record(ADMIN, "sign_in", None)
    store.record(ADMIN, "role_change", "Kira Koordinatorin: Koordination Böblingen")
    assert list(trail(store)["action"]) == ["sign_in", "role_change"]
    assert trail(store).loc[1, "subject"] == "Kira Koordinatorin: Koordination Böblingen"


def test_an_older_store_names_its_command_line_users_as_the_history_always_showed_them(tmp_path):
    path = tmp_path / "alt.sqlite"
    shutil.copy(FIXTURES / "bestand_vor_alembic.sqlite", path)
    store = Store(f"sqlite:///{path}")
    assert store.history().loc[0, "user_name"] == "Kommandozeile (Benutzer koordination)"
    assert store.audit_trail().empty


def test_the_role_of_the_last_sign_in_is_known_so_a_changed_assignment_can_be_logged(store):
    assert store.last_role("Kira Koordinatorin") is None
    store.record(BOEBLINGEN, "sign_in", BOEBLINGEN.role_label)
    store.record(BOEBLINGEN, "sign_in", None, "refused")
    assert store.last_role("Kira Koordinatorin") == "Koordination Böblingen"
    assert store.last_role("Dana Daten") is None
