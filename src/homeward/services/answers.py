"""Answers to handover lists, and the tallies negotiators quote.

The other side or a mediator answers for each entry of a frozen version: no
answer, partial information, located (where), not found, claims the child is
not in Russia, claims the child is an adult, agreed to return, returned,
deceased, or disputed; with the date and who said it.  Every answer is kept
(the latest counts) and written on the child's timeline as a counterpart
response.  Where an answer implies a status move (located, agreed to return,
returned, deceased), the move waits for a person to confirm it
(:func:`confirm_move`): the other side's word is not yet a fact.

:func:`reconcile` gives the tallies of a version ("of 339: partial information
on 62, no answer on 212, 6 returned"), days since delivery, the disputed
entries, and the children on several lists still without an answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from homeward.domain.model import EventKind, SourceKind
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid, NotFound
from homeward.io.headers import map_headers, normalise_header
from homeward.io.tabular import open_table
from homeward.io.writers import write_table
from homeward.linkage.batch import link
from homeward.linkage.model import default_model, probability
from homeward.linkage.scoring import score_pair
from homeward.services import cases
from homeward.services.cases import _require_reason
from homeward.services.lists import check_export, frozen_version, past_day, require_reader
from homeward.services.records import clean_text
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    EventRow,
    HandoverListRow,
    ListAnswerRow,
    ListEntryRow,
    ListVersionRow,
    MatchCandidateRow,
    RecordRow,
    SourceRow,
)
from homeward.storage.uow import UnitOfWork


class Answer(StrEnum):
    NO_ANSWER = "no_answer"
    PARTIAL_INFORMATION = "partial_information"
    LOCATED = "located"
    NOT_FOUND = "not_found"
    CLAIMS_NOT_IN_RUSSIA = "claims_not_in_russia"
    CLAIMS_ADULT = "claims_adult"
    AGREED_TO_RETURN = "agreed_to_return"
    RETURNED = "returned"
    DECEASED = "deceased"
    DISPUTED = "disputed"


IMPLIED_MOVES: dict[Answer, tuple[Status, str | None]] = {
    Answer.LOCATED: (Status.LOCATED, "russia"),
    Answer.AGREED_TO_RETURN: (Status.RETURN_IN_PROGRESS, "requested"),
    Answer.RETURNED: (Status.RETURNED, None),
    Answer.DECEASED: (Status.CLOSED, "deceased"),
}
"""The status move an answer implies, once a person confirms it."""


def _entry(uow: UnitOfWork, list_id: int, number: int, entry_number: int) -> ListEntryRow:
    version = frozen_version(uow, list_id, number)
    entry = uow.session.scalars(
        select(ListEntryRow)
        .where(ListEntryRow.version_id == version.id)
        .where(ListEntryRow.number == entry_number)
    ).one_or_none()
    if entry is None:
        raise Invalid(f"version {number} of list {list_id} has no entry {entry_number}")
    return entry


def record_answer(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    entry_number: int,
    answer: Answer,
    *,
    answered_on: str,
    source: str,
    detail: str | None = None,
) -> ListAnswerRow:
    """Keep an answer for one entry and write it on the child's timeline."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    entry = _entry(uow, list_id, number, entry_number)
    day = past_day(answered_on, "answered_on")
    said = clean_text(source)
    if not said:
        raise Invalid("source: say who answered, and through what")
    title = uow.session.get_one(HandoverListRow, list_id).title
    note = (
        f"{answer.value.replace('_', ' ')} (entry {entry_number} of '{title}', version {number}; "
        f"{said})" + (f": {clean_text(detail)}" if clean_text(detail) else "")
    )
    with uow.action("list.answer"):
        # The answer's mark on the timeline is part of recording it (list work), not
        # an edit of the case: whoever may record answers writes it.
        event = EventRow(
            child_id=entry.child_id, kind=EventKind.COUNTERPART_RESPONSE.value,
            date=day.isoformat(), note=note, created_by=uow.actor.username,
        )  # fmt: skip
        uow.session.add(event)
        uow.session.flush()
        row = ListAnswerRow(
            entry_id=entry.id, answer=answer.value, detail=clean_text(detail),
            answered_on=day.isoformat(), source=said, recorded_by=uow.actor.username,
            event_id=event.id,
        )  # fmt: skip
        uow.session.add(row)
    return row


