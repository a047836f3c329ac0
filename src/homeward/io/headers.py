"""Column headers as agencies write them, mapped to the fields of a record.

Files arrive with headers in Ukrainian, Russian or English, abbreviated
(``ПІБ``, ``ФИО``, ``Д.н.``), inflected (``ПІБ матері``), with stray punctuation
and apostrophes of every kind (``Ім'я``, ``Імʼя``, ``Ім’я``).  A header is
normalised (case, apostrophes, punctuation, ``ё``) and matched against rules
tried in order: the first rule whose words all start words of the header names
the field.  Order matters: ``ПІБ матері`` is the mother's name, not the
child's; ``Прізвище, ім'я, по батькові`` is a full name, not a patronymic.

An explicit mapping (header -> field, from a JSON file) overrides the rules.
Two columns that map to one field: the first keeps it, the later ones stay
unmapped and are reported; every value is kept in the record's raw copy
whatever its column maps to.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from homeward.domain.record import RECORD_FIELD_NAMES
from homeward.errors import Invalid

EXTERNAL_ID = "external_id"
"""The source's own identifier of a row (kept on the record, not a record field)."""
IMPORT_FIELDS: tuple[str, ...] = (*RECORD_FIELD_NAMES, EXTERNAL_ID)

_APOSTROPHES = re.compile(r"[\u0027\u2019\u02bc\u0060\u00b4\u2018\u02b9]")
_NON_WORD = re.compile(r"[^\w]+")

# (field, alternatives), tried in order; an alternative is a string of words,
# each of which must start a word of the header, in sequence (``дата народж``
# matches ``дата народження дитини``).  ``=word`` must be a whole word;
# ``^words`` must be the whole header.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (EXTERNAL_ID, ("^id", "ідентифікатор", "идентификатор", "record =id", "номер запису",
                   "номер записи", "^код", "^code", "external =id")),
    ("reporter_contact", ("телефон", "контакт", "phone", "^e mail", "email", "пошта",
                          "почта")),
    ("mother_name", ("мати", "матері", "=мать", "матери", "mother")),
    ("father_name", ("=батько", "=батька", "=отец", "=отца", "father")),
    ("full_name", ("прізвище ім я", "прізвище імя", "фамилия имя", "=піб", "^п і б", "=фио",
                   "^ф и о", "full name", "^fio", "^pib", "^name", "^names")),
    ("patronymic", ("по батькові", "=побатькові", "отчество", "patronymic", "middle name")),
    ("reporter_name", ("заявник", "заявитель", "reporter", "хто повідомив", "кто сообщил",
                       "informant")),
    ("family_name", ("прізвище", "фамилия", "surname", "family name", "last name")),
    ("given_name", ("=ім я", "=імя", "=имя", "=им я", "given name", "first name",
                    "forename")),
    ("removal_date", ("дата депорт", "дата вивез", "дата переміщ", "дата вывоз",
                      "дата перемещ", "removal date", "date of removal", "deportation date",
                      "date of deportation", "date removed")),
    ("removal_place", ("місце депорт", "місце вивез", "місце переміщ", "место вывоз",
                       "место депорт", "место перемещ", "place of removal", "removal place",
                       "removed from", "deported from", "^звідки", "^откуда")),
    ("removal_circumstances", ("обставин", "обстоятельств", "circumstances")),
    ("birth_date", ("дата народж", "дата рожд", "рік народж", "год рожд", "^д н", "^д р",
                    "^др", "^дн", "народився", "родился", "^dob", "date of birth",
                    "birth date", "birthdate", "year of birth", "^born")),
    ("birth_place", ("місце народж", "место рожд", "place of birth", "birth place",
                     "birthplace")),
    ("sex", ("стать", "^пол", "^sex", "^gender", "^ч ж", "^м ж", "^m f")),
    ("residence", ("місце прожив", "адрес", "место жительства", "место прожив",
                   "проживає", "проживает", "residence", "address", "місце реєстрац",
                   "регистрац")),
    ("document_ids", ("свідоцтв", "свидетельств", "документ", "паспорт", "document",
                      "passport", "certificate")),
    ("last_known_location", ("місцезнаходж", "місце знаходж", "місце перебув", "местонахожд",
                             "место нахожд",
                             "место пребыв", "заклад", "учрежден", "location", "facility",
                             "де перебуває", "где находится", "^where")),
    ("notes", ("примітк", "примечан", "коментар", "комментар", "^notes", "^note", "comment",
               "remarks", "додатков", "дополнит")),
)  # fmt: skip


