"""Answers to a frozen list, the moves they imply once confirmed, and the tallies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from homeward import keys
from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.services import answers, lists
from homeward.services.answers import Answer
from homeward.services.registry_app import Registry
from homeward.storage.tables import ListEntryRow
from tests.core.test_lists import OTHER_VERIFIER, VERIFIER, _children, _compose

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def _frozen_list(registry: Registry, tmp_path: Path) -> int:
    _children(registry)
    list_id = _compose(registry)
    key = keys.load_or_create_signing_key(tmp_path / "keys")
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(uow, list_id, key)
        lists.deliver(uow, list_id, 1, delivered_on="2026-11-01", recipient="Mediator",
                      channel="in person")  # fmt: skip
        uow.commit()
    return list_id


def test_answers_are_kept_the_latest_counts_and_tallies_add_up(
    registry: Registry, tmp_path: Path
) -> None:
    list_id = _frozen_list(registry, tmp_path)
    with registry.uow(WORKER) as uow:
        answers.record_answer(uow, list_id, 1, 1, Answer.NOT_FOUND, answered_on="2026-11-10",
                              source="mediator's letter")  # fmt: skip
        answers.record_answer(
            uow, list_id, 1, 1, Answer.LOCATED, answered_on="2026-11-15",
            source="mediator's call", detail="Anapa, children's camp",
        )  # fmt: skip
        with pytest.raises(Invalid, match="no entry 9"):
            answers.record_answer(uow, list_id, 1, 9, Answer.LOCATED, answered_on="2026-11-15",
                                  source="x")  # fmt: skip
        with pytest.raises(Invalid, match="future"):
            answers.record_answer(uow, list_id, 1, 2, Answer.LOCATED, answered_on="2099-01-01",
                                  source="x")  # fmt: skip
        uow.commit()
    with registry.uow(WORKER, write=False) as uow:
        tally = answers.reconcile(uow, list_id, 1, today=date(2026, 11, 25))
        entry = uow.session.scalars(select(ListEntryRow).order_by(ListEntryRow.number)).first()
        assert entry is not None
        events = [e.kind for e in uow.repos.events.of_child(entry.child_id)]
    assert tally.entries == 2 and tally.by_answer == {"located": 1, "no_answer": 1}
    assert tally.sentence() == "of 2: located 1, no answer 1"
    assert (tally.delivered_on, tally.days_since_delivery) == ("2026-11-01", 24)
    assert events.count("counterpart_response") == 2


def test_an_implied_move_waits_for_confirmation(registry: Registry, tmp_path: Path) -> None:
    list_id = _frozen_list(registry, tmp_path)
    with registry.uow(WORKER) as uow:
        said = answers.record_answer(uow, list_id, 1, 2, Answer.AGREED_TO_RETURN,
                                     answered_on="2026-11-20", source="round 3 reply")  # fmt: skip
        partial = answers.record_answer(
            uow, list_id, 1, 1, Answer.PARTIAL_INFORMATION, answered_on="2026-11-20",
            source="round 3 reply",
        )  # fmt: skip
        uow.commit()
    with registry.uow(WORKER) as uow:
        entry = uow.session.get_one(ListEntryRow, said.entry_id)
        assert uow.repos.children.get(entry.child_id).status == "located"  # not yet moved
        with pytest.raises(Invalid, match="implies no status move"):
            answers.confirm_move(uow, partial.id, reason="x")
        child = answers.confirm_move(uow, said.id, reason="the mediator confirmed in writing")
        uow.commit()
    assert (child.status, child.status_detail) == ("return_in_progress", "requested")
    with registry.uow(WORKER) as uow, pytest.raises(Conflict, match="was confirmed by olena"):
        answers.confirm_move(uow, said.id, reason="again")


def test_disputed_entries_and_children_waiting_on_several_lists(
    registry: Registry, tmp_path: Path
) -> None:
    list_id = _frozen_list(registry, tmp_path)
    second = _compose(registry)  # the same search: the same two children, on another list
    with registry.uow(OTHER_VERIFIER) as uow:
        lists.approve(uow, second, accept_without_representative=True)
        lists.freeze(uow, second, keys.load_or_create_signing_key(tmp_path / "keys"))
        uow.commit()
    with registry.uow(WORKER) as uow:
        answers.record_answer(uow, list_id, 1, 1, Answer.DISPUTED, answered_on="2026-11-20",
                              source="reply", detail="says he is a Russian citizen")  # fmt: skip
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        tally = answers.reconcile(uow, list_id, 1)
        entries = lists.draft_entries(uow, list_id).entries
    by_number = {e["entry_number"]: e["case_number"] for e in entries}
    assert tally.disputed == [by_number[1]]
    assert tally.waiting_on_several_lists == [by_number[2]]


def test_a_returned_file_renumbered_and_respelled_is_matched_by_identity(
    registry: Registry, tmp_path: Path
) -> None:
    list_id = _frozen_list(registry, tmp_path)
    reply = tmp_path / "ответ.csv"
    reply.write_text(
        "№;Фамилия;Имя;Отчество;Дата рождения;Ответ\n"
        "1;Шевчук;Дмитрий;Иванович;02.01.2010;Найден, находится в г. Анапа\n"
        "5;Коваленко;Александр;Сергеевич;04.03.2012;Возвращён законному представителю\n"
        ";Петров;Иван;;2011;Не найден\n"
        "3;;;;;уточним позже?\n",
        encoding="utf-8",
    )
    with registry.uow(WORKER) as uow:
        result = answers.import_answers(
            uow, list_id, 1, str(reply), source="reply of round 3", answered_on="2026-11-21"
        )
        uow.commit()
    assert (result.rows, result.recorded, result.by_number, result.by_identity) == (4, 2, 0, 2)
    assert result.problems == [
        "row 5: answer 'уточним позже?' not understood",
        "row 4: no entry matches its names",
    ]
    with registry.uow(WORKER, write=False) as uow:
        tally = answers.reconcile(uow, list_id, 1)
        entries = {
            e["entry_number"]: e["given_name_uk"] for e in lists.draft_entries(uow, list_id).entries
        }
    assert tally.by_answer == {"located": 1, "returned": 1}
    assert entries == {1: "Олександр", 2: "Дмитро"}  # so row 1 (Dmytro) went to entry 2


def test_answer_words_in_three_languages() -> None:
    assert answers.read_answer("Не найден") == Answer.NOT_FOUND
    assert answers.read_answer("найден") == Answer.LOCATED
    assert answers.read_answer("Повернуто матері") == Answer.RETURNED
    assert answers.read_answer("claims adult") == Answer.CLAIMS_ADULT
    assert answers.read_answer("agreed_to_return") == Answer.AGREED_TO_RETURN
    assert answers.read_answer("") is None and answers.read_answer("???") is None


def test_the_tally_names_children_the_other_sides_own_lists_name_too(
    registry: Registry, tmp_path: Path
) -> None:
    from homeward.domain.model import SourceKind
    from tests.factories import make_record, make_source

    list_id = _frozen_list(registry, tmp_path)
    with registry.uow() as uow:
        entry = uow.session.scalars(select(ListEntryRow).where(ListEntryRow.number == 1)).one()
        theirs = make_source(uow, kind=SourceKind.COUNTERPART_LIST, title="their 18 names")
        make_record(uow, source=theirs, child_id=entry.child_id, given_name="Александр")
        make_record(uow, source=theirs, family_name="Неизвестный", given_name="Пётр")
        uow.commit()
        number = uow.repos.children.get(entry.child_id).case_number
    with registry.uow(WORKER, write=False) as uow:
        assert answers.reconcile(uow, list_id, 1).on_their_lists == [number]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_tally_as_a_pdf_report(registry: Registry, tmp_path: Path) -> None:
    list_id = _frozen_list(registry, tmp_path)
    with registry.uow(WORKER) as uow:
        answers.record_answer(uow, list_id, 1, 1, Answer.RETURNED, answered_on="2026-11-20",
                              source="reply")  # fmt: skip
        out = tmp_path / "tally.pdf"
        assert answers.write_tally(uow, list_id, 1, str(out), format="pdf", language="uk") == 2
        uow.commit()
    assert out.read_bytes().startswith(b"%PDF")


def test_answers_are_read_back_with_the_move_they_imply_and_who_confirmed_it(
    registry: Registry, tmp_path: Path
) -> None:
    list_id = _frozen_list(registry, tmp_path)
    with registry.uow(WORKER) as uow:
        later = answers.record_answer(uow, list_id, 1, 2, Answer.AGREED_TO_RETURN,
                                      answered_on="2026-11-21", source="reply")  # fmt: skip
        answers.record_answer(uow, list_id, 1, 1, Answer.NOT_FOUND, answered_on="2026-11-20",
                              source="mediator's letter", detail="no such name")  # fmt: skip
        uow.commit()
    with registry.uow(WORKER) as uow:
        answers.confirm_move(uow, later.id, reason="the mediator confirmed in writing")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        said = answers.answers_of(uow, list_id, 1)
        entries = {e.number: e.values["case_number"] for e in uow.session.scalars(
            select(ListEntryRow))}  # fmt: skip
    assert [(a.entry_number, a.answer, a.answered_on) for a in said] == [
        (1, "not_found", "2026-11-20"), (2, "agreed_to_return", "2026-11-21"),
    ]  # fmt: skip
    assert [a.case_number for a in said] == [entries[1], entries[2]]
    assert (said[0].detail, said[0].implies, said[0].confirmed_by) == ("no such name", None, None)
    assert said[1].implies == {"status": "return_in_progress", "detail": "requested"}
    assert said[1].confirmed_by == "olena" and said[1].recorded_by == "olena"


def test_an_answer_is_reached_only_through_its_own_list(registry: Registry, tmp_path: Path) -> None:
    list_id = _frozen_list(registry, tmp_path)
    other = _compose(registry)
    with registry.uow(WORKER) as uow:
        said = answers.record_answer(uow, list_id, 1, 1, Answer.LOCATED,
                                     answered_on="2026-11-20", source="reply")  # fmt: skip
        uow.commit()
    with registry.uow(WORKER) as uow:
        answers.check_answer_of(uow, list_id, said.id)
        with pytest.raises(NotFound, match=f"list {other} has no answer {said.id}"):
            answers.check_answer_of(uow, other, said.id)
        with pytest.raises(NotFound, match="no answer 999"):
            answers.confirm_move(uow, 999, reason="x")
        with pytest.raises(NotFound, match="has no version 4"):
            answers.answers_of(uow, list_id, 4)
        with pytest.raises(Invalid, match="format: one of"):
            answers.write_tally(uow, list_id, 1, str(tmp_path / "t.doc"), format="doc")
    assert not (tmp_path / "t.doc").exists()
    with registry.uow(Actor(username="ivan", role=Role.ANALYST), write=False) as uow:
        with pytest.raises(Forbidden):
            answers.answers_of(uow, list_id, 1)
        with pytest.raises(Forbidden):
            answers.reconcile(uow, list_id, 1)


def test_an_answer_about_a_case_merged_since_the_freeze_lands_on_the_case_it_was_merged_into(
    registry: Registry, tmp_path: Path
) -> None:
    from homeward.services.merging import merge_children
    from tests.core.test_lists import _located_in_russia
    from tests.factories import make_child

    list_id = _frozen_list(registry, tmp_path)
    with registry.uow() as uow:
        entry = uow.session.scalars(select(ListEntryRow).where(ListEntryRow.number == 2)).one()
        listed = entry.child_id
        # The child on the list turns out to have a case of his own already.
        surviving = make_child(uow, given_name="Дмитро", family_name="Шевчук",
                               patronymic="Іванович", birth_date="2010-01-02")  # fmt: skip
        _located_in_russia(uow, surviving.id)
        merge_children(uow, listed, surviving.id, reason="the same boy, reported twice")
        uow.commit()
    with registry.uow(WORKER) as uow:
        said = answers.record_answer(uow, list_id, 1, 2, Answer.AGREED_TO_RETURN,
                                     answered_on="2026-11-20", source="round 3 reply")  # fmt: skip
        uow.commit()
    with registry.uow(WORKER) as uow:
        kinds = [e.kind for e in uow.repos.events.of_child(surviving.id)]
        assert kinds.count("counterpart_response") == 1
        assert "counterpart_response" not in [e.kind for e in uow.repos.events.of_child(listed)]
        child = answers.confirm_move(uow, said.id, reason="the mediator confirmed in writing")
        uow.commit()
    assert (child.id, child.status, child.status_detail) == (
        surviving.id, "return_in_progress", "requested"
    )  # fmt: skip
    with registry.uow(WORKER, write=False) as uow:
        assert uow.repos.children.get(listed).status == "merged"
