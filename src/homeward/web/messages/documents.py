"""Ukrainian texts of the documents, their chain of custody and the return
checklist (the case page's sections, the document page, the list's column)."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    # kinds of documents
    "Birth certificate": "Свідоцтво про народження",
    "Proof of kinship": "Підтвердження родинного зв’язку",
    "Power of attorney": "Довіреність",
    "Guardianship decision": "Рішення про опіку",
    "Identity certificate for return": "Посвідчення особи на повернення в Україну",
    "Photo": "Фото",
    "Screenshot (adoption database, social network, news)": (
        "Знімок екрана (база усиновлення, соцмережа, новини)"
    ),
    "Other document": "Інший документ",
    # the checklist
    "Return readiness": "Готовність до повернення",
    "Identity verified by the commission": "Особу підтвердила комісія",
    "Power of attorney or guardianship decision": "Довіреність або рішення про опіку",
    "Who will travel": "Хто поїде",
    "Met": "Виконано",
    "Present, not verified": "Є, не підтверджено",
    "Still missing": "Бракує",
    "Ready for return": "Готова до повернення",
    "Not ready for return": "Ще не готова до повернення",
    "every line of the checklist is met.": "усі пункти переліку виконано.",
    "{n} of {total} lines are not met yet.": "не виконано пунктів: {n} із {total}.",
    "What a return needs": "Що потрібно для повернення",
    "Details": "Подробиці",
    "document {id}": "документ {id}",
    "Ready": "Готова",
    "Not ready": "Не готова",
    "What is missing ({n})": "Чого бракує ({n})",
    # who will travel
    "Who will travel to bring the child home": "Хто поїде, щоб забрати дитину додому",
    "A relative of the case": "Родич із цієї справи",
    "someone else: type the name below": "хтось інший: введіть ім’я нижче",
    "Name of who will travel": "Ім’я та прізвище того, хто поїде",
    "Someone who is not a relative of the case. A relative chosen above travels under "
    "their own name. With neither, the traveller is no longer known.": (
        "Людина, якої немає серед родичів у справі. Родич, вибраний вище, їде під власним "
        "ім’ям. Якщо не вказано ні того, ні іншого, той, хто поїде, вважається невідомим."
    ),
    "Travels as": "Їде як",
    "not said": "не вказано",
    "Legal representative": "Законний представник",
    "Relative": "Родич",
    "Authorised person (power of attorney)": "Уповноважена особа (за довіреністю)",
    "Official (ombudsman's or mediator's staff)": (
        "Посадова особа (працівник омбудсмана чи посередника)"
    ),
    "Save who will travel": "Зберегти, хто поїде",
    # the case page's documents
    "Each file is kept exactly as it was received, under its SHA-256. Opening a document "
    "and every download is written to its chain of custody.": (
        "Кожен файл зберігається точно таким, яким його отримано, під його SHA-256. "
        "Відкриття документа й кожне завантаження записуються до ланцюга зберігання."
    ),
    "Added: {name}": "Додано: {name}",
    "Open the document": "Відкрити документ",
    "Document": "Документ",
    "Working copy": "Робоча копія",
    "Not verified": "Не підтверджено",
    "No documents yet.": "Документів ще немає.",
    "Add a document": "Додати документ",
    "The document was not added": "Документ не додано",
    "A scan or photo of the paper, a PDF, a screenshot. At most {limit}. It is kept exactly "
    "as it is; redact a working copy later, never the original.": (
        "Скан або фото паперу, PDF, знімок екрана. Не більше {limit}. Файл зберігається "
        "точно таким, яким він є; знеособлюйте згодом робочу копію, а не оригінал."
    ),
    "What the document is": "Що це за документ",
    "Description (optional)": "Опис (необов’язково)",
    "Who issued it, its number and date, where the paper is kept.": (
        "Хто видав, номер і дата, де зберігається паперовий примірник."
    ),
    "The record it came with (optional)": "Запис, з яким він надійшов (необов’язково)",
    "Add the document": "Додати документ",
    # the document page
    "Description": "Опис",
    "Media type": "Тип файлу",
    "not recorded": "не записано",
    "Added by": "Додав(ла)",
    "Verification": "Підтвердження",
    "Verify only after checking it against the paper, the issuing office or the family.": (
        "Підтверджуйте лише після звірки з паперовим документом, органом, що його видав, "
        "або з родиною."
    ),
    "Verify the document": "Підтвердити документ",
    "Files": "Файли",
    "Files are always downloaded, never opened in the browser. Each download is written to "
    "the chain of custody.": (
        "Файли завжди завантажуються, а не відкриваються в браузері. Кожне завантаження "
        "записується до ланцюга зберігання."
    ),
    "Download the original": "Завантажити оригінал",
    "Download the working copy": "Завантажити робочу копію",
    "Its SHA-256": "Її SHA-256",
    "No working copy yet: only the original is kept.": (
        "Робочої копії ще немає: зберігається лише оригінал."
    ),
    "Replace the working copy": "Замінити робочу копію",
    "Add a working copy": "Додати робочу копію",
    "A redacted version to share (addresses or other children blacked out), or a preview. "
    "The original stays exactly as it was.": (
        "Знеособлена версія, щоб нею ділитися (адреси чи інші діти зафарбовані), або "
        "попередній перегляд. Оригінал залишається точно таким, яким був."
    ),
    "File of the working copy": "Файл робочої копії",
    "At most {limit}.": "Не більше {limit}.",
    "What was redacted, and why": "Що знеособлено і чому",
    "Kept with the copy, so that whoever reads it knows how it differs from the original.": (
        "Зберігається разом із копією, щоб кожен, хто її читає, знав, чим вона відрізняється "
        "від оригіналу."
    ),
    "Keep the working copy": "Зберегти робочу копію",
    "Chain of custody": "Ланцюг зберігання",
    "Every entry of the audit trail about this document, oldest first: who added, opened, "
    "downloaded, exported, redacted or verified it, and when.": (
        "Кожен запис журналу аудиту про цей документ, від найдавнішого: хто і коли його "
        "додав, відкрив, завантажив, експортував, знеособив чи підтвердив."
    ),
    "What": "Що",
    "Viewed": "Переглянуто",
    "Downloaded the original": "Завантажено оригінал",
    "Downloaded the working copy": "Завантажено робочу копію",
    "Exported in an evidence package": "Експортовано в пакеті доказів",
    "Working copy made (redacted)": "Зроблено робочу копію (знеособлену)",
    "{n} bytes": "{n} байтів",
    "{n} KB": "{n} КБ",
    "{n} MB": "{n} МБ",
}
