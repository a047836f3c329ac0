"""Ukrainian texts of the lists pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    # the index and composing
    "Handover lists": "Списки для передачі",
    "Lists of children handed to a mediator or the other side. Each version is approved by "
    "someone other than its author, then frozen with its SHA-256.": (
        "Списки дітей, що передаються посередникові або іншій стороні. Кожну версію "
        "затверджує не її автор, а потім її фіксують разом із SHA-256."
    ),
    "Compose a new list": "Скласти новий список",
    "No list has been composed yet.": "Ще не складено жодного списку.",
    "List": "Список",
    "Channel": "Канал",
    "Recipient": "Отримувач",
    "Version": "Версія",
    "Entries": "Записи",
    "composed by {who}": "склав(ла) {who}",
    "awaits your approval": "чекає на ваше затвердження",
    "version {n}: {count}": "версія {n}: {count}",
    "Draft": "Чернетка",
    "Approved": "Затверджено",
    "Frozen": "Зафіксовано",
    "The list was not created": "Список не створено",
    "Title": "Назва",
    "For example: Round 3, children located in Russia": (
        "Наприклад: Раунд 3, діти, місцеперебування яких встановлено в Росії"
    ),
    "Purpose": "Мета",
    "Negotiation round, mediator, ICRC...": "Раунд переговорів, посередник, МКЧХ...",
    "Languages of the documents": "Мови документів",
    "Which children: the saved search": "Які діти: збережений пошук",
    "The list takes every child the search finds now; you can add or leave out children by "
    "hand afterwards, each with a reason. Merged duplicates are never on a list.": (
        "До списку потрапляє кожна дитина, яку зараз знаходить пошук; потім можна вручну "
        "додати або вилучити дітей, щоразу із зазначенням причини. Об’єднані дублікати "
        "ніколи не потрапляють до списку."
    ),
    "Oblast of origin": "Область походження",
    "A name or code, several separated by commas: Херсонська область, UA-14": (
        "Назва або код, кілька — через кому: Херсонська область, UA-14"
    ),
    "Also": "Також",
    "Located in Russia": "Місцеперебування встановлено в Росії",
    "A legal representative asked for the return": "Законний представник просить про повернення",
    "Compose the draft": "Скласти чернетку",
    # the list page
    "Nothing was changed": "Нічого не змінено",
    "Answers read from {file}": "Відповіді, прочитані з файлу {file}",
    "Rows in the file": "Рядків у файлі",
    "Answers recorded": "Записано відповідей",
    "Matched by entry number": "Зіставлено за номером запису",
    "Matched by names and birth date": "Зіставлено за іменами й датою народження",
    "Not matched": "Не зіставлено",
    "Which row went to which entry": "Який рядок до якого запису",
    "row {row} → entry {entry}": "рядок {row} → запис {entry}",
    "Rows not recorded (nothing was guessed)": "Незаписані рядки (нічого не вгадували)",
    "Composed by": "Склав(ла)",
    "Saved search": "Збережений пошук",
    "none: children added by hand only": "немає: лише діти, додані вручну",
    "Versions": "Версії",
    "Version {n}": "Версія {n}",
    "version {n}": "версія {n}",
    "This is an earlier version. The current one is version {n}.": (
        "Це попередня версія. Поточна — версія {n}."
    ),
    "Open the current version": "Відкрити поточну версію",
    "Started by": "Розпочав(ла)",
    "Approved by": "Затвердив(ла)",
    "Frozen by": "Зафіксував(ла)",
    "Signing key (fingerprint)": "Ключ підпису (відбиток)",
    "Download this version": "Завантажити цю версію",
    "Every download is written to the audit trail. The JSON file carries the hash and the "
    "signature; anyone with the registry's public key can check it.": (
        "Кожне завантаження записується до журналу аудиту. Файл JSON містить хеш і підпис; "
        "будь-хто з відкритим ключем реєстру може його перевірити."
    ),
    "JSON, signed": "JSON, підписаний",
    "Reconciliation: the answers to this version": "Звірка: відповіді на цю версію",
    "Difference from version {n}": "Відмінності від версії {n}",
    "The same children with the same values.": "Ті самі діти з тими самими значеннями.",
    "Added": "Додано",
    "Removed": "Вилучено",
    "The entries as they would be handed over now. They are fixed when the version is frozen.": (
        "Записи такими, якими їх було б передано зараз. Вони фіксуються разом із версією."
    ),
    "{n} entries have no legal representative who asked for the return.": (
        "Записів без законного представника, який просить про повернення: {n}."
    ),
    "The other side rejects such entries: leave them out, or approve knowing it.": (
        "Інша сторона відхиляє такі записи: вилучіть їх або затвердьте, знаючи про це."
    ),
    "Name (Ukrainian)": "ПІБ (українською)",
    "Name (Russian)": "ПІБ (російською)",
    "Name (Latin)": "ПІБ (латиницею)",
    "Latest answer": "Остання відповідь",
    "No requesting legal representative": (
        "Немає законного представника, який просить про повернення"
    ),
    "No child is on this list yet.": "У цьому списку ще немає дітей.",
    "Add or leave out a child by hand": "Додати або вилучити дитину вручну",
    "Case number to add": "Номер справи, яку додати",
    "Reason (kept with the change)": "Причина (зберігається разом зі зміною)",
    "Add to the list": "Додати до списку",
    "Case number to leave out": "Номер справи, яку вилучити",
    "Leave out of the list": "Вилучити зі списку",
    "Changes by hand": "Зміни вручну",
    "Change": "Зміна",
    "Who": "Хто",
    "When": "Коли",
    "added": "додано",
    "left out": "вилучено",
    'Fields beyond the "do no harm" profile': "Поля понад профіль «не нашкодь»",
    "Justification": "Обґрунтування",
    'None: the entries carry the "do no harm" profile only.': (
        "Немає: записи містять лише поля профілю «не нашкодь»."
    ),
    "Add a field": "Додати поле",
    "Contacts, addresses of relatives, the reporter, evidence, health data, investigation "
    "notes and removal circumstances can never be added.": (
        "Контакти, адреси родичів, заявника, докази, дані про здоров’я, матеріали "
        "розслідування та обставини вивезення додати не можна ніколи."
    ),
    "Justification (why it must be handed over)": "Обґрунтування (чому це треба передати)",
    "Add the field": "Додати поле",
    "Approve": "Затвердити",
    "You composed this list: another verifier approves it.": (
        "Ви склали цей список: його затверджує інший верифікатор."
    ),
    "Approve knowing that {n} entries have no requesting legal representative": (
        "Затвердити, знаючи, що {n} записів не мають законного представника, який просить "
        "про повернення"
    ),
    "Approve version {n}": "Затвердити версію {n}",
    "Freeze": "Зафіксувати",
    "Freezing writes the entries as they are, the SHA-256 of the version and the registry's "
    "signature. A frozen version never changes.": (
        "Фіксація записує записи такими, як вони є, SHA-256 версії та підпис реєстру. "
        "Зафіксована версія ніколи не змінюється."
    ),
    "Freeze version {n}": "Зафіксувати версію {n}",
    "To change the list, start the next version: a draft, shown with its difference from "
    "this one.": (
        "Щоб змінити список, розпочніть наступну версію: чернетку, показану з відмінностями "
        "від цієї."
    ),
    "Start version {n}": "Розпочати версію {n}",
    "Deliveries": "Передачі",
    "Day": "День",
    "Note": "Примітка",
    "Recorded by": "Записав(ла)",
    "Not delivered yet.": "Ще не передано.",
    "Record a delivery of version {n}": "Записати передачу версії {n}",
    "Record the delivery": "Записати передачу",
    "Answers": "Відповіді",
    "Answer": "Відповідь",
    "Status move": "Зміна статусу",
    "confirmed by {who}": "підтвердив(ла) {who}",
    "Why it is now a fact": "Чому це тепер факт",
    "Confirm the move": "Підтвердити зміну",
    "waits for confirmation": "чекає на підтвердження",
    "No answer recorded yet.": "Відповідей ще не записано.",
    "Record an answer": "Записати відповідь",
    "Entry": "Запис",
    "Day of the answer": "День відповіді",
    "Source: who answered, through what": "Джерело: хто відповів і яким шляхом",
    "Details: where the child is, what they dispute": "Подробиці: де дитина, що оскаржують",
    "Record the answer": "Записати відповідь",
    "Import the file they returned": "Імпортувати файл, який повернули",
    "CSV or XLSX with an answer column (Відповідь, Ответ, Answer). Rows go to their entry by "
    "number, or by names and birth date; rows that match nothing are shown, not guessed.": (
        "CSV або XLSX зі стовпцем відповіді (Відповідь, Ответ, Answer). Рядки зіставляються "
        "із записами за номером або за іменами й датою народження; рядки без відповідника "
        "показуються, а не вгадуються."
    ),
    "File": "Файл",
    "Day of the answers": "День відповідей",
    "Import the answers": "Імпортувати відповіді",
    # answers
    "No answer": "Немає відповіді",
    "Partial information": "Часткова інформація",
    "Claims the child is not in Russia": "Стверджують, що дитини немає в Росії",
    "Claims the child is an adult": "Стверджують, що дитина повнолітня",
    "Agreed to return": "Погодилися повернути",
    "Deceased": "Померла",
    "Disputed": "Оскаржено",
    "Documents": "Документи",
    "in Russia": "у Росії",
    "return requested": "про повернення попрошено",
    "deceased": "помер(ла)",
    # refusals
    "A list is approved by someone other than its author: ask another verifier.": (
        "Список затверджує не його автор: зверніться до іншого верифікатора."
    ),
    "This field can never be on a handover list: it endangers people or investigations.": (
        "Це поле ніколи не може бути в списку для передачі: воно наражає на небезпеку людей "
        "або розслідування."
    ),
    "Your role may not approve lists: a verifier approves them.": (
        "Ваша роль не може затверджувати списки: їх затверджує верифікатор."
    ),
    "Your role may not compose lists.": "Ваша роль не може складати списки.",
    # the reconciliation
    "Reconciliation": "Звірка",
    "Of {n} children:": "Із {n} дітей:",
    "Delivered": "Передано",
    "{n} days ago": "{n} дн. тому",
    "By answer": "За відповіддю",
    "Children": "Дітей",
    "Total": "Усього",
    "The latest answer of each entry counts; an entry nobody answered counts as no answer.": (
        "Враховується остання відповідь на кожен запис; запис, на який ніхто не відповів, "
        "рахується як «немає відповіді»."
    ),
    "Entries without any answer": "Записи без жодної відповіді",
    "Every entry has an answer.": "Кожен запис має відповідь.",
    "Disputed entries": "Оскаржені записи",
    "None.": "Немає.",
    "On other lists too, answered on none": "Є й в інших списках, відповіді немає в жодному",
    "Children on this version and on other frozen lists, with no answer on any of them.": (
        "Діти, які є в цій версії та в інших зафіксованих списках, без відповіді в жодному з них."
    ),
    "Named on the other side's own lists": "Названі у власних списках іншої сторони",
    "A record of a list the other side handed over is in the child's case, or waits in the "
    "review queue for it.": (
        "Запис зі списку, переданого іншою стороною, є у справі дитини або чекає на розгляд "
        "для неї."
    ),
    "Every entry": "Усі записи",
    "Download the tally": "Завантажити підсумки",
    "The counts by answer first, then every entry with its latest answer. Every download is "
    "written to the audit trail.": (
        "Спершу кількості за відповідями, потім кожен запис з останньою відповіддю. Кожне "
        "завантаження записується до журналу аудиту."
    ),
    "{n} entries were handed over with no legal representative named.": (
        "Записів, переданих без названого законного представника: {n}."
    ),
}