def confirm_move(uow: UnitOfWork, answer_id: int, *, reason: str) -> ChildRow:
    """Make the status move an answer implies, now that a person confirmed it."""
    row = uow.session.get(ListAnswerRow, answer_id)
    if row is None:
        raise NotFound(f"no answer {answer_id}")
    implied = IMPLIED_MOVES.get(Answer(row.answer))
    if implied is None:
        raise Invalid(f"answer '{row.answer}' implies no status move")
    if row.applied_by is not None:
        raise Conflict(f"the move of answer {answer_id} was confirmed by {row.applied_by}")
    entry = uow.session.get_one(ListEntryRow, row.entry_id)
    status, detail = implied
    child = cases.move_status(
        uow, entry.child_id, status, detail=detail,
        reason=f"{_require_reason(reason)} (answer {answer_id}: {row.answer} from {row.source})",
    )  # fmt: skip
    with uow.action("list.confirm_answer"):
        row.applied_by = uow.actor.username
    return child


@dataclass
class Tally:
    """The figures of one frozen version."""

    list_id: int
    title: str
    version: int
    entries: int
    by_answer: dict[str, int]
    """The latest answer of each entry (``no_answer`` for entries nobody answered)."""
    delivered_on: str | None
    days_since_delivery: int | None
    disputed: list[str] = field(default_factory=list)
    """Case numbers whose latest answer disputes the entry."""
    waiting_on_several_lists: list[str] = field(default_factory=list)
    """Children on this and other frozen lists, with no answer on any of them."""
    on_their_lists: list[str] = field(default_factory=list)
    """Children of this version whom a list of the other side names too: a record of
    a counterpart list is in their case, or waits in the review queue for it."""

    def sentence(self) -> str:
        """``of 339: partial information on 62, no answer on 212, returned 6``"""
        parts = [f"{a.replace('_', ' ')} {n}" for a, n in sorted(
            self.by_answer.items(), key=lambda item: -item[1])]  # fmt: skip
        return f"of {self.entries}: " + ", ".join(parts)


def reconcile(uow: UnitOfWork, list_id: int, number: int, *, today: date | None = None) -> Tally:
    """The figures of a frozen version (see :class:`Tally`)."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    entries = list(
        uow.session.scalars(select(ListEntryRow).where(ListEntryRow.version_id == version.id))
    )
    latest: dict[int, ListAnswerRow] = {}
    for answer in uow.session.scalars(
        select(ListAnswerRow)
        .where(ListAnswerRow.entry_id.in_([e.id for e in entries]))
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ):
        latest[answer.entry_id] = answer
    counts = Counter(latest[e.id].answer if e.id in latest else "no_answer" for e in entries)
    deliveries = list(
        uow.session.scalars(
            select(DeliveryRow.delivered_on)
            .where(DeliveryRow.version_id == version.id)
            .order_by(DeliveryRow.delivered_on)
        )
    )
    first = deliveries[0] if deliveries else None
    today = today or datetime.now(UTC).date()
    disputed = sorted(
        str(e.values.get("case_number"))
        for e in entries
        if e.id in latest and latest[e.id].answer == Answer.DISPUTED
    )
    return Tally(
        list_id, uow.session.get_one(HandoverListRow, list_id).title, number, len(entries),
        dict(counts), first, (today - date.fromisoformat(first)).days if first else None,
        disputed, _waiting_everywhere(uow, [e.child_id for e in entries if e.id not in latest]),
        _on_their_lists(uow, [e.child_id for e in entries]),
    )  # fmt: skip


def _on_their_lists(uow: UnitOfWork, child_ids: list[int]) -> list[str]:
    """Of these children, those a counterpart's list names (linked or proposed)."""
    if not child_ids:
        return []
    theirs = (
        select(RecordRow.id)
        .join(SourceRow, RecordRow.source_id == SourceRow.id)
        .where(SourceRow.kind == SourceKind.COUNTERPART_LIST.value)
    )
    linked = set(
        uow.session.scalars(
            select(RecordRow.child_id)
            .where(RecordRow.id.in_(theirs))
            .where(RecordRow.child_id.in_(child_ids))
        )
    )
    proposed = set(
        uow.session.scalars(
            select(MatchCandidateRow.child_id)
            .where(MatchCandidateRow.record_id.in_(theirs))
            .where(MatchCandidateRow.child_id.in_(child_ids))
            .where(MatchCandidateRow.status.in_(["pending", "deferred"]))
        )
    )
    found = linked | proposed
    return list(
        uow.session.scalars(
            select(ChildRow.case_number)
            .where(ChildRow.id.in_(found))
            .order_by(ChildRow.case_number)
        )
    )


