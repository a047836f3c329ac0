"""Ukrainian texts of the administration, audit trail, facilities and account
pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    # administration
    "A disabled user cannot sign in; their sessions and API tokens end at once.": (
        "Вимкнений користувач не може увійти; його сеанси та токени API припиняються одразу."
    ),
    "A new one-time password is shown once; the old one stops working and every session and "
    "API token of the user ends.": (
        "Новий одноразовий пароль буде показано один раз; старий перестане діяти, а всі сеанси "
        "й токени API користувача буде припинено."
    ),
    "Access": "Доступ",
    "At the first sign-in the holder adds Homeward to an authenticator app, then should choose "
    "their own password on the account page.": (
        "Під час першого входу власник додає «Додому» до застосунку автентифікації, а потім має "
        "обрати власний пароль на сторінці облікового запису."
    ),
    "Authenticator": "Автентифікатор",
    "Change the role": "Змінити роль",
    "Choose a role": "Оберіть роль",
    "Create the organisation": "Створити організацію",
    "Create the user": "Створити користувача",
    "Created": "Створено",
    "Disable the account": "Вимкнути обліковий запис",
    "Email": "Електронна пошта",
    "Email (optional)": "Електронна пошта (необов’язково)",
    "Enable the account": "Увімкнути обліковий запис",
    "For a lost or replaced phone: the user enrols a new authenticator at the next sign-in. "
    "Reset the password too if the phone may be in someone else's hands.": (
        "Для втраченого або заміненого телефона: користувач підключить новий автентифікатор під "
        "час наступного входу. Скиньте й пароль, якщо телефон може бути в чужих руках."
    ),
    "Full name": "Повне ім’я",
    "Last sign-in": "Останній вхід",
    "Latin letters, digits, dots, dashes or underscores.": (
        "Латинські літери, цифри, крапки, дефіси або підкреслення."
    ),
    "Locked after too many failed sign-ins. Unlock it once you know the holder made them.": (
        "Заблоковано після надто багатьох невдалих спроб входу. Розблокуйте, коли переконаєтеся, "
        "що це були спроби самого власника."
    ),
    "National information bureau": "Національне інформаційне бюро",
    "New name of {name}": "Нова назва для «{name}»",
    "Name of the organisation": "Назва організації",
    "New organisation": "Нова організація",
    "New user": "Новий користувач",
    "Non-governmental organisation": "Громадська організація",
    "Ombudsman's office": "Офіс Уповноваженого з прав людини",
    "Organisation": "Організація",
    "Organisations": "Організації",
    "Other": "Інше",
    "Police": "Поліція",
    "Prosecutor's office": "Прокуратура",
    "Rename": "Перейменувати",
    "Required for a partner organisation's user: they see only their organisation's cases.": (
        "Обов’язково для користувача партнерської організації: він бачить лише справи своєї "
        "організації."
    ),
    "Reset the authenticator": "Скинути автентифікатор",
    "Reset the password": "Скинути пароль",
    "Role": "Роль",
    "Role and organisation": "Роль та організація",
    "State": "Стан",
    "The account is disabled. Its sessions and API tokens have ended.": (
        "Обліковий запис вимкнено. Його сеанси та токени API припинено."
    ),
    "The account is enabled again.": "Обліковий запис знову увімкнено.",
    "The account is unlocked.": "Обліковий запис розблоковано.",
    "The account {username} is created. Give its one-time password to its holder by a safe "
    "channel; it is shown once.": (
        "Обліковий запис {username} створено. Передайте одноразовий пароль власникові безпечним "
        "каналом; його показано лише раз."
    ),
    "The authenticator is forgotten. The user enrols a new one at the next sign-in; their "
    "sessions and API tokens have ended.": (
        "Автентифікатор скинуто. Користувач підключить новий під час наступного входу; його "
        "сеанси та токени API припинено."
    ),
    "The new one-time password of {username}. It is shown once; give it to its holder by a "
    "safe channel. Their sessions and API tokens have ended.": (
        "Новий одноразовий пароль користувача {username}. Його показано лише раз; передайте його "
        "власникові безпечним каналом. Сеанси та токени API користувача припинено."
    ),
    "The new user gets a one-time password, shown here once, and enrols an authenticator at "
    "the first sign-in.": (
        "Новий користувач отримує одноразовий пароль, показаний тут один раз, і підключає "
        "автентифікатор під час першого входу."
    ),
    "The organisation is saved.": "Організацію збережено.",
    "The role is changed. The user's sessions and tokens act with it from now on.": (
        "Роль змінено. Відтепер сеанси й токени користувача діють із нею."
    ),
    "The user may sign in again with their password.": (
        "Користувач зможе знову увійти зі своїм паролем."
    ),
    "This account in the audit trail": "Цей обліковий запис у журналі аудиту",
    "Unlock": "Розблокувати",
    "Users": "Користувачі",
    "Verification commission": "Верифікаційна комісія",
    "active": "активний",
    "disabled": "вимкнено",
    "enrolled": "підключено",
    "locked": "заблоковано",
    "never": "ніколи",
    "none": "немає",
    "not yet": "ще ні",
    "until {when}": "до {when}",
    # the audit trail
    "Action": "Дія",
    "After": "Після",
    "An action is matched by its beginning: user. finds every change to users.": (
        "Дію шукають за початком: user. знаходить усі зміни користувачів."
    ),
    "An entry was inserted.": "Вставлено запис.",
    "Audit entry {n}": "Запис аудиту № {n}",
    "Audit trail": "Журнал аудиту",
    "Before": "До",
    "Clear the filter": "Скинути фільтр",
    "Contacts, addresses, the reporter's identity and notes are hidden from roles that may not "
    "read them. Values logged as sha256:… are digests: the trail proves they changed without "
    "showing them.": (
        "Контакти, адреси, особу заявника та примітки приховано від ролей, яким не дозволено їх "
        "читати. Значення вигляду sha256:… — це відбитки: журнал доводить, що вони змінилися, "
        "не показуючи їх."
    ),
    "Entries were deleted before it.": "Перед ним видалено записи.",
    "Entries were moved or replaced.": "Записи переставлено або замінено.",
    "Entries were removed from the end.": "Записи видалено з кінця журналу.",
    "Every change made in Homeward, with who made it and when, newest first. Each entry is "
    "chained to the one before it by its hash, so an entry edited, deleted or inserted behind "
    "Homeward's back breaks the chain where it happened.": (
        "Кожна зміна в «Додому» — хто і коли її зробив, від найновіших. Кожен запис пов’язаний "
        "із попереднім своїм гешем, тож запис, змінений, видалений або вставлений в обхід "
        "«Додому», розриває ланцюжок саме там, де це сталося."
    ),
    "Filter": "Фільтр",
    "From": "Від",
    "Hash": "Геш",
    "Hash of the entry before": "Геш попереднього запису",
    "Its hash": "Його геш",
    "Last entry": "Останній запис",
    "Next entry": "Наступний запис",
    "No entry matches.": "Жоден запис не відповідає.",
    "No.": "№",
    "Open entry {n}": "Відкрити запис № {n}",
    "Previous entry": "Попередній запис",
    "Row id": "Ідентифікатор рядка",
    "Show": "Показати",
    "Table": "Таблиця",
    "The audit trail is broken at entry {n}.": "Журнал аудиту пошкоджено на записі № {n}.",
    "The audit trail is intact.": "Журнал аудиту цілий.",
    "The entry was edited after it was written.": "Запис змінено після того, як його зроблено.",
    "This entry records a read or an event, with no values.": (
        "Цей запис фіксує перегляд або подію, без значень."
    ),
    "To": "До дати",
    "Values": "Значення полів",
    "Verify the chain": "Перевірити ланцюжок",
    "Who": "Хто",
    "When": "Коли",
    "Write the last hash down somewhere the database's administrators cannot reach (or sign it "
    "with homeward audit checkpoint): a later check against it also shows entries removed from "
    "the end.": (
        "Запишіть останній геш туди, куди не мають доступу адміністратори бази даних (або "
        "підпишіть його командою homeward audit checkpoint): пізніша перевірка з ним покаже й "
        "записи, видалені з кінця."
    ),
    "all": "усі",
    "hidden from your role": "приховано від вашої ролі",
    "username": "ім’я користувача",
    "{n} entries": "Записів: {n}",
    "{n} entries were checked, each against the one before it; none was edited, deleted, "
    "inserted or reordered.": (
        "Перевірено записів: {n}, кожен — щодо попереднього; жоден не змінено, не видалено, "
        "не вставлено й не переставлено."
    ),
    "{n} entries were read. Keep a copy of the database as it is now and tell whoever answers "
    "for the registry's security.": (
        "Прочитано записів: {n}. Збережіть копію бази даних у теперішньому стані й повідомте "
        "відповідального за безпеку реєстру."
    ),
    # facilities
    "Add a facility": "Додати заклад",
    "As Ukrainian sources write it.": "Як пишуть українські джерела.",
    "As the other side's documents write it.": "Як пишуть документи іншої сторони.",
    "Camp": "Табір",
    "Camps, institutions and regions of family placement where children are known to be held.": (
        "Табори, заклади та регіони сімейного влаштування, де, як відомо, утримують дітей."
    ),
    "Children": "Дітей",
    "Children recorded here": "Діти, записані тут",
    "Coordinates": "Координати",
    "Country": "Країна",
    "Edit the facility": "Редагувати заклад",
    "Events here": "Події тут",
    "Facility": "Заклад",
    "For example: Artek, Артек, Anapa": "Наприклад: Artek, Артек, Анапа",
    "Institution (orphanage, boarding school, hospital)": (
        "Заклад (дитячий будинок, інтернат, лікарня)"
    ),
    "Latitude": "Широта",
    "Longitude": "Довгота",
    "Name in Latin letters": "Назва латиницею",
    "Name in Russian": "Назва російською",
    "Name of the facility": "Назва закладу",
    "Name or place, in any script": "Назва або місце, будь-якою абеткою",
    "No child's timeline points to this facility.": (
        "Жодна хронологія дитини не вказує на цей заклад."
    ),
    "No facility found for “{q}”.": "За запитом «{q}» закладів не знайдено.",
    "No facility is recorded yet.": "Жодного закладу ще не записано.",
    "Note": "Примітка",
    "Only your organisation's cases are counted and listed.": (
        "Пораховано й показано лише справи вашої організації."
    ),
    "Place": "Місце",
    "Region": "Регіон",
    "Region of family placement": "Регіон сімейного влаштування",
    "Save the facility": "Зберегти заклад",
    "Settlement": "Населений пункт",
    "Two-letter code. UA for occupied territory of Ukraine.": (
        "Дволітерний код. UA — для окупованої території України."
    ),
    "What is known of the place and from which sources. No child's personal details here.": (
        "Що відомо про це місце і з яких джерел. Без особистих даних дітей."
    ),
    "{n} facilities": "Закладів: {n}",
    # the account
    "At least {n} characters, not your username, not a well-known password. A few unrelated "
    "words are easy to remember and hard to guess.": (
        "Щонайменше {n} символів, не ваше ім’я користувача і не поширений пароль. Кілька не "
        "пов’язаних між собою слів легко запам’ятати й важко вгадати."
    ),
    "Change the password": "Змінити пароль",
    "Change your password": "Зміна пароля",
    "Changing it ends every other session of yours and revokes your API tokens.": (
        "Зміна пароля припиняє всі інші ваші сеанси та відкликає ваші токени API."
    ),
    "Current password": "Поточний пароль",
    "My account": "Мій обліковий запис",
    "New password": "Новий пароль",
    "New password again": "Новий пароль ще раз",
    "Password changed": "Пароль змінено",
    "Your password was set by the register keeper. Choose one of your own now, that nobody "
    "else knows.": (
        "Ваш пароль встановив держатель реєстру. Оберіть зараз власний, якого не знає ніхто інший."
    ),
    "Your password is changed. Every other session of yours has ended and your API tokens are "
    "revoked; make new tokens if programs need them.": (
        "Ваш пароль змінено. Усі інші ваші сеанси припинено, а токени API відкликано; створіть "
        "нові токени, якщо вони потрібні програмам."
    ),
}
