"""Ukrainian texts of the cases pages, by their English original; and the
Ukrainian of the reasons the match model gives for each field of a pair.

The names layer and the match model explain every comparison in English
(``same name (Олександр), Russian form``).  :func:`reason_in_ukrainian`
says the same in Ukrainian: each reason the linkage can produce is a template
of :data:`REASONS` (its ``{parts}`` are values, or reasons and words of
:data:`REASON_WORDS` translated in turn).  A test reads the linkage's sources
and fails when a reason has no template here.
"""

from __future__ import annotations

import re
from functools import lru_cache

UKRAINIAN: dict[str, str] = {
    "Audit history of this case": "Історія цієї справи в журналі аудиту",
    "Changes to the case and what belongs to it, and each time it was opened; newest first.": (
        "Зміни справи та всього, що до неї належить, і кожне її відкриття; від найновішого."
    ),
    "The entries with their values": "Записи журналу зі значеннями",
    "Agreed to return": "Погодилися повернути",  # as the lists pages say it
    "All cases": "Усі справи",
    "Assigned to me": "Призначені мені",
    "Answers received": "Отримані відповіді",
    "Assign": "Призначити",
    "Assigned to": "Призначено",
    "Assignment": "Призначення",
    "Both cases are shown side by side before anything changes.": (
        "Перш ніж щось зміниться, обидві справи буде показано поруч."
    ),
    "Cancel": "Скасувати",
    "Cases merged into this one": "Справи, об’єднані з цією",
    "Claims the child is an adult": "Стверджують, що дитина повнолітня",
    "Claims the child is not in Russia": "Стверджують, що дитини немає в Росії",
    "Compare": "Порівняти",
    "Compare and merge": "Порівняти й об’єднати",
    "Deceased": "Померла",
    "Delivered": "Передано",
    "Disputed": "Оскаржено",
    "Entry no.": "№ у списку",
    "Found from this case's records as a search would find them; the reasons are given "
    "field by field.": (
        "Знайдено за записами цієї справи так, як їх знайшов би пошук; причини наведено "
        "для кожного поля."
    ),
    "Handover lists": "Списки для передачі",
    "Latest answer": "Остання відповідь",
    "List": "Список",
    "Merge cases": "Об’єднати справи",
    "Merge with another case": "Об’єднати з іншою справою",
    "Merge: one child": "Об’єднати: це одна дитина",
    "Merged": "Об’єднано",
    "No answer": "Немає відповіді",
    "No answer has been received about this child.": "Про цю дитину відповідей не надходило.",
    "No other case looks like this child.": "Жодна інша справа не схожа на цю дитину.",
    "Number of the other case": "Номер іншої справи",
    "Open {number}": "Відкрити {number}",
    "Other cases that may be this child": "Інші справи, які можуть стосуватися цієї дитини",
    "Partial information": "Часткова інформація",
    "Records it brought": "Записи, які вона принесла",
    "Records that describe another child": "Записи, що описують іншу дитину",
    "Split into a new case": "Виділити в нову справу",
    "Split records out": "Виділити записи",
    "The case number that stays": "Номер справи, що залишається",
    "The child is on no frozen list.": "Дитини немає в жодному зафіксованому списку.",
    "The closest two records": "Два найближчі записи",
    "They leave this case for a new case of their own. At least one record stays.": (
        "Вони перейдуть із цієї справи до нової окремої справи. Щонайменше один запис залишиться."
    ),
    "This case was merged into {number}.": "Цю справу об’єднано зі справою {number}.",
    "Two cases of one child become one. The records, events and relatives of the case that "
    "goes move to the case that stays; its number then leads there. The merge can be "
    "undone.": (
        "Дві справи однієї дитини стають однією. Записи, події та родичі справи, що зникає, "
        "переходять до справи, що залишається; її номер відтак веде туди. Об’єднання можна "
        "скасувати."
    ),
    "Undo the merge": "Скасувати об’єднання",
    "Version": "Версія",
    "Which cases": "Які справи",
    "Why undo the merge of {number}": "Чому скасувати об’єднання справи {number}",
    "entry": "№",
    "move confirmed by {name}": "зміну статусу підтвердив(-ла) {name}",
    "no answer yet": "відповіді ще немає",
    "nobody": "нікому",
    "not counted: the given names differ, and siblings share this": (
        "не враховано: імена різні, а в братів і сестер це спільне"
    ),
    "not delivered yet": "ще не передано",
    "the older case": "давніша справа",
    "version": "версія",
}