def _waiting_everywhere(uow: UnitOfWork, child_ids: list[int]) -> list[str]:
    """Of these children, those on more than one frozen list and answered on none."""
    if not child_ids:
        return []
    rows = uow.session.execute(
        select(ListEntryRow.child_id, ListEntryRow.id, ListVersionRow.list_id)
        .join(ListVersionRow, ListEntryRow.version_id == ListVersionRow.id)
        .where(ListEntryRow.child_id.in_(child_ids))
    ).all()
    answered = set(
        uow.session.scalars(
            select(ListAnswerRow.entry_id).where(ListAnswerRow.entry_id.in_([r[1] for r in rows]))
        )
    )
    lists_of: dict[int, set[int]] = {}
    touched: set[int] = set()
    for child_id, entry_id, list_id in rows:
        lists_of.setdefault(child_id, set()).add(list_id)
        if entry_id in answered:
            touched.add(child_id)
    waiting = [c for c, found in lists_of.items() if len(found) > 1 and c not in touched]
    numbers = uow.session.scalars(
        select(ChildRow.case_number).where(ChildRow.id.in_(waiting)).order_by(ChildRow.case_number)
    )
    return list(numbers)


# --- the file the other side returns -----------------------------------------------------

_ANSWER_WORDS: tuple[tuple[Answer, tuple[str, ...]], ...] = (
    (Answer.NO_ANSWER, ("no answer", "немає відповіді", "нет ответа", "без відповіді",
                        "без ответа", "no information", "нет информации", "немає інформації")),
    (Answer.PARTIAL_INFORMATION, ("partial", "частков", "частичн", "уточнюєт", "уточняет")),
    (Answer.NOT_FOUND, ("not found", "не знайд", "не найден", "не установлен", "не встановлен",
                        "not located", "не обнаружен")),
    (Answer.CLAIMS_NOT_IN_RUSSIA, ("not in russia", "не в рф", "не в росії", "не в россии",
                                   "не находится на территории", "не перебуває на території",
                                   "outside russia")),
    (Answer.CLAIMS_ADULT, ("adult", "повнолітн", "совершеннолетн", "over 18", "старше 18")),
    (Answer.AGREED_TO_RETURN, ("agreed", "згода на повернення", "согласие на возвращение",
                               "согласен", "погоджено", "согласовано", "to be returned")),
    (Answer.RETURNED, ("returned", "повернут", "повернен", "возвращен", "возвращён",
                       "вернулся", "передан", "handed over")),
    (Answer.DECEASED, ("deceased", "died", "dead", "помер", "загинув", "умер", "скончал",
                       "погиб")),
    (Answer.DISPUTED, ("disputed", "dispute", "оспарива", "заперечу", "оспорен",
                       "не является", "не є")),
    (Answer.LOCATED, ("located", "found", "знайдено", "знайден", "найден", "установлен",
                      "встановлено", "находится", "перебуває", "проживает", "проживає")),
)  # fmt: skip
"""Words the other side and mediators use for each answer, in the order they are
tried ("not found" before "found")."""

