"""Ukrainian texts of the public pages (report form, figures), the triage
queue and the statistics pages, by their English original."""

from __future__ import annotations

UKRAINIAN: dict[str, str] = {
    # The public report form
    "Report a missing or deported child": "Повідомити про зниклу або депортовану дитину",
    "Report a child": "Повідомити про дитину",
    "Figures": "Цифри",
    "Public pages": "Публічні сторінки",
    "Sign in for officials": "Вхід для посадових осіб",
    "Tell us about a child who was deported to Russia or Belarus, moved within the occupied "
    "territory, detained or is missing. Officials who trace children read every report and may "
    "contact you to verify it.": (
        "Розкажіть про дитину, яку депортували до Росії чи Білорусі, перемістили в межах "
        "окупованої території, затримали або яка зникла безвісти. Посадові особи, які "
        "розшукують дітей, читають кожне повідомлення і можуть зв’язатися з вами, щоб його "
        "перевірити."
    ),
    "Write what you know; only the child's name and a way to reach you are needed. "
    "Names in any script.": (
        "Напишіть те, що знаєте; обов’язкові лише ім’я дитини та спосіб зв’язатися з вами. "
        "Імена — будь-якою абеткою."
    ),
    "This form does not replace the police: if a child is in danger now, call 102.": (
        "Ця форма не замінює поліцію: якщо дитина в небезпеці зараз, телефонуйте 102."
    ),
    "If you are in occupied territory, think of your own safety before sending: someone may "
    "watch your device or network.": (
        "Якщо ви на окупованій території, подумайте про власну безпеку перед надсиланням: "
        "за вашим пристроєм або мережею можуть стежити."
    ),
    "The child": "Дитина",
    "How the child was taken": "Як дитину забрали",
    "You": "Ви",
    "For example 04.03.2012, or 2012 if only the year is known.": (
        "Наприклад, 04.03.2012 або 2012, якщо відомий лише рік."
    ),
    "Where the child was taken from": "Звідки дитину забрали",
    "Town or village, and oblast.": "Місто чи село та область.",
    "When the child was taken": "Коли дитину забрали",
    "For example 15.09.2022, or 2022-09.": "Наприклад, 15.09.2022 або 2022-09.",
    "What happened": "Що сталося",
    "Who took the child, who was with the child, what you were told.": (
        "Хто забрав дитину, хто був із дитиною, що вам сказали."
    ),
    "The town, camp or institution where the child was last known to be.": (
        "Місто, табір або заклад, де дитина була востаннє, наскільки відомо."
    ),
    "Your name": "Ваше ім’я та прізвище",
    "Your relationship to the child": "Ким ви доводитеся дитині",
    "How to reach you": "Як з вами зв’язатися",
    "A telephone number, an e-mail address or a messenger.": (
        "Номер телефону, адреса електронної пошти або месенджер."
    ),
    "Anything else we should know": "Що ще нам варто знати",
    "Boy": "Хлопчик",
    "Girl": "Дівчинка",
    "Not known": "Невідомо",
    "Mother": "Мати",
    "Father": "Батько",
    "Grandmother": "Бабуся",
    "Grandfather": "Дідусь",
    "Brother or sister": "Брат або сестра",
    "Aunt": "Тітка",
    "Uncle": "Дядько",
    "Guardian": "Опікун",
    "Foster parent": "Прийомний батько або мати",
    "Someone else": "Інша особа",
    "Leave this field empty": "Залиште це поле порожнім",
    "Consent": "Згода",
    "Homeward keeps this report, with your name and contact, so that the officials who trace "
    "and return children can verify it, compare it with what other sources say and contact "
    "you. Your name and contact are never published and are never given to the other side.": (
        "«Додому» зберігає це повідомлення з вашим ім’ям і контактом, щоб посадові особи, які "
        "розшукують і повертають дітей, могли його перевірити, зіставити з іншими джерелами "
        "та зв’язатися з вами. Ваше ім’я та контакт ніколи не публікуються і ніколи не "
        "передаються іншій стороні."
    ),
    "I agree, and I report what I know to be true.": (
        "Я погоджуюся і повідомляю те, що вважаю правдою."
    ),
    "Send the report": "Надіслати повідомлення",
    "Too long: at most {n} characters.": "Задовго: щонайбільше {n} символів.",
    "Needed, so that someone can verify the report and answer you.": (
        "Потрібно, щоб повідомлення могли перевірити й відповісти вам."
    ),
    "Give the child's family name or given name.": "Вкажіть прізвище або ім’я дитини.",
    "Not a date we can read: write it as 04.03.2012, 2012-03 or 2012.": (
        "Не вдається прочитати дату: напишіть її як 04.03.2012, 2012-03 або 2012."
    ),
    "Choose one of the answers offered.": "Виберіть одну із запропонованих відповідей.",
    "Tick the box to agree, or the report cannot be kept.": (
        "Позначте поле згоди, інакше повідомлення не можна зберегти."
    ),
    "Thank you": "Дякуємо",
    "Your report has reached Homeward. Its reference is:": (
        "Ваше повідомлення надійшло до «Додому». Його номер:"
    ),
    "Keep this reference. If you call or write to the officials who trace children about this "
    "report, give it to them: they will find your report with it.": (
        "Збережіть цей номер. Якщо ви телефонуватимете чи писатимете посадовим особам, які "
        "розшукують дітей, щодо цього повідомлення, назвіть його: за ним знайдуть ваше "
        "повідомлення."
    ),
    "A case worker reads every report. Someone may contact you to verify what you wrote; "
    "nobody will ask you for money.": (
        "Працівник справ читає кожне повідомлення. З вами можуть зв’язатися, щоб перевірити "
        "написане; ніхто не проситиме у вас грошей."
    ),
    "Report another child": "Повідомити про іншу дитину",
    "Too many reports": "Забагато повідомлень",
    "Too many reports came from your network in a short time. Please try again in {minutes} "
    "minutes.": (
        "З вашої мережі за короткий час надійшло забагато повідомлень. Спробуйте знову через "
        "{minutes} хв."
    ),
    "Reports already sent are kept; nothing is lost. If several people share your network, "
    "one of them may have sent reports too.": (
        "Уже надіслані повідомлення збережено, нічого не втрачено. Якщо вашою мережею "
        "користуються кілька людей, повідомлення міг надіслати хтось із них."
    ),
    # Triage
    "Public reports to triage": "Публічні повідомлення для сортування",
    "Triage": "Сортування",  # the menu's short name of the page above
    "Reports sent through the public form wait here. They are in no case and count in no "
    "figure until you link them to a case, open a case for them, or reject them.": (
        "Тут чекають повідомлення, надіслані через публічну форму. Вони не належать до жодної "
        "справи і не враховуються в жодній цифрі, доки ви не віднесете їх до справи, не "
        "відкриєте для них справу або не відхилите їх."
    ),
    "{n} reports waiting, oldest first": "Повідомлень чекає: {n}; спершу найстаріші",
    "Reference": "Номер",
    "Received": "Отримано",
    "Child": "Дитина",
    "Reported by": "Хто повідомив",
    "No public report waits for triage.": "Жодне публічне повідомлення не чекає на сортування.",
    "Lately rejected": "Нещодавно відхилені",
    "Rejected reports are kept with the reason, until the retention rules remove them.": (
        "Відхилені повідомлення зберігаються разом із причиною, доки їх не вилучать за "
        "правилами зберігання."
    ),
    "By": "Хто",
    "Public report {reference}": "Публічне повідомлення {reference}",
    "Received {when} through the public form. Nobody has checked it yet: the sender may be "
    "mistaken, or not who they say.": (
        "Отримано {when} через публічну форму. Його ще ніхто не перевіряв: відправник може "
        "помилятися або бути не тим, за кого себе видає."
    ),
    "What was reported": "Що повідомлено",
    "Read with these repairs:": "Прочитано з такими виправленнями:",
    "reported through the public form": "повідомлено через публічну форму",
    "Not a genuine report": "Не справжнє повідомлення",
    "For example: a test, abuse, or no child is described. The report is kept, not deleted.": (
        "Наприклад: перевірка, зловживання або не описано жодної дитини. Повідомлення "
        "зберігається, а не видаляється."
    ),
    "Reject the report": "Відхилити повідомлення",
    "Other public reports that may be the same child": (
        "Інші публічні повідомлення, які можуть стосуватися тієї самої дитини"
    ),
    "The same family may have written twice: once this report is in a case, link those to it "
    "too.": (
        "Та сама родина могла написати двічі: щойно це повідомлення буде у справі, віднесіть "
        "до неї й ті."
    ),
    # Statistics
    "Children deported or forcibly transferred: the figures": (
        "Депортовані та примусово переміщені діти: цифри"
    ),
    "How many children the registry holds, by category, status and oblast of origin, and how "
    "many returned each month. A return counts once the child is on territory Ukraine "
    "controls. These are counts only: no child's data is published.": (
        "Скільки дітей у реєстрі за категорією, статусом і областю походження та скільки "
        "повернулося щомісяця. Повернення враховується, щойно дитина на підконтрольній Україні "
        "території. Це лише кількості: даних жодної дитини не публікують."
    ),
    "Children in the registry": "Дітей у реєстрі",
    "As of {when}.": "Станом на {when}.",
    "Counts from 1 to 4 are shown as “{s}”, so that no child can be recognised from them.": (
        "Кількості від 1 до 4 показано як «{s}», щоб за ними не можна було впізнати дитину."
    ),
    "A count shown as “—” is hidden too, because with the total it would give away a small one.": (
        "Кількість, показану як «—», теж приховано, бо разом із загальною сумою вона видала б "
        "малу кількість."
    ),
    "Children by category": "Діти за категорією",
    "Children by status": "Діти за статусом",
    "Children by oblast of origin": "Діти за областю походження",
    "Children returned, by month of return": "Повернуті діти за місяцем повернення",
    "Outside Ukraine": "За межами України",
    "The table beside the chart gives the same figures.": (
        "Таблиця поруч із діаграмою містить ті самі цифри."
    ),
    "Group": "Група",
    "Children": "Дітей",
    "None yet.": "Поки що немає.",
    "Download": "Завантажити",
    "The figures as CSV, with HXL hashtags": "Цифри у форматі CSV із хештегами HXL",
    "The figures are brought up to date every few minutes.": (
        "Цифри оновлюються кожні кілька хвилин."
    ),
    "The same figures as the public page, counted now. Merged duplicates are not counted; the "
    "case they were merged into is.": (
        "Ті самі цифри, що й на публічній сторінці, підраховані щойно. Об’єднані дублікати не "
        "враховуються; враховується справа, з якою їх об’єднано."
    ),
    "Download CSV (with HXL hashtags)": "Завантажити CSV (із хештегами HXL)",
    "Download JSON": "Завантажити JSON",
    "The public page": "Публічна сторінка",
}