REASONS: dict[str, str] = {
    # given names, patronymics and family names (homeward.names.compare)
    "identical": "точний збіг",
    "same initial in another script": "той самий ініціал іншою абеткою",
    "different initials": "різні ініціали",
    "initial {letter} fits": "ініціал {letter} підходить",
    "initial {letter} does not fit": "ініціал {letter} не підходить",
    "same name ({name}), another spelling": "те саме ім’я ({name}), інше написання",
    "same name ({name}), another form": "те саме ім’я ({name}), інша форма",
    "same name ({name}), {form}": "те саме ім’я ({name}), {form}",
    "diminutive of {name}": "зменшувальна форма імені {name}",
    "related names: {why}": "споріднені імена: {why}",
    "transliteration variant": "варіант транслітерації",
    "same name in Wikidata's name variants": "те саме ім’я за варіантами імен у Вікіданих",
    "different names": "різні імена",
    "masculine and feminine names": "чоловіче й жіноче імена",
    "one letter off": "відрізняється одна літера",
    "similar spelling": "схоже написання",
    "one name of a double name": "одне з імен подвійного імені",
    "no {what} on one side": "{what}: є лише в одному із записів",
    "no {what} on either side": "{what}: немає в жодному із записів",
    "a son's and a daughter's patronymic": "по батькові сина й по батькові доньки",
    "same father's name ({name}), another spelling": "те саме ім’я батька ({name}), інше написання",
    "same father's name ({name}), another language form": (
        "те саме ім’я батька ({name}), форма іншої мови"
    ),
    "different fathers' names": "різні імена батьків",
    "different patronymics": "різні по батькові",
    "same family name, Ukrainian and Russian spelling": (
        "те саме прізвище, українське й російське написання"
    ),
    "same family name, masculine and feminine forms": "те саме прізвище, чоловіча й жіноча форми",
    "transliteration of another language form": "транслітерація форми іншої мови",
    "different family names": "різні прізвища",
    # dates (homeward.names.dates, homeward.linkage.fields)
    "same date": "та сама дата",
    "day and month swapped": "день і місяць переставлено місцями",
    "one digit differs": "відрізняється одна цифра",
    "same day and month, years one apart": "той самий день і місяць, роки різняться на один",
    "agree as far as both are known": "збігаються в усьому, що відомо з обох боків",
    "same year, different day or month": "той самий рік, інший день або місяць",
    "different dates": "різні дати",
    "the same year, no day on either side": "той самий рік, день не відомий в жодному із записів",
    "{value} is not a date: {why}": "{value} — не дата: {why}",
    # places (homeward.names.places, homeward.linkage.fields)
    "same town ({place})": "те саме місто ({place})",
    "same settlement ({place})": "те саме селище ({place})",
    "same village ({place})": "те саме село ({place})",
    "same region ({place})": "той самий регіон ({place})",
    "same {kind} ({place})": "те саме місце: {kind} ({place})",
    "may be the same place: {places}": "можливо, те саме місце: {places}",
    "similar wording ({score}%), not in the gazetteer": (
        "схоже написання ({score}%), немає в довіднику місць"
    ),
    "{what}, not in the gazetteer": "{what}, немає в довіднику місць",
    "different places in {region}": "різні місця в одному регіоні ({region})",
    "different regions": "різні регіони",
    "different places": "різні місця",
    # sex, documents, parents (homeward.linkage.fields)
    "same sex": "та сама стать",
    "different sex": "різна стать",
    "same document number": "той самий номер документа",
    "document numbers one character apart": "номери документів різняться одним символом",
    "different document numbers": "різні номери документів",
    "no given name to compare": "немає імені, щоб порівняти",
    "family name: {reason}": "прізвище: {reason}",
    "given name: {reason}": "ім’я: {reason}",
    "{given}; family name: {family}": "{given}; прізвище: {family}",
    "{given}; patronymics differ": "{given}; по батькові різні",
    "{given}; no family name on one side": "{given}; прізвище є лише в одному із записів",
    # the match model (homeward.linkage.scoring)
    "given and family names swapped": "ім’я та прізвище переставлено місцями",
    "{reason}; {kind} name here ({weight})": "{reason}; {kind} в реєстрі ({weight})",
}
"""Every reason the linkage gives, as an English template, and its Ukrainian."""