_ENTRY_HEADERS = ("entry number", "entry", "№", "n", "no", "номер", "номер запису",
                  "номер записи", "№ п п", "п п", "#")  # fmt: skip
NUMBER_WEIGHT = 4.0
"""Log2 odds an entry number adds for the entry it names (16 to 1): enough to tip
a pair the names leave in doubt, never enough to outweigh names that disagree."""
_ENTRY_SIGNS = ("№", "#", "№ п/п", "no.", "nr", "nr.")
"""Headers of the entry number that are signs, not words."""
_ANSWER_HEADERS = ("answer", "відповідь", "ответ", "результат", "статус", "status",
                   "result", "response", "інформація", "информация")  # fmt: skip


def read_answer(text: object) -> Answer | None:
    """``"Найден, находится в г. Анапа"`` -> ``located``; ``None`` if not understood."""
    value = " ".join(str(text or "").casefold().replace("ё", "е").split())
    if not value:
        return None
    for answer in Answer:
        if value == answer.value or value == answer.value.replace("_", " "):
            return answer
    for answer, words in _ANSWER_WORDS:
        if any(word in value for word in words):
            return answer
    return None


@dataclass
class AnswersImport:
    rows: int = 0
    by_number: int = 0
    """Rows matched by their entry number (and, where they give names, the names agree)."""
    by_identity: int = 0
    """Rows matched by name and birth date (renumbered, or respelled)."""
    recorded: int = 0
    problems: list[str] = field(default_factory=list)
    """Rows not recorded, each with the reason."""
    assigned: dict[int, int] = field(default_factory=dict)
    """Row number in the file -> the entry number its answer was recorded for."""


