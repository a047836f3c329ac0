"""Ukrainian texts of the sign-in, search, case, report and review pages."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    "Administration": "Адміністрування",
    "Audit": "Аудит",
    "Statistics": "Статистика",
    "Facilities": "Заклади",
    "Lists": "Списки",
    "Imports": "Імпорт",
    "A report in no case yet": "Повідомлення, ще не віднесене до справи",
    "A report left undecided stays in the registry; the next review scan proposes it.": (
        "Повідомлення без рішення залишається в реєстрі; наступна перевірка реєстру "
        "запропонує його на розгляд."
    ),
    "A token lets a program use the JSON API as you, with your role. Keep it like a password.": (
        "Токен дає програмі змогу користуватися JSON API від вашого імені, з вашою роллю. "
        "Бережіть його як пароль."
    ),
    "API tokens": "Токени API",
    "Accept: the same child": "Прийняти: це та сама дитина",
    "Accepted": "Прийнято",
    "Analyst": "Аналітик",
    "At risk in occupied territory": "Під загрозою на окупованій території",
    "Auditor": "Аудитор",
    "Back to my work": "Повернутися до моєї роботи",
    "Candidates appear here as you type.": "Можливі збіги з’являються тут під час введення.",
    "Case": "Справа",
    "Case worker": "Працівник справ",
    "Cases": "Справи",
    "Cases assigned to me": "Справи, призначені мені",
    "Category": "Категорія",
    "Changed": "Змінено",
    "Changed meanwhile": "Тим часом змінено",
    "Children it may be": "Діти, якими це може бути",
    "Closed": "Закрито",
    "Code": "Код",
    "Contacts": "Контакти",
    "Continue": "Далі",
    "Date of birth": "Дата народження",
    "Date of removal": "Дата вивезення",
    "Defer": "Відкласти",
    "Deferred": "Відкладено",
    "Deported": "Депортовано",
    "Detained": "Затримано",
    "Each value with the record and source it comes from.": (
        "Кожне значення — із записом і джерелом, звідки воно походить."
    ),
    "Error": "Помилка",
    "Family name": "Прізвище",
    "Father's name": "Ім’я батька",
    "Field": "Поле",
    "For example: Aleksandr Kovalenko 2012": "Наприклад: Aleksandr Kovalenko 2012",
    "Forcibly transferred": "Примусово переміщено",
    "Given name": "Ім’я",
    "Homeward": "Homeward",  # a name, not translated
    "Homeward: a registry for tracing and returning children deported or forcibly "
    "transferred during the war against Ukraine.": (
        "«Додому»: реєстр для розшуку та повернення дітей, депортованих або примусово "
        "переміщених під час війни проти України."
    ),
    "How the child was taken": "Як дитину забрали",
    "Identity": "Особа",
    "If they are one child, the case that stays": "Якщо це одна дитина — справа, що залишається",
    "Keep the report": "Зберегти повідомлення",
    "Key": "Ключ",
    "Kind": "Вид",
    "Last known location": "Останнє відоме місцеперебування",
    "Legal representative": "Законний представник",
    "Link for the app": "Посилання для застосунку",
    "Link to this case": "Віднести до цієї справи",
    "Linked automatically": "Пов’язано автоматично",
    "Linking decisions": "Рішення про пов’язання",
    "Located": "Місцеперебування встановлено",
    "Made": "Створено",
    "Main": "Головне меню",
    "Make a token": "Створити токен",
    "Merged into another case": "Об’єднано з іншою справою",
    "Merged into this case": "Об’єднано з цією справою",
    "Missing": "Зниклі безвісти",
    "Mother's name": "Ім’я матері",
    "Move": "Змінити",
    "Move the status": "Змінити статус",
    "My work": "Моя робота",
    "Name": "Ім’я та прізвище",
    "Name, in any script, and the date of birth if known": (
        "Ім’я будь-якою абеткою і дата народження, якщо відома"
    ),
    "New report": "Нове повідомлення",
    "New status": "Новий статус",
    "Next": "Наступна",
    "No case is assigned to you.": "Вам не призначено жодної справи.",
    "No child found for “{q}”.": "За запитом «{q}» дітей не знайдено.",
    "No child in the registry matches yet.": "Поки що жодна дитина в реєстрі не збігається.",
    "No events yet.": "Подій ще немає.",
    "No relatives recorded.": "Родичів не записано.",
    "None of them": "Жодна з них",
    "Not allowed": "Не дозволено",
    "Not found": "Не знайдено",
    "Notes": "Примітки",
    "Nothing waits for review.": "Нічого не чекає на розгляд.",
    "Open a new case": "Відкрити нову справу",
    "Opened": "Відкрито",
    "Page {page} of {pages}": "Сторінка {page} з {pages}",
    "Pages": "Сторінки",
    "Partner organisation": "Партнерська організація",
    "Password": "Пароль",
    "Patronymic": "По батькові",
    "Place of birth": "Місце народження",
    "Place of removal": "Місце вивезення",
    "Please correct the form": "Виправте, будь ласка, форму",
    "Previous": "Попередня",
    "Probability": "Ймовірність",
    "Proposed match": "Запропонований збіг",
    "Proposed matches": "Запропоновані збіги",
    "Reason": "Причина",
    "Reason (kept with the decision)": "Причина (зберігається разом із рішенням)",
    "Record": "Запис",
    "Records": "Записи",
    "Register keeper": "Держатель реєстру",
    "Reintegration": "Реінтеграція",
    "Reject: not the same child": "Відхилити: це різні діти",
    "Rejected": "Відхилено",
    "Relationship": "Ступінь спорідненості",
    "Relatives": "Родичі",
    "Report": "Повідомлення",
    "Report kept": "Повідомлення збережено",
    "Reported": "Повідомлено",
    "Reporter's contact": "Контакт заявника",
    "Requested the return": "Просить про повернення",
    "Residence before removal": "Місце проживання до вивезення",
    "Return in progress": "Повернення триває",
    "Returned": "Повернуто",
    "Review": "Розгляд",
    "Review queue": "Черга розгляду",
    "Revoke": "Відкликати",
    "Search": "Пошук",
    "Second factor": "Другий фактор",
    "Sex": "Стать",
    "Sign in": "Увійти",
    "Sign out": "Вийти",
    "Skip to content": "Перейти до змісту",
    "Something went wrong": "Щось пішло не так",
    "Source": "Джерело",
    "Status": "Статус",
    "Status history": "Історія статусів",
    "Strongest reasons": "Найвагоміші причини",
    "System": "Система",
    "Take a new report": "Прийняти нове повідомлення",
    "The code is wrong or has expired, or the account is locked for a while after too many "
    "failed attempts.": (
        "Код неправильний або застарів, або обліковий запис тимчасово заблоковано після "
        "надто багатьох невдалих спроб."
    ),
    "The report is empty.": "Повідомлення порожнє.",
    "The report is kept as record {id}. Now say which child it describes.": (
        "Повідомлення збережено як запис {id}. Тепер укажіть, яку дитину воно описує."
    ),
    "The username or password is wrong, or the account is locked for a while after too many "
    "failed attempts.": (
        "Ім’я користувача або пароль неправильні, або обліковий запис тимчасово заблоковано "
        "після надто багатьох невдалих спроб."
    ),
    "There is nothing here, or you may not see it.": "Тут нічого немає, або вам це не доступно.",
    "Timeline": "Хронологія",
    "Token": "Токен",
    "Too many failed sign-ins came from your network. Wait a few minutes and try again.": (
        "З вашої мережі надійшло надто багато невдалих спроб входу. Зачекайте кілька хвилин "
        "і спробуйте знову."
    ),
    "Type the six-digit code your authenticator app shows for Homeward.": (
        "Введіть шестизначний код, який показує ваш застосунок автентифікації для «Додому»."
    ),
    "Type what is known; every field may stay empty. Names in any script.": (
        "Введіть те, що відомо; будь-яке поле може залишитися порожнім. Імена — будь-якою абеткою."
    ),
    "Under verification": "На перевірці",
    "Username": "Ім’я користувача",
    "Value": "Значення",
    "Verified": "Підтверджено",
    "Verifier": "Верифікатор",
    "Waiting": "Очікує",
    "Weight": "Вага",
    "What the token is for": "Для чого токен",
    "Whereabouts unknown": "Місцеперебування невідоме",
    "Who reports": "Хто повідомляє",
    "Why": "Чому",
    "Why it is this child": "Чому це саме ця дитина",
    "Your account has no authenticator yet. Add this account to an authenticator app (for "
    "example with the key below), then type the six-digit code it shows.": (
        "Ваш обліковий запис ще не має автентифікатора. Додайте його до застосунку "
        "автентифікації (наприклад, за ключем нижче) і введіть шестизначний код, який він покаже."
    ),
    "Your new token. It is shown once; copy it now.": (
        "Ваш новий токен. Його показано лише раз — скопіюйте його зараз."
    ),
    "Your role does not allow this.": "Ваша роль цього не дозволяє.",
    "YYYY-MM-DD, or YYYY-MM, or YYYY": "РРРР-ММ-ДД, або РРРР-ММ, або РРРР",
    "a report for a case": "повідомлення до справи",
    "date unknown": "дата невідома",
    "in use": "діє",
    "m (boy) or f (girl)": "ч (хлопчик) або ж (дівчинка)",
    "new report": "нове повідомлення",
    "no": "ні",
    "proposed": "запропоновано",
    "record": "запис",
    "revoked": "відкликано",
    "two cases, one child?": "дві справи — одна дитина?",
    "undone": "скасовано",
    "yes": "так",
    "{n} cases": "Справ: {n}",
    "{pending} waiting, {deferred} deferred": "Очікують: {pending}, відкладено: {deferred}",
}

PLURALS: dict[str, dict[str, str]] = {
    "proposed match waits for review": {
        "one": "запропонований збіг чекає на розгляд",
        "few": "запропоновані збіги чекають на розгляд",
        "many": "запропонованих збігів чекають на розгляд",
        "other": "запропонованого збігу чекає на розгляд",
    },
    "list draft awaits approval": {
        "one": "чернетка списку чекає на затвердження",
        "few": "чернетки списків чекають на затвердження",
        "many": "чернеток списків чекають на затвердження",
        "other": "чернетки списку чекає на затвердження",
    },
}
"""Texts that agree with a number (``Translator.ngettext``): under the English
singular, the Ukrainian for each CLDR plural category of Ukrainian: ``one``
(1, 21, 31…), ``few`` (2–4, 22–24…), ``many`` (0, 5–20, 25…) and ``other``
(fractions)."""