REASON_WORDS: dict[str, str] = {
    # field labels of the match model, and what the names layer compares
    "given name": "ім’я",
    "family name": "прізвище",
    "patronymic": "по батькові",
    "sex": "стать",
    "birth date": "дата народження",
    "birth place": "місце народження",
    "residence": "місце проживання",
    "document number": "номер документа",
    "mother's name": "ім’я матері",
    "father's name": "ім’я батька",
    "last known location": "останнє відоме місцеперебування",
    "date": "дата",
    "place": "місце",
    # forms of a given name
    "Russian form": "російська форма",
    "international form": "міжнародна форма",
    "variant form": "варіантна форма",
    # kinds of places, and how a place's name was matched
    "town": "місто",
    "settlement": "селище",
    "village": "село",
    "region": "регіон",
    "former name": "колишня назва",
    "Russian name": "російська назва",
    "Latin spelling": "латинське написання",
    "one letter differs": "відрізняється одна літера",
    "same name": "та сама назва",
    "same name, other spelling": "та сама назва, інше написання",
    # how common a name is in the registry
    "a common": "часте значення",
    "a rare": "рідкісне значення",
}
"""Words that fill the templates: field labels, forms, kinds of places."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    )


_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_pattern(english), ukrainian)
    for english, ukrainian in sorted(
        REASONS.items(), key=lambda item: -len(_PLACEHOLDER.sub("", item[0]))
    )
)
"""Most literal text first, so a specific template wins over a general one."""


def reason_template(text: str) -> str | None:
    """The English template of :data:`REASONS` a reason is written with, if any."""
    for english in sorted(REASONS, key=lambda e: -len(_PLACEHOLDER.sub("", e))):
        if _pattern(english).fullmatch(text):
            return english
    return None


@lru_cache(maxsize=8192)
def reason_in_ukrainian(text: str) -> str:
    """A reason of the match model (or a field label) in Ukrainian; a text it
    does not know comes back as it was, so nothing is ever lost.

    >>> reason_in_ukrainian("same name (Олександр), Russian form")
    'те саме ім’я (Олександр), російська форма'
    >>> reason_in_ukrainian("same town (Бахмут), former name, Russian name")
    'те саме місто (Бахмут), колишня назва, російська назва'
    """
    text = text.strip()
    if text in REASON_WORDS:
        return REASON_WORDS[text]
    for pattern, ukrainian in _TEMPLATES:
        found = pattern.fullmatch(text)
        if found:
            return ukrainian.format(
                **{name: reason_in_ukrainian(value) for name, value in found.groupdict().items()}
            )
    # a reason followed by qualifiers: "same town (Бахмут), former name, Russian name"
    parts = text.split(", ")
    for cut in range(len(parts) - 1, 0, -1):
        head, tail = ", ".join(parts[:cut]), parts[cut:]
        if all(word in REASON_WORDS for word in tail):
            translated = reason_in_ukrainian(head)
            if translated != head:
                return ", ".join([translated, *(REASON_WORDS[word] for word in tail)])
    return text
