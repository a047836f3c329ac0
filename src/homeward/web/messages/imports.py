"""Ukrainian texts of the imports pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    "(no header)": "(без заголовка)",
    "A file from an agency or NGO": "Файл від відомства чи громадської організації",
    "A list from the other side or a mediator": "Список від іншої сторони чи посередника",
    "All imports": "Усі імпорти",
    "All of the first {checked} rows read well.": "Усі перші {checked} рядків читаються добре.",
    "Already written by an earlier run": "Уже записано попереднім запуском",
    "Any encoding (UTF-8, Windows-1251, KOI8-U, UTF-16) and delimiter; headers in Ukrainian, "
    "Russian or English. At most {limit}.": (
        "Будь-яке кодування (UTF-8, Windows-1251, KOI8-U, UTF-16) і роздільник; заголовки "
        "українською, російською чи англійською. Не більше {limit}."
    ),
    "CSV or XLSX file": "Файл CSV або XLSX",
    "Category of the cases opened": "Категорія відкритих справ",
    "Change a field where the guess is wrong, then update the preview. A column that feeds no "
    "field is still kept in each record's copy of the row as received.": (
        "Змініть поле там, де припущення хибне, і оновіть попередній перегляд. Стовпець, що не "
        "заповнює жодного поля, все одно зберігається в копії рядка, як його отримано."
    ),
    "Check how the file reads": "Перевірте, як читається файл",
    "Columns and the fields they fed": "Стовпці та поля, які вони заповнили",
    "Columns and the fields they feed": "Стовпці та поля, які вони заповнюють",
    "Complete": "Завершено",
    "Correct and import the row": "Виправити й імпортувати рядок",
    "Correct or discard the quarantined rows": "Виправити або відкинути рядки з карантину",
    "Corrected": "Виправлено",
    "Corrected values": "Виправлені значення",
    "Cut short: finish it": "Перервано: завершіть",
    "Delimiter": "Роздільник",
    "Discard the row": "Відкинути рядок",
    "Discarded": "Відкинуто",
    "Documents (birth certificate, passport)": "Документи (свідоцтво про народження, паспорт)",
    "Each entry with the case it was linked to, or the cases it may be: the proposals waiting "
    "for review, else the best candidates a search finds.": (
        "Кожен запис — зі справою, до якої його віднесено, або зі справами, якими він може "
        "бути: пропозиціями, що чекають на розгляд, або найкращими кандидатами пошуку."
    ),
    "Empty: the first sheet with data.": "Порожнє: перший аркуш із даними.",
    "Encoding": "Кодування",
    "Entries of {source}": "Записи: {source}",
    "Field it feeds": "Поле, яке він заповнює",
    "Files from agencies, NGOs and the other side, newest first. Every row is kept; rows that "
    "cannot be read wait in the quarantine.": (
        "Файли від відомств, громадських організацій та іншої сторони, найновіші першими. "
        "Кожен рядок зберігається; рядки, які не вдалося прочитати, чекають у карантині."
    ),
    "Finish the import": "Завершити імпорт",
    "Finished": "Закінчено",
    "Format": "Формат",
    "Found by investigators (adoption databases, camp lists)": (
        "Знайдено слідчими (бази усиновлення, списки таборів)"
    ),
    "Full name (all parts in one cell)": "Повне ім’я (усі частини в одній клітинці)",
    "Header in the file": "Заголовок у файлі",
    "Header row": "Рядок заголовка",
    "Import": "Імпортувати",
    "Importing it again adds nothing.": "Повторний імпорт нічого не додасть.",
    "This file was imported before": "Цей файл уже імпортовано раніше",
    "An import of this file was cut short. Importing it again finishes it: the rows already "
    "written are skipped.": (
        "Імпорт цього файлу було перервано. Повторний імпорт завершить його: уже записані "
        "рядки буде пропущено."
    ),
    "Import a file": "Імпортувати файл",
    "Import of {name}": "Імпорт файлу {name}",
    "Import progress": "Хід імпорту",
    "Imported": "Імпортовано",
    "Imported by": "Хто імпортував",
    "In no case yet": "Ще не в жодній справі",
    "JSON: column header to field, or to null to feed no field. You can also change the mapping "
    "on the next page.": (
        "JSON: заголовок стовпця → поле, або null, щоб не заповнювати жодного поля. "
        "Відповідність можна змінити й на наступній сторінці."
    ),
    "Linked": "Пов’язано",
    "Linked to cases": "Пов’язано зі справами",
    "Mapping file (optional)": "Файл відповідності стовпців (необов’язково)",
    "Matching the new records against the registry…": "Порівняння нових записів із реєстром…",
    "New cases opened": "Відкрито нових справ",
    "No column feeds a name (family name, given name or full name): choose the field of the "
    "name columns below, then update the preview.": (
        "Жоден стовпець не заповнює ім’я (прізвище, ім’я або повне ім’я): виберіть поле для "
        "стовпців з іменем нижче й оновіть попередній перегляд."
    ),
    "No field (raw copy only)": "Жодного поля (лише копія рядка)",
    "No rows here.": "Тут немає рядків.",
    "Nothing has been imported yet.": "Ще нічого не імпортовано.",
    "Nothing is imported yet.": "Ще нічого не імпортовано: це лише перегляд.",
    "Nothing is imported yet: next you see how the file reads, and can change which column "
    "feeds which field.": (
        "Поки що нічого не імпортується: далі ви побачите, як читається файл, і зможете "
        "змінити, який стовпець заповнює яке поле."
    ),
    "Nothing was added: this file was imported before": (
        "Нічого не додано: цей файл уже імпортовано раніше"
    ),
    "Open a case for each of them (never for a list from the other side)": (
        "Відкрити справу для кожного з них (ніколи для списку від іншої сторони)"
    ),
    "Other": "Інше",
    "Problems": "Проблеми",
    "Public report": "Повідомлення з публічної форми",
    "Quarantine": "Карантин",
    "Quarantined": "У карантині",
    "Queued for review": "У черзі розгляду",
    "Reading and writing rows…": "Читання й запис рядків…",
    "Reason (kept with the row)": "Причина (зберігається разом із рядком)",
    "Reason to leave it out": "Чому його відкинути",
    "Review the proposed matches": "Розглянути запропоновані збіги",
    "Row": "Рядок",
    "Row {row}": "Рядок {row}",
    "Row {row} is now a record and was matched against the registry.": (
        "Рядок {row} тепер є записом, його порівняно з реєстром."
    ),
    "Row {row} was discarded.": "Рядок {row} відкинуто.",
    "Rows": "Рядків",
    "Rows written before it stopped are kept: correct what the message says, then import the "
    "same file again; nothing is written twice.": (
        "Рядки, записані до зупинки, збережено: виправте те, про що йдеться в повідомленні, "
        "і імпортуйте той самий файл ще раз; нічого не буде записано двічі."
    ),
    "Rows of this file that could not be read, with the reason for each field. Correct a row "
    "and it becomes a record, matched against the registry; its copy as received stays as it "
    "was.": (
        "Рядки цього файлу, які не вдалося прочитати, з причиною для кожного поля. Виправлений "
        "рядок стає записом і порівнюється з реєстром; його копія, як її отримано, не "
        "змінюється."
    ),
    "Rows read": "Прочитано рядків",
    "Rows that match no case": "Рядки, що не збігаються з жодною справою",
    "Rows that would be quarantined": "Рядки, які потраплять до карантину",
    "Running": "Триває",
    "See its progress": "Переглянути хід",
    "See that import": "Переглянути той імпорт",
    "Sheet": "Аркуш",
    "Sheet (workbooks only)": "Аркуш (лише для книг Excel)",
    "Size": "Розмір",
    "Source name": "Назва джерела",
    "Started": "Розпочато",
    "Started by {who}, {when}": "Розпочав(ла) {who}, {when}",
    "The file could not be read": "Файл не вдалося прочитати",
    "The file is not kept here: import the same file again to finish it.": (
        "Файл тут не збережено: імпортуйте той самий файл ще раз, щоб завершити."
    ),
    "The first rows as read": "Перші рядки, як їх прочитано",
    "The first {n} entries are shown.": "Показано перші {n} записів.",
    "The import": "Імпорт",
    "The import is complete.": "Імпорт завершено.",
    "The import stopped": "Імпорт зупинився",
    "The imported entries and the cases they may be": (
        "Імпортовані записи та справи, якими вони можуть бути"
    ),
    "The quarantine": "Карантин",
    "The row as received": "Рядок, як його отримано",
    "The same file (the same SHA-256, whatever its name) was imported by {who} on {when} as "
    "import {id}.": (
        "Той самий файл (той самий SHA-256, хоч би як він називався) імпортував(ла) {who} "
        "{when} як імпорт {id}."
    ),
    "The sender's own number for the row": "Власний номер рядка у відправника",
    "This file is being imported now.": "Цей файл саме імпортується.",
    "This import was cut short (the server stopped while it ran). The rows written so far are "
    "kept; finishing it writes the rest and skips those.": (
        "Цей імпорт перервано (сервер зупинився під час роботи). Уже записані рядки "
        "збережено; завершення запише решту й пропустить їх."
    ),
    "Update the preview": "Оновити перегляд",
    "Upload and preview": "Завантажити й переглянути",
    "Waiting for a correction": "Чекають виправлення",
    "Waiting in the quarantine": "Чекають у карантині",
    "What the file is": "Що це за файл",
    "Who sent it and when, as people will look for it, e.g. “Ombudsman's office, list of 12 "
    "May”. Empty: the file name.": (
        "Хто й коли надіслав, як його шукатимуть, напр. «Офіс Омбудсмана, список від 12 "
        "травня». Порожнє: назва файлу."
    ),
    "Who, when": "Хто, коли",
    "You may leave this page: the import goes on, and the list of imports shows it.": (
        "Можна залишити цю сторінку: імпорт триває, його видно в переліку імпортів."
    ),
    "bar": "вертикальна риска",
    "comma": "кома",
    "e.g. an empty line with a date only": "напр. порожній рядок лише з датою",
    "e.g. the mother confirmed the date by phone": "напр. мати підтвердила дату телефоном",
    "none yet": "ще немає",
    "other": "інший",
    "search candidate": "кандидат із пошуку",
    "semicolon": "крапка з комою",
    "tab": "табуляція",
    "{bad} of the first {checked} rows cannot be read as they are. They will wait in the "
    "quarantine, with the reason for each field, to be corrected or discarded; the other rows "
    "are imported.": (
        "{bad} з перших {checked} рядків не вдається прочитати як є. Вони чекатимуть у "
        "карантині, з причиною для кожного поля, щоб їх виправили або відкинули; решту "
        "рядків буде імпортовано."
    ),
    "{rows} rows read so far.": "Прочитано рядків: {rows}.",
    # How far a source is trusted (the upload form, the preview, an import's page).
    "How far the source is trusted": "Наскільки можна довіряти джерелу",
    "Kept with the source, so that whoever reads its records knows how much weight they carry.": (
        "Зберігається разом із джерелом, щоб кожен, хто читає його записи, знав, наскільки "
        "на них можна покладатися."
    ),
    "Confirmed: checked against documents or other sources": (
        "Підтверджене: перевірене за документами або іншими джерелами"
    ),
    "Reliable: a source that has been right before": "Надійне: джерело, яке вже було точним",
    "Usually reliable": "Зазвичай надійне",
    "Not verified yet": "Ще не перевірене",
    "Doubtful: it may be wrong or made to mislead": (
        "Сумнівне: може бути хибним або навмисно оманливим"
    ),
}