def import_answers(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    path: str,
    *,
    source: str,
    answered_on: str | None = None,
    agree_below: float = 0.2,
    match_from: float = 0.5,
) -> AnswersImport:
    """Record the answers of a returned file (CSV or XLSX).

    A row without names goes to the entry its number names.  A row with names is
    matched by them (and the birth date) against every entry of the version with
    the matching engine, the row's entry number counting as evidence for the
    entry it names; each entry is taken once, best pairs first, from
    ``match_from`` up.  Rows that match no entry, or whose answer is not
    understood, are reported, not guessed.
    """
    uow.actor.require(Permission.COMPOSE_LISTS)
    version = frozen_version(uow, list_id, number)
    entries = {
        e.number: e
        for e in uow.session.scalars(
            select(ListEntryRow).where(ListEntryRow.version_id == version.id)
        )
    }
    identity = {n: _entry_identity(e.values) for n, e in entries.items()}
    # A row of the reply is one of these entries, not any child of a registry:
    # the prior that a row and an entry are the same child is one in len(entries).
    model = replace(default_model(), prior=min(0.5, 1 / max(len(entries), 2)))
    day = answered_on or datetime.now(UTC).date().isoformat()
    result = AnswersImport()
    rows: list[tuple[int, dict[str, Any], Answer, str | None, int | None]] = []
    with open_table(path) as table:
        headers = [normalise_header(h) for h in table.headers]
        fields = {c.index: c.field for c in map_headers(table.headers) if c.field}
        raw = [str(h).strip().casefold() for h in table.headers]
        entry_col = next(
            (i for i, h in enumerate(headers) if h in _ENTRY_HEADERS or raw[i] in _ENTRY_SIGNS),
            None,
        )
        answer_col = next((i for i, h in enumerate(headers) if h in _ANSWER_HEADERS), None)
        if answer_col is None:
            raise Invalid(
                f"{table.file_name}: no answer column (a header such as Відповідь, Ответ, "
                "Answer, Результат, Статус)"
            )
        for row_number, cells in table.rows:
            result.rows += 1
            cell = cells[answer_col] if answer_col < len(cells) else None
            answer = read_answer(cell)
            if answer is None:
                result.problems.append(f"row {row_number}: answer '{cell}' not understood")
                continue
            values = {fields[i]: v for i, v in enumerate(cells) if i in fields and v}
            detail = clean_text(cell)
            entry_number = None
            if entry_col is not None and entry_col < len(cells):
                try:
                    entry_number = int(str(cells[entry_col]).strip().rstrip("."))
                except ValueError:
                    entry_number = None
            rows.append((row_number, values, answer, detail, entry_number))
    matched: dict[int, int] = {}
    named: list[int] = []
    for index, (row_number, values, _, _, entry_number) in enumerate(rows):
        if any(k in values for k in ("family_name", "given_name", "full_name")):
            named.append(index)
        elif entry_number in entries:
            matched[index] = entry_number  # no names to check it against: the number says
            result.by_number += 1
        else:
            said = f"no entry {entry_number}" if entry_number is not None else "no entry number"
            result.problems.append(f"row {row_number}: {said} and no names")
    # Named rows: every (row, entry) pair the engine finds, and the pair the row's
    # number names; the number counts as evidence (NUMBER_WEIGHT), the names decide.
    weights: dict[tuple[int, int], float] = {}
    numbers = sorted(entries)
    if named:
        linked = link(
            [rows[i][1] for i in named], [identity[n] for n in numbers],
            model=model, train_model=False, threshold=min(match_from, agree_below),
        )  # fmt: skip
        for pair in linked.pairs:
            weights[(named[pair.a], numbers[pair.b - len(named)])] = pair.weight
        for index in named:
            entry_number = rows[index][4]
            if entry_number in entries:
                key = (index, entry_number)
                if key not in weights:
                    weights[key] = score_pair(model, rows[index][1], identity[entry_number]).weight
                weights[key] += NUMBER_WEIGHT
    taken = set(matched.values())
    for (index, entry_number), weight in sorted(weights.items(), key=lambda kv: -kv[1]):
        if probability(weight) < match_from:
            break
        if index in matched or entry_number in taken:
            continue
        matched[index] = entry_number
        taken.add(entry_number)
        if entry_number == rows[index][4]:
            result.by_number += 1
        else:
            result.by_identity += 1
    for index in named:
        if index not in matched:
            result.problems.append(f"row {rows[index][0]}: no entry matches its names")
    for index, entry_number in sorted(matched.items()):
        _, _, answer, detail, _ = rows[index]
        record_answer(uow, list_id, number, entry_number, answer, answered_on=day,
                      source=source, detail=detail)  # fmt: skip
        result.recorded += 1
        result.assigned[rows[index][0]] = entry_number
    return result


def _entry_identity(values: dict[str, Any]) -> dict[str, Any]:
    """An entry as the matcher reads it: its Ukrainian names, else its Russian
    ones, else its Latin spelling (the engine reads every script against every
    other)."""
    parts = {
        name: values.get(f"{name}_uk") or values.get(f"{name}_ru")
        for name in ("family_name", "given_name", "patronymic")
    }
    return {
        "record_id": str(values.get("entry_number")),
        **parts,
        "full_name": None
        if parts["family_name"] or parts["given_name"]
        else values.get("name_latin"),
        "sex": values.get("sex"),
        "birth_date": values.get("birth_date"),
    }


TALLY_COLUMNS = (
    "entry_number", "case_number", "family_name_uk", "given_name_uk", "birth_date",
    "answer", "detail", "answered_on", "source", "answers",
)  # fmt: skip


