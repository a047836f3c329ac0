"""A frozen handover list as a PDF: a cover page with the counts by category,
then the entries, with the list's title, version, date, page n of m and the
SHA-256 of the frozen content on every page.  Ukrainian, English or Russian."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2

from homeward.services.lists import PROFILE
from homeward.storage.tables import ListVersionRow

LABELS: dict[str, dict[str, Any]] = {
    "uk": {
        "version": "версія", "page": "сторінка", "of": "з", "purpose": "Мета",
        "channel": "Канал", "recipient": "Отримувач", "frozen": "Зафіксовано",
        "approved_by": "Затвердив", "entries": "Записів", "key": "Ключ (відбиток)",
        "category": "Категорія", "case": "Справа", "name_uk": "ПІБ (укр.)",
        "name_ru": "ПІБ (рос.)", "name_latin": "Латиницею", "sex": "Стать",
        "born": "Дата нар.", "removal": "Місце і дата вивезення",
        "where": "Заклад / останнє місце", "representative": "Законний представник",
        "verify": "Цілісність списку перевіряється командою «homeward lists verify» "
                  "за відкритим ключем реєстру: SHA-256 вище має збігтися.",
        "sexes": {"m": "ч", "f": "ж"},
        "categories": {"deported": "депортовані", "forcibly_transferred": "примусово переміщені",
                       "detained": "затримані", "missing": "зниклі безвісти",
                       "at_risk": "під загрозою"},
        "relationships": {"mother": "мати", "father": "батько", "grandmother": "бабуся",
                          "grandfather": "дідусь", "sibling": "брат/сестра", "aunt": "тітка",
                          "uncle": "дядько", "guardian": "опікун",
                          "foster_parent": "прийомний батько/мати", "other": "інше"},
        "extra": {"birth_place": "Місце нар.", "residence": "Проживання",
                  "document_ids": "Документи", "mother_name": "Мати",
                  "father_name": "Батько", "status": "Статус"},
    },
    "en": {
        "version": "version", "page": "page", "of": "of", "purpose": "Purpose",
        "channel": "Channel", "recipient": "Recipient", "frozen": "Frozen",
        "approved_by": "Approved by", "entries": "Entries", "key": "Key (fingerprint)",
        "category": "Category", "case": "Case", "name_uk": "Name (Ukrainian)",
        "name_ru": "Name (Russian)", "name_latin": "Name (Latin)", "sex": "Sex",
        "born": "Born", "removal": "Removed from, on", "where": "Institution / last known",
        "representative": "Legal representative",
        "verify": "Check this list with 'homeward lists verify' and the registry's public "
                  "key: the SHA-256 above must match.",
        "sexes": {"m": "M", "f": "F"},
        "categories": {"deported": "deported", "forcibly_transferred": "forcibly transferred",
                       "detained": "detained", "missing": "missing", "at_risk": "at risk"},
        "relationships": {"foster_parent": "foster parent"},
        "extra": {"birth_place": "Birth place", "residence": "Residence",
                  "document_ids": "Documents", "mother_name": "Mother",
                  "father_name": "Father", "status": "Status"},
    },
    "ru": {
        "version": "версия", "page": "страница", "of": "из", "purpose": "Цель",
        "channel": "Канал", "recipient": "Получатель", "frozen": "Зафиксировано",
        "approved_by": "Утвердил", "entries": "Записей", "key": "Ключ (отпечаток)",
        "category": "Категория", "case": "Дело", "name_uk": "ФИО (укр.)",
        "name_ru": "ФИО (рус.)", "name_latin": "Латиницей", "sex": "Пол",
        "born": "Дата рожд.", "removal": "Место и дата вывоза",
        "where": "Учреждение / последнее место", "representative": "Законный представитель",
        "verify": "Целостность списка проверяется командой «homeward lists verify» по "
                  "открытому ключу реестра: SHA-256 выше должен совпасть.",
        "sexes": {"m": "м", "f": "ж"},
        "categories": {"deported": "депортированы", "forcibly_transferred": "перемещены",
                       "detained": "задержаны", "missing": "пропали без вести",
                       "at_risk": "под угрозой"},
        "relationships": {"mother": "мать", "father": "отец", "grandmother": "бабушка",
                          "grandfather": "дедушка", "guardian": "опекун", "other": "другое"},
        "extra": {"birth_place": "Место рожд.", "residence": "Проживание",
                  "document_ids": "Документы", "mother_name": "Мать", "father_name": "Отец",
                  "status": "Статус"},
    },
}  # fmt: skip
TALLY_LABELS: dict[str, dict[str, Any]] = {
    "uk": {
        "as_of": "станом на", "delivered": "Передано", "days": "днів тому",
        "not_delivered": "Ще не передано", "answer": "Відповідь", "detail": "Подробиці",
        "answered_on": "Дата відповіді", "name": "ПІБ", "disputed": "Оспорені",
        "waiting": "У кількох списках, без жодної відповіді",
        "theirs": "Названі і у власних списках іншої сторони",
        "answers": {"no_answer": "немає відповіді", "partial_information": "часткова інформація",
                    "located": "місцезнаходження встановлено", "not_found": "не знайдено",
                    "claims_not_in_russia": "за їхніми словами, не в РФ",
                    "claims_adult": "за їхніми словами, повнолітня особа",
                    "agreed_to_return": "погоджено повернення", "returned": "повернуто",
                    "deceased": "помер(ла)", "disputed": "оспорено"},
    },
    "en": {
        "as_of": "as of", "delivered": "Delivered", "days": "days ago",
        "not_delivered": "Not delivered yet", "answer": "Answer", "detail": "Detail",
        "answered_on": "Answered on", "name": "Name", "disputed": "Disputed",
        "waiting": "On several lists, answered on none",
        "theirs": "Also named on the other side's own lists",
        "answers": {},
    },
    "ru": {
        "as_of": "по состоянию на", "delivered": "Передано", "days": "дней назад",
        "not_delivered": "Ещё не передано", "answer": "Ответ", "detail": "Подробности",
        "answered_on": "Дата ответа", "name": "ФИО", "disputed": "Оспоренные",
        "waiting": "В нескольких списках, без ответа",
        "theirs": "Названы и в собственных списках другой стороны",
        "answers": {"no_answer": "нет ответа", "partial_information": "частичная информация",
                    "located": "местонахождение установлено", "not_found": "не найден(а)",
                    "claims_not_in_russia": "по их словам, не в РФ",
                    "claims_adult": "по их словам, совершеннолетний", "agreed_to_return":
                    "согласовано возвращение", "returned": "возвращён(а)",
                    "deceased": "умер(ла)", "disputed": "оспорено"},
    },
}  # fmt: skip
LANGUAGES = tuple(LABELS)

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("homeward.documents", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def css_string(text: str) -> str:
    """Text safe inside a CSS string in a <style> element: every character but
    ASCII letters and digits as a six-digit CSS escape (no quote, backslash or
    ``</style>`` can break out; six digits, so no space after one is eaten)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in text)


