"""The file the other side returns: its answers read, and each row matched
to the entry it answers, by number and by name."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from homeward.domain.roles import Permission
from homeward.errors import Invalid
from homeward.io.headers import map_headers, normalise_header
from homeward.io.tabular import open_table
from homeward.linkage.batch import link
from homeward.linkage.model import default_model, probability
from homeward.linkage.scoring import score_pair
from homeward.services.answers.recording import Answer, record_answer
from homeward.services.lists import frozen_version
from homeward.services.records import clean_text
from homeward.storage.tables import ListEntryRow
from homeward.storage.uow import UnitOfWork

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
