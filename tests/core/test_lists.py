"""Handover lists: compose, the field profile, approve, freeze, verify, versions,
deliveries; and every refusal the workflow promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from homeward import keys
from homeward.domain.model import EventKind, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.services import cases, lists
from homeward.services.registry_app import Registry
from tests.factories import make_child, make_record, make_source

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
VERIFIER = Actor(username="taras", role=Role.VERIFIER, user_id=2)
OTHER_VERIFIER = Actor(username="iryna", role=Role.VERIFIER, user_id=3)
ANALYST = Actor(username="ivan", role=Role.ANALYST, user_id=4)


def _located_in_russia(uow, child_id: int) -> None:  # type: ignore[no-untyped-def]
    for status, detail in (
        (Status.UNDER_VERIFICATION, None), (Status.VERIFIED, None), (Status.LOCATED, "russia"),
    ):  # fmt: skip
        cases.move_status(uow, child_id, status, detail=detail, reason="test history")


def _children(registry: Registry) -> dict[str, int]:
    """Two boys found in Russia (one with a mother who asked for him), and a girl
    whose whereabouts are unknown."""
    with registry.uow() as uow:
        oleksandr = make_child(uow)
        russian = make_source(uow, kind=SourceKind.INVESTIGATION, title="camp list")
        make_record(uow, source=russian, child_id=oleksandr.id, given_name="Александр",
                    family_name="Коваленко", patronymic="Сергеевич")  # fmt: skip
        cases.add_relative(
            uow, oleksandr.id, full_name="Коваленко Олена Петрівна",
            relationship=Relationship.MOTHER, is_legal_representative=True,
            requested_return=True, phone="+380 67 111 11 11",
        )  # fmt: skip
        _located_in_russia(uow, oleksandr.id)
        dmytro = make_child(uow, given_name="Дмитро", family_name="Шевчук", patronymic="Іванович",
                            birth_date="2010-01-02")  # fmt: skip
        _located_in_russia(uow, dmytro.id)
        maria = make_child(uow, given_name="Марія", family_name="Їжакевич", sex="f")
        uow.commit()
        return {"oleksandr": oleksandr.id, "dmytro": dmytro.id, "maria": maria.id}


def _compose(registry: Registry, author: Actor = VERIFIER) -> int:
    with registry.uow(author) as uow:
        row = lists.create_list(
            uow, title="Round 3", purpose="children located in Russia", channel="mediator",
            recipient="Mediator's office", criteria={"located_in_russia": True},
        )  # fmt: skip
        uow.commit()
        return row.id


def test_compose_from_a_search_with_changes_by_hand(registry: Registry) -> None:
    ids = _children(registry)
    list_id = _compose(registry)
    with registry.uow(VERIFIER) as uow:
        lists.change_child(
            uow, list_id, ids["maria"], "add", reason="mother believes she is in Rostov"
        )
        lists.change_child(uow, list_id, ids["dmytro"], "remove", reason="already on the ICRC list")
        with pytest.raises(Invalid, match="reason"):
            lists.change_child(uow, list_id, ids["dmytro"], "add", reason=" ")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        draft = lists.draft_entries(uow, list_id)
    assert [e["entry_number"] for e in draft.entries] == [1, 2]
    oleksandr = next(e for e in draft.entries if e["given_name_uk"] == "Олександр")
    assert oleksandr["given_name_ru"] == "Александр"  # from the Russian record
    assert oleksandr["patronymic_ru"] == "Сергеевич"
    assert oleksandr["name_latin"] == "Kovalenko Oleksandr"
    assert oleksandr["legal_representative"] == "Коваленко Олена Петрівна"
    assert oleksandr["legal_representative_relationship"] == "mother"
    maria = next(e for e in draft.entries if e["given_name_uk"] == "Марія")
    assert maria["given_name_ru"] == "Мария" and maria["family_name_ru"] == "Ижакевич"
    assert set(draft.fields) == set(lists.PROFILE)
    assert "+380" not in json.dumps(draft.entries)  # no contact ever
    assert len(draft.without_representative) == 1


def test_the_field_profile_refuses_what_may_not_be_handed_over(registry: Registry) -> None:
    list_id = _compose(registry)
    with registry.uow(VERIFIER) as uow:
        with pytest.raises(Forbidden, match="can never be on a handover list"):
            lists.add_field(uow, list_id, "reporter_contact", justification="they asked")
        with pytest.raises(Invalid, match="justification"):
            lists.add_field(uow, list_id, "birth_place", justification="")
        with pytest.raises(Invalid, match="not a field"):
            lists.add_field(uow, list_id, "favourite_colour", justification="why not")
        lists.add_field(uow, list_id, "birth_place", justification="the mediator asked for it")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        assert lists.draft_entries(uow, list_id).fields[-1] == "birth_place"


def test_approve_by_another_verifier_then_freeze_sign_and_verify(
    registry: Registry, tmp_path: Path
) -> None:
    ids = _children(registry)
    list_id = _compose(registry)
    key = keys.load_or_create_signing_key(tmp_path / "keys")
    with registry.uow(VERIFIER) as uow, pytest.raises(Forbidden, match="someone other than"):
        lists.approve(uow, list_id)
    with registry.uow(WORKER) as uow, pytest.raises(Forbidden):
        lists.approve(uow, list_id)
    with registry.uow(OTHER_VERIFIER) as uow:
        with pytest.raises(Invalid, match="no legal representative"):
            lists.approve(uow, list_id)
        with pytest.raises(Conflict, match="only an approved version"):
            lists.freeze(uow, list_id, key)
        lists.approve(uow, list_id, accept_without_representative=True)
        version = lists.freeze(uow, list_id, key)
        uow.commit()
    assert version.status == "frozen" and version.entries == 2
    assert version.approved_by == "iryna" and len(version.content_sha256 or "") == 64
    with registry.uow(VERIFIER) as uow:
        with pytest.raises(Conflict, match="frozen"):
            lists.change_child(uow, list_id, ids["maria"], "add", reason="too late")
        with pytest.raises(Conflict, match="frozen"):
            lists.add_field(uow, list_id, "status", justification="too late")
        out = tmp_path / "round3.json"
        assert lists.export_version(uow, list_id, 1, out) == 2
        lists.export_version(uow, list_id, 1, tmp_path / "round3.xlsx", format="xlsx")
        uow.commit()
    good = lists.verify_document(out, keys.public_key_text(key))
    assert good.ok and good.entries == 2 and good.sha256 == version.content_sha256
    document = json.loads(out.read_text(encoding="utf-8"))
    document["content"] = document["content"].replace("Олександр", "Олексадр")
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    bad = lists.verify_document(out, keys.public_key_text(key))
    assert not bad.ok and "content was changed" in (bad.problem or "")
    forger = keys.load_or_create_signing_key(tmp_path / "forger")
    forged = json.loads(out.read_text(encoding="utf-8"))
    forged["sha256"] = __import__("hashlib").sha256(forged["content"].encode()).hexdigest()
    forged["signature"] = keys.sign(forger, forged["sha256"].encode())
    forged["public_key"] = keys.public_key_text(forger)
    out.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    assert not lists.verify_document(out, keys.public_key_text(key)).ok  # the key we expect


def test_a_new_version_shows_its_difference_and_deliveries_are_kept(
    registry: Registry, tmp_path: Path
) -> None:
    ids = _children(registry)
    list_id = _compose(registry)
    key = keys.load_or_create_signing_key(tmp_path / "keys")
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, key)
        delivery = lists.deliver(
            uow, list_id, 1, delivered_on="2026-11-20", recipient="Mediator's office",
            channel="diplomatic pouch",
        )  # fmt: skip
        with pytest.raises(Invalid, match="future"):
            lists.deliver(uow, list_id, 1, delivered_on="2099-01-01", recipient="x", channel="y")
        uow.commit()
    assert delivery.delivered_on == "2026-11-20"
    with registry.uow(VERIFIER) as uow:
        with pytest.raises(NotFound, match="no version 2"):
            lists.difference(uow, list_id, 2)
        lists.new_version(uow, list_id)
        lists.change_child(uow, list_id, ids["maria"], "add", reason="found in Rostov")
        lists.change_child(uow, list_id, ids["dmytro"], "remove", reason="returned home")
        uow.commit()
    with registry.uow(WORKER) as uow:
        cases.add_event(uow, ids["oleksandr"], EventKind.REMOVAL, date="2022-09", place="Олешки")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        difference = lists.difference(uow, list_id, 1)
        entries = lists.draft_entries(uow, list_id).entries
    numbers = {e["given_name_uk"]: e["case_number"] for e in entries}
    assert difference.added == [numbers["Марія"]]
    assert len(difference.removed) == 1
    assert difference.changed == {numbers["Олександр"]: ["removal_place", "removal_date"]}


def test_analysts_do_not_compose_lists(registry: Registry) -> None:
    with registry.uow(ANALYST) as uow, pytest.raises(Forbidden):
        lists.create_list(uow, title="x", purpose="y", channel="z", recipient="w")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_pdf_carries_title_version_hash_and_counts_in_each_language(
    registry: Registry, tmp_path: Path
) -> None:
    from homeward.documents.lists import css_string, list_html

    _children(registry)
    with registry.uow(VERIFIER) as uow:
        row = lists.create_list(
            uow, title='Раунд 3 "</style><script>x</script>', purpose="p", channel="c",
            recipient="r", criteria={"located_in_russia": True},
        )  # fmt: skip
        uow.commit()
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, row.id, accept_without_representative=True)
        version = lists.freeze(uow, row.id, keys.load_or_create_signing_key(tmp_path / "k"))
        out = tmp_path / "list.pdf"
        assert lists.export_version(uow, row.id, 1, out, format="pdf", language="uk") == 2
        uow.commit()
    assert out.read_bytes().startswith(b"%PDF")
    html = list_html(version, language="uk")
    assert str(version.content_sha256) in html and "сторінка" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # the title as text, in the page
    assert css_string('"</style>') == "\\000022\\00003c\\00002fstyle\\00003e"
    assert "Олийник" not in html and "12.03.2012" not in html  # nothing invented
    assert "04.03.2012" in html and "2012-03-04" in list_html(version, language="en")
    assert "депортовані" in html and "deported" in list_html(version, language="en")
    assert "Категория" in list_html(version, language="ru")


def test_direct_edits_of_a_frozen_version_are_named(registry: Registry, tmp_path: Path) -> None:
    from sqlalchemy import delete, func, select, update

    from homeward.storage.tables import Base

    _children(registry)
    list_id = _compose(registry)
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, keys.load_or_create_signing_key(tmp_path / "k"))
        uow.commit()
    auditor = Actor(username="anna", role=Role.AUDITOR)
    with registry.uow(auditor, write=False) as uow:
        assert lists.check_frozen(uow) == []
    entries = Base.metadata.tables["list_entries"]
    versions = Base.metadata.tables["list_versions"]
    with registry.engine.begin() as conn:  # someone edits the database directly
        entry_id, values = conn.execute(
            select(entries.c.id, entries.c["values"]).where(entries.c.number == 1)
        ).one()
        conn.execute(
            update(entries).where(entries.c.id == entry_id)
            .values({"values": {**values, "birth_date": "2013-03-04"}})
        )  # fmt: skip
        conn.execute(delete(entries).where(entries.c.number == 2))
    with registry.uow(auditor, write=False) as uow:
        problems = lists.check_frozen(uow)
    assert problems == [
        f"list {list_id} version 1: entry 1 changed (birth_date)",
        f"list {list_id} version 1: entry 2 was deleted",
    ]
    with registry.engine.begin() as conn:
        conn.execute(
            update(versions).values(
                content=func.replace(versions.c.content, "Олександр", "Олексій")
            )
        )
    with registry.uow(auditor, write=False) as uow:
        assert "content changed" in lists.check_frozen(uow)[0]


def test_a_list_searches_by_oblast_of_origin(registry: Registry) -> None:
    ids = _children(registry)  # all three born in Маріуполь (Донецька область)
    with registry.uow() as uow:
        kherson = make_child(uow, given_name="Богдан", birth_place="Херсон")
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        row = lists.create_list(
            uow, title="Kherson", purpose="p", channel="c", recipient="r",
            criteria={"oblast": "Херсонська область"},
        )  # fmt: skip
        with pytest.raises(Invalid, match="not an oblast"):
            lists.create_list(uow, title="x", purpose="p", channel="c", recipient="r",
                              criteria={"oblast": "Атлантида"})  # fmt: skip
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        draft = lists.draft_entries(uow, row.id)
        kherson_number = uow.repos.children.get(kherson.id).case_number
    assert [e["case_number"] for e in draft.entries] == [kherson_number]
    assert row.criteria == {"oblast": ["UA-65"]} and ids


def test_names_stay_in_their_own_script_columns(registry: Registry) -> None:
    with registry.uow() as uow:
        latin_only = cases.open_case(
            uow, category=__import__("homeward").domain.model.Category.DEPORTED
        )
        make_record(uow, child_id=latin_only.id, given_name="Zakhar", family_name="Kovalskiy",
                    patronymic="", mother_name="", birth_place="")  # fmt: skip
        mixed = make_child(uow, patronymic="")
        make_record(uow, child_id=mixed.id, patronymic="Arkadevich")
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        row = lists.create_list(uow, title="t", purpose="p", channel="c", recipient="r")
        lists.change_child(uow, row.id, latin_only.id, "add", reason="x")
        lists.change_child(uow, row.id, mixed.id, "add", reason="x")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        entries = lists.draft_entries(uow, row.id).entries
    by_case = {e["case_number"]: e for e in entries}
    latin, cyrillic = by_case[latin_only.case_number], by_case[mixed.case_number]
    assert (latin["family_name_uk"], latin["given_name_ru"]) == (None, None)
    assert latin["name_latin"] == "Kovalskiy Zakhar"
    assert cyrillic["patronymic_uk"] is None and cyrillic["patronymic_ru"] is None


def test_the_overview_puts_drafts_first_and_counts_what_each_list_holds(
    registry: Registry, tmp_path: Path
) -> None:
    _children(registry)
    frozen = _compose(registry, author=WORKER)
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, frozen, accept_without_representative=True)
        lists.freeze(uow, frozen, keys.load_or_create_signing_key(tmp_path / "k"))
        lists.new_version(uow, frozen)
        uow.commit()
    draft = _compose(registry)
    with registry.uow(VERIFIER, write=False) as uow:
        mine = lists.overview(uow)
    with registry.uow(OTHER_VERIFIER, write=False) as uow:
        theirs = lists.overview(uow)
    assert [(s.id, s.status, s.version) for s in mine] == [
        (draft, "draft", 1),
        (frozen, "draft", 2),
    ]
    assert [(s.entries, s.last_frozen_version, s.last_frozen_entries) for s in mine] == [
        (2, None, None), (2, 1, 2),
    ]  # fmt: skip
    # Taras composed the newest list; Iryna started version 2 of the other.
    assert [s.awaiting_my_approval for s in mine] == [False, True]
    assert [s.awaiting_my_approval for s in theirs] == [True, False]


def test_a_list_is_read_back_with_its_versions_changes_and_deliveries(
    registry: Registry, tmp_path: Path
) -> None:
    ids = _children(registry)
    list_id = _compose(registry)
    with registry.uow(VERIFIER) as uow:
        lists.change_child(uow, list_id, ids["dmytro"], "remove", reason="already on the ICRC list")
        uow.commit()
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, keys.load_or_create_signing_key(tmp_path / "k"))
        lists.deliver(uow, list_id, 1, delivered_on="2026-11-20", recipient="Mediator",
                      channel="in person", note="by hand")  # fmt: skip
        lists.deliver(uow, list_id, 1, delivered_on="2026-11-02", recipient="ICRC",
                      channel="e-mail")  # fmt: skip
        lists.new_version(uow, list_id)
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        assert lists.get_list(uow, list_id).title == "Round 3"
        assert [(v.number, v.status) for v in lists.versions_of(uow, list_id)] == [
            (1, "frozen"), (2, "draft"),
        ]  # fmt: skip
        [change] = lists.changes_of(uow, list_id)
        dmytro = uow.repos.children.get(ids["dmytro"]).case_number
        assert (change.case_number, change.action, change.reason, change.by) == (
            dmytro, "remove", "already on the ICRC list", "taras",
        )  # fmt: skip
        delivered = lists.deliveries_of(uow, list_id, 1)
        fields, entries = lists.frozen_entries(lists.frozen_version(uow, list_id, 1))
    assert [(d.delivered_on, d.recipient) for d in delivered] == [
        ("2026-11-02", "ICRC"), ("2026-11-20", "Mediator"),
    ]  # fmt: skip
    assert delivered[1].note == "by hand" and delivered[1].recorded_by == "iryna"
    assert fields == list(lists.PROFILE) and len(entries) == 1


def test_a_missing_list_or_version_is_not_found(registry: Registry) -> None:
    list_id = _compose(registry)
    with registry.uow(VERIFIER) as uow:
        for read in (
            lambda: lists.get_list(uow, 999),
            lambda: lists.versions_of(uow, 999),
            lambda: lists.changes_of(uow, 999),
            lambda: lists.draft_entries(uow, 999),
            lambda: lists.new_version(uow, 999),
            lambda: lists.add_field(uow, 999, "status", justification="asked"),
            lambda: lists.deliveries_of(uow, 999, 1),
        ):
            with pytest.raises(NotFound, match="no list 999"):
                read()
        with pytest.raises(NotFound, match=f"list {list_id} has no version 7"):
            lists.deliveries_of(uow, list_id, 7)
        with pytest.raises(Conflict, match="not frozen"):
            lists.deliveries_of(uow, list_id, 1)


def test_an_unknown_export_format_or_pdf_language_is_refused_before_writing(
    registry: Registry, tmp_path: Path
) -> None:
    _children(registry)
    list_id = _compose(registry)
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, keys.load_or_create_signing_key(tmp_path / "k"))
        uow.commit()
    out = tmp_path / "list.out"
    with registry.uow(VERIFIER) as uow:
        with pytest.raises(Invalid, match="format: one of json, csv, xlsx, pdf, not 'docx'"):
            lists.export_version(uow, list_id, 1, out, format="docx")
        with pytest.raises(Invalid, match="language: one of uk, en, ru, not 'de'"):
            lists.export_version(uow, list_id, 1, out, format="pdf", language="de")
        assert lists.export_version(uow, list_id, 1, out, format="csv", language="de") == 2
    assert out.read_text(encoding="utf-8-sig").startswith("entry_number,")


def test_lists_are_read_only_by_those_who_compose_or_approve_them(registry: Registry) -> None:
    list_id = _compose(registry)
    auditor = Actor(username="anna", role=Role.AUDITOR)
    for actor in (ANALYST, auditor):
        with registry.uow(actor, write=False) as uow:
            for read in (
                lambda: lists.overview(uow),
                lambda: lists.get_list(uow, list_id),
                lambda: lists.versions_of(uow, list_id),
                lambda: lists.changes_of(uow, list_id),
                lambda: lists.draft_entries(uow, list_id),
            ):
                with pytest.raises(Forbidden):
                    read()
    with registry.uow(WORKER, write=False) as uow:
        assert [s.id for s in lists.overview(uow)] == [list_id]