def readable_date(value: object, language: str) -> str:
    """``2019-07-12`` as ``12.07.2019`` in Ukrainian and Russian; partial dates
    (``2019-07``, ``2019``) as ``07.2019``, ``2019``."""
    text = "" if value is None else str(value)
    if language == "en" or not text:
        return text
    return ".".join(reversed(text.split("-")))


def list_html(version: ListVersionRow, *, language: str = "uk", fingerprint: str = "") -> str:
    if language not in LABELS:
        raise ValueError(f"language: one of {', '.join(LANGUAGES)}")
    content = json.loads(version.content or "{}")
    counts = Counter(str(e.get("category")) for e in content["entries"]).most_common()
    _ENVIRONMENT.filters["date"] = lambda value: readable_date(value, language)
    return _ENVIRONMENT.get_template("handover_list.html").render(
        content=content, t=LABELS[language], language=language, sha256=version.content_sha256,
        frozen_on=str(content["frozen_at"])[:10], counts=counts, fingerprint=fingerprint,
        css_title=css_string(str(content["list"]["title"])),
        extra=[f for f in content["fields"] if f not in PROFILE],
    )  # fmt: skip


def write_list_pdf(
    version: ListVersionRow, path: str | Path, *, language: str = "uk", fingerprint: str = ""
) -> int:
    """Write the PDF; returns the number of pages."""
    import weasyprint

    html = list_html(version, language=language, fingerprint=fingerprint)
    document = weasyprint.HTML(string=html).render()
    document.write_pdf(str(path))
    return len(document.pages)


def write_tally_pdf(
    tally: Any, rows: list[list[Any]], path: str | Path, *, language: str = "uk"
) -> int:
    """The tally of a version as a PDF: the figures, then every entry's latest answer."""
    import weasyprint

    labels = {**LABELS[language], **TALLY_LABELS[language]}
    labels["answers"] = {**TALLY_LABELS["uk" if language == "uk" else language]["answers"]}
    _ENVIRONMENT.filters["date"] = lambda value: readable_date(value, language)
    counts = sorted(tally.by_answer.items(), key=lambda item: -item[1])
    sentence = f"{tally.entries}: " + ", ".join(
        f"{labels['answers'].get(a, a.replace('_', ' '))} {n}" for a, n in counts
    )
    html = _ENVIRONMENT.get_template("tally.html").render(
        tally=tally, rows=rows, t=labels, language=language, counts=counts, sentence=sentence,
        css_title=css_string(str(tally.title)), today=readable_date(_today(), language),
    )  # fmt: skip
    document = weasyprint.HTML(string=html).render()
    document.write_pdf(str(path))
    return len(document.pages)


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).date().isoformat()
