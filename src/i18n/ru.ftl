### Lotse, русский. Термины, одинаковые во всех строках:
### Ausbildung: профессиональное обучение (Ausbildung), дуальное: на предприятии и в профессиональной школе; не просто «образование».
### Немецкие учреждения сохраняют немецкое название, при необходимости с пояснением:
### Handwerkskammer (Ремесленная палата), IHK (Торгово-промышленная палата),
### Agentur für Arbeit (Федеральное агентство по труду), Jobcenter (центр занятости и пособий),
### Jugendmigrationsdienst (миграционная служба для молодёжи).
### Relay: сервер синхронизации, в текстах «сервер». Lotse: название, не переводится.
### Обращение: «вы» (повелительное наклонение на -те: «Нажмите», «Откройте»); кнопки инфинитивом («Сохранить»).
### Community: «сообщество» (не «община»). Mentor: «наставник» (не «ментор»). Measure (план действий): «мера».
### Лица — в мужском роде как родовом (наставник, координатор), без форм вида «(а)». Sync: «передача данных», «обмен данными».

app-name = Lotse
app-tagline = Записная книжка родителей-наставников

nav-contacts = Контакты
nav-device = Это устройство

sync-offline = Нет сети
sync-connecting = Подключение…
sync-syncing = Передача данных…
sync-synced = Всё передано в { $time }
sync-pending = Сохранено на телефоне, ещё не передано

setup-title = Настройка устройства
setup-intro = Ваши записи хранятся на этом телефоне и в зашифрованном виде доступны наставникам вашего сообщества.
setup-mentor-name = Ваше имя
setup-community-name = Ваше сообщество
setup-community-hint = Например: русскоязычные семьи Оснабрюка
setup-save = Начать
setup-join-hint = Вас пригласил координатор? Откройте полученную ссылку-приглашение.

join-title = Присоединиться к сообществу
join-intro = Это устройство получит доступ к контактам сообщества «{ $community }».
join-intro-coordinator = Вас приглашают координатором сети: это устройство начнёт с сообщества «{ $community }» и получит ключи всех сообществ, когда координатор побывает в сети.
join-save = Присоединиться
join-error = Ссылка для подключения повреждена или неполная. Попросите у координатора новое приглашение.

contacts-title = Контакты
contacts-search = Поиск по имени, телефону, району или языку
contacts-add = Добавить контакт
contacts-empty = Контактов пока нет. Добавьте первый после беседы.
contacts-none-found = По запросу «{ $query }» контактов нет.
contacts-count = { $count ->
    [one] { $count } контакт
    [few] { $count } контакта
    [many] { $count } контактов
   *[other] { $count } контакта
}

group-parent = Родители
group-youth = Молодёжь
group-self-employed = Предприниматели

contact-new = Новый контакт
contact-edit = Изменить контакт
contact-consent-section = Согласие
contact-consent-given = Человек дал согласие на хранение своих данных
contact-consent-date = Дата согласия
contact-consent-scope = Объём согласия
scope-advice = Только консультация
scope-advice-referral = Консультация и направление в профильные учреждения
contact-details-section = Данные
contact-target-group = Целевая группа
contact-name = Имя
contact-phone = Телефон
contact-languages = Языки
contact-languages-hint = Через запятую, например: турецкий, немецкий
contact-district = Район
contact-household = Семья (идентификатор, необязательно)
contact-notes = Заметки
contact-notes-warning = Не записывайте сведения о здоровье, религии или статусе пребывания.
contact-save = Сохранить
contact-cancel = Отмена
contact-saved = Сохранено на этом устройстве.
save-failed-full = Не сохранено: память телефона заполнена. Введённые данные остались в форме; освободите место и попробуйте ещё раз.
save-failed-refused = Не сохранено: этот браузер не позволяет Lotse хранить здесь данные (приватное окно?). Введённые данные остались в форме; попробуйте ещё раз.
save-failed = Не удалось сохранить на этом устройстве. Введённые данные остались в форме; попробуйте ещё раз.

error-required = Заполните это поле.
error-bad-phone = В номере телефона от 6 до 15 цифр; кроме цифр допустимы только +, пробелы, - / ( ).
error-bad-date = Укажите существующую дату.
error-bad-time = Укажите время, например 18:30.
error-consent-missing = Сначала отметьте согласие человека: без него нельзя сохранять ни имя, ни номер.
error-not-an-id = Это не идентификатор семьи.
error-too-long = Слишком длинный текст.
error-unknown-choice = Выберите один из вариантов.
form-has-errors = Исправьте отмеченные ниже поля.

device-title = Это устройство
device-mentor = Наставник
device-community = Сообщество
device-language = Язык
device-storage = Хранилище
storage-persisted = Надёжно: браузер сам не удалит данные Lotse.
storage-not-persisted = Без гарантии: при нехватке места браузер может удалить данные. Установите Lotse на главный экран.
storage-unknown = Проверка…
device-copy = Копировать ссылку
device-copied = Скопировано.
device-problems = Проблемы с передачей данных

update-available = Доступна новая версия Lotse.
update-reload = Перезагрузить

problem-undecryptable = Запись с сервера не удалось расшифровать, она пропущена.
problem-not-automerge = Запись с сервера повреждена и пропущена.
problem-unsigned = Запись с сервера написана не участником сети (или после удаления его устройства), она пропущена.
problem-relay = Сервер отклонил сообщение: { $message }

store-full = Память телефона заполнена. Освободите место и перезагрузите Lotse.
store-refused = Браузер не разрешает Lotse хранить здесь данные (приватное окно?). Откройте Lotse в обычном окне или установите на главный экран.
store-failed = Lotse не удалось открыть хранилище на этом устройстве. Перезагрузите страницу; если не поможет, перезапустите браузер.
engine-restarting = Lotse перезапускает службу хранения. Всё сохранённое остаётся.
part-missing = Эта часть Lotse ещё не загружена на устройство, и загрузить её не удалось. Попробуйте снова, когда появится связь. Всё сохранённое остаётся.
part-retry = Повторить
engine-outdated = Вышла новая версия Lotse. Перезагрузите страницу.
setup-save-failed = Не удалось сохранить настройки на этом устройстве. Освободите место или выйдите из приватного режима и попробуйте ещё раз.

# A date written out in full (Today, events), as the browser writes it
# (Intl, dateStyle "full"), whose formatter costs a phone a tenth of a
# start to make. Weekdays from Monday; months in the form a date uses.
date-full = { $weekday }, { $day } { $month } { $year } г.
date-weekday-1 = понедельник
date-weekday-2 = вторник
date-weekday-3 = среда
date-weekday-4 = четверг
date-weekday-5 = пятница
date-weekday-6 = суббота
date-weekday-7 = воскресенье
date-month-1 = января
date-month-2 = февраля
date-month-3 = марта
date-month-4 = апреля
date-month-5 = мая
date-month-6 = июня
date-month-7 = июля
date-month-8 = августа
date-month-9 = сентября
date-month-10 = октября
date-month-11 = ноября
date-month-12 = декабря