def tally_rows(uow: UnitOfWork, list_id: int, number: int) -> list[list[Any]]:
    """One row per entry: who it is and the latest answer (``answers``: how many)."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    entries = list(
        uow.session.scalars(
            select(ListEntryRow)
            .where(ListEntryRow.version_id == version.id)
            .order_by(ListEntryRow.number)
        )
    )
    history: dict[int, list[ListAnswerRow]] = {}
    for answer in uow.session.scalars(
        select(ListAnswerRow)
        .where(ListAnswerRow.entry_id.in_([e.id for e in entries]))
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ):
        history.setdefault(answer.entry_id, []).append(answer)
    rows = []
    for entry in entries:
        said = history.get(entry.id, [])
        last = said[-1] if said else None
        rows.append(
            [entry.number, entry.values.get("case_number"), entry.values.get("family_name_uk"),
             entry.values.get("given_name_uk"), entry.values.get("birth_date"),
             last.answer if last else Answer.NO_ANSWER.value, last.detail if last else None,
             last.answered_on if last else None, last.source if last else None, len(said)]
        )  # fmt: skip
    return rows


def write_tally(
    uow: UnitOfWork, list_id: int, number: int, path: str, *, format: str, language: str = "uk"
) -> int:
    """The tally as a table (``csv``, ``xlsx`` or ``json``: the figures, then every
    entry) or as a ``pdf`` report in ``language``.  An unknown format or PDF
    language is ``Invalid``, and nothing is written."""
    from pathlib import Path

    check_export(format, language)
    tally = reconcile(uow, list_id, number)
    rows = tally_rows(uow, list_id, number)
    if format == "pdf":
        from homeward.documents.lists import write_tally_pdf

        write_tally_pdf(tally, rows, path, language=language)
        uow.note("list.tally_export", "list_versions", None, list_id=list_id, version=number,
                 format=format, entries=len(rows))  # fmt: skip
        return len(rows)
    summary = [
        [None, None, f"{tally.title}, version {tally.version}", None, None, a, None, None, None, n]
        for a, n in sorted(tally.by_answer.items(), key=lambda item: -item[1])
    ]
    count = write_table(Path(path), format, TALLY_COLUMNS, [*summary, *rows])
    uow.note("list.tally_export", "list_versions", None, list_id=list_id, version=number,
             format=format, entries=len(rows))  # fmt: skip
    return count


# --- reading answers back --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRead:
    """An answer to one entry, the status move it implies, and who confirmed it."""

    id: int
    entry_number: int
    case_number: str | None
    answer: str
    detail: str | None
    answered_on: str
    source: str
    recorded_by: str
    implies: dict[str, str | None] | None
    """``{"status": ..., "detail": ...}`` of the move, if the answer implies one."""
    confirmed_by: str | None
    """Who confirmed the move (it is made only then)."""


def answers_of(uow: UnitOfWork, list_id: int, number: int) -> list[AnswerRead]:
    """Every answer to a frozen version's entries, oldest first."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    rows = uow.session.execute(
        select(ListAnswerRow, ListEntryRow.number, ListEntryRow.values)
        .join(ListEntryRow, ListEntryRow.id == ListAnswerRow.entry_id)
        .where(ListEntryRow.version_id == version.id)
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ).all()
    found = []
    for answer, entry_number, values in rows:
        implied = IMPLIED_MOVES.get(Answer(answer.answer))
        found.append(
            AnswerRead(
                id=answer.id, entry_number=entry_number, case_number=values.get("case_number"),
                answer=answer.answer, detail=answer.detail, answered_on=answer.answered_on,
                source=answer.source, recorded_by=answer.recorded_by,
                implies={"status": implied[0].value, "detail": implied[1]} if implied else None,
                confirmed_by=answer.applied_by,
            )
        )  # fmt: skip
    return found


def check_answer_of(uow: UnitOfWork, list_id: int, answer_id: int) -> None:
    """``NotFound`` unless the answer was given to this list: an answer reached
    through a list's address must be one of its own."""
    require_reader(uow.actor)
    found = uow.session.scalar(
        select(ListVersionRow.list_id)
        .join(ListEntryRow, ListEntryRow.version_id == ListVersionRow.id)
        .join(ListAnswerRow, ListAnswerRow.entry_id == ListEntryRow.id)
        .where(ListAnswerRow.id == answer_id)
    )
    if found != list_id:
        raise NotFound(f"list {list_id} has no answer {answer_id}")