def normalise_header(text: object) -> str:
    """``"Ім’я дитини:"`` -> ``"імя дитини"``; ``"Ф.И.О."`` -> ``"ф и о"``."""
    value = unicodedata.normalize("NFC", str(text or "")).casefold().replace("ё", "е")
    value = _APOSTROPHES.sub("", value)
    return " ".join(_NON_WORD.sub(" ", value).replace("_", " ").split())


def _matches(words: list[str], alternative: str) -> bool:
    if alternative.startswith("^"):
        return " ".join(words) == alternative[1:]
    wanted = alternative.split()
    for i in range(len(words) - len(wanted) + 1):
        window = words[i : i + len(wanted)]
        if all(
            w == p[1:] if p.startswith("=") else w.startswith(p)
            for w, p in zip(window, wanted, strict=True)
        ):
            return True
    return False


MAX_HEADER = 200
"""The longest text read as a header, in characters: a longer cell is data.
The header row is looked for among the first rows, cell by cell, and a cell
of a hundred thousand words would otherwise be matched against every rule."""
_LONGEST_WORD = max(
    len(word.lstrip("=^")) for _, alternatives in _RULES for a in alternatives for word in a.split()
)
_FIRST_WORDS = tuple(
    (field, tuple((a, a.split()[0]) for a in alternatives)) for field, alternatives in _RULES
)
"""The rules again, each alternative with its first word."""


def field_for_header(text: object) -> tuple[str | None, str]:
    """The field a header names and why: ``("family_name", "'прізвище'")``."""
    normal = normalise_header(text)
    if not normal:
        return None, "empty header"
    if len(normal) > MAX_HEADER:
        return None, f"longer than {MAX_HEADER} characters: not a header"
    return _field_for_normal(normal)


@lru_cache(maxsize=65_536)
def _field_for_normal(normal: str) -> tuple[str | None, str]:
    if normal.replace(" ", "_") in IMPORT_FIELDS:
        return normal.replace(" ", "_"), "the field's own name"
    words = normal.split()
    whole = set(words)
    # Every start of every word: an alternative can match only where its first
    # word starts a word of the header, which one look-up says.
    starts = {w[:n] for w in words for n in range(1, min(len(w), _LONGEST_WORD) + 1)}
    for field, alternatives in _FIRST_WORDS:
        for alternative, first in alternatives:
            if first.startswith("="):
                if first[1:] not in whole:
                    continue
            elif not first.startswith("^") and first not in starts:
                continue
            if _matches(words, alternative):
                return field, f"'{alternative.strip('^').replace('=', '')}'"
    return None, "no field of this name"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """One column: its header, the field it feeds (or ``None``) and why."""

    index: int
    header: str
    field: str | None
    reason: str

    def describe(self) -> str:
        target = self.field or "(kept in the raw copy only)"
        return f"column {self.index + 1} '{self.header}' -> {target}: {self.reason}"


def map_headers(
    headers: Sequence[object], explicit: Mapping[str, str | None] | None = None
) -> list[ColumnMapping]:
    """Map every column; an explicit mapping (header -> field or null) wins."""
    explicit_norm = {normalise_header(k): v for k, v in (explicit or {}).items()}
    taken: dict[str, int] = {}
    out = []
    for index, raw in enumerate(headers):
        header = "" if raw is None else str(raw).strip()
        normal = normalise_header(header)
        if normal in explicit_norm:
            field, reason = explicit_norm[normal], "mapping file"
        else:
            field, reason = field_for_header(header)
        if field is not None and field in taken:
            reason = f"{field} already comes from column {taken[field] + 1}"
            field = None
        elif field is not None:
            taken[field] = index
        out.append(ColumnMapping(index, header, field, reason))
    return out


def read_mapping_file(path: str | Path) -> dict[str, str | None]:
    """A JSON object: column header -> field name (or null to ignore the column)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as err:
        raise Invalid(f"mapping file {path}: {err}") from err
    except RecursionError as err:  # "[[[[..." nested deeper than the parser goes
        raise Invalid(f"mapping file {path}: nested too deep to be a mapping") from err
    if not isinstance(data, dict):
        raise Invalid(f"mapping file {path}: expected a JSON object of header -> field")
    for header, field in data.items():
        if field is not None and field not in IMPORT_FIELDS:
            raise Invalid(
                f"mapping file {path}: '{header}' -> '{field}' is not a field "
                f"(fields: {', '.join(IMPORT_FIELDS)})"
            )
    return {str(k): v for k, v in data.items()}


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row read as known headers (to find the header row)."""
    return sum(1 for cell in cells if field_for_header(cell)[0] is not None)
