## records (ru): названия фиксированных списков

error-not-a-number = Введите целое число.
error-out-of-range = Такое число или дата здесь невозможны.

topic-orientation = Профориентация
topic-training-place = Поиск места обучения
topic-applications = Заявления о приёме
topic-internships = Практика
topic-recognition = Признание иностранных дипломов
topic-training-licence = Право предприятия обучать
topic-funding = Финансовая поддержка

outcome-informed = Дана информация
outcome-referred = Дано направление в учреждение
outcome-follow-up = Договорились о повторной встрече
outcome-place-found = Место обучения найдено
outcome-no-need = Больше помощь не нужна

referral-status-open = Открыто
referral-status-contacted = Связались
referral-status-done = Выполнено
referral-status-no-show = Неявка

role-mentor = Родитель-наставник
role-coordinator = Координатор

institution-kind-career-guidance = Профконсультация
institution-kind-jobcenter = Джобцентр
institution-kind-hwk = Ремесленная палата (HWK)
institution-kind-ihk = Торгово-промышленная палата (IHK)
institution-kind-youth-migration = Молодёжная миграционная служба
institution-kind-adult-migration = Миграционная консультация для взрослых
institution-kind-school = Школа
institution-kind-other = Другое

event-kind-school-info = Информационная встреча в школе
event-kind-open-day = День открытых дверей
event-kind-company-visit = Посещение предприятия
event-kind-parent-evening = Родительский вечер
event-kind-network-meeting = Встреча сети
event-kind-mentor-training = Обучение наставников

chamber-hwk = HWK (ремесло)
chamber-ihk = IHK (промышленность и торговля)

licence-none = Нет права обучать
licence-in-preparation = Право обучать в подготовке
licence-has = Есть право обучать

place-status-acquired = Получено
place-status-offered = Предложено
place-status-filled = Занято

action-field-school-to-work = Переход от школы к профессии
action-field-self-employed = Поддержка самозанятых
action-field-network = Работа в сети

metric-events = Проведённые мероприятия
metric-attendance = Охвачено людей на мероприятиях
metric-consultations = Консультации
metric-referrals = Направления
metric-companies-joined = Предприятия, вступившие в сеть
metric-companies-licensed = Предприятия с правом обучать
metric-places-acquired = Полученные места обучения
metric-places-filled = Занятые места обучения

record-not-found = Этой записи нет на этом устройстве.
form-notes = Заметки
nav-today = Сегодня
nav-consultations = Консультации
nav-events = Мероприятия
nav-more = Ещё
draft-restored = Ваша незаконченная запись восстановлена. Проверьте и сохраните.

demo-title = Демо-данные
demo-working = Устройство заполняется вымышленной сетью: сообщества, наставники, год консультаций и мероприятий…
demo-failed = Не удалось сохранить демо-данные на этом устройстве. Перезагрузите страницу, чтобы попробовать снова.
demo-fictional = Все люди, семьи, объединения и предприятия в демо вымышлены.
demo-try = Попробовать с демо-данными
record-edit = Изменить
list-download-label = Скачать список
list-download-csv = Скачать список в формате CSV
list-download-xlsx = Скачать список в формате XLSX
