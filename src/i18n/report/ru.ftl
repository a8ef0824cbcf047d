## report (ru): отчёт за период для грантодателей

more-report = Отчёт
more-report-desc = Показатели квартала для грантодателей: таблицы, диаграммы, загрузка CSV и XLSX.
report-title = Отчёт для грантодателей
report-period-label = Период
report-period-range = С … по …
report-from = С
report-to = По
report-quarter = { $quarter }-й квартал { $year }
report-range = с { $from } по { $to }
report-as-of = Рассчитано по данным на этом устройстве, на { $date }. Записи, ещё не поступившие на это устройство, не учтены.
report-bad-from = Дата начала не указана или это не дата: выберите день.
report-bad-to = Дата окончания не указана или это не дата: выберите день.
report-ends-before-start = Период заканчивается { $to }, раньше, чем начинается ({ $from }): поменяйте даты местами.
report-bad-year = Год { $year } вне диапазона: выберите год от 1 до 9999.
report-bad-period = Это не период: выберите квартал или дату начала и окончания.
report-download-all = Скачать весь отчёт (CSV)
report-download-csv = CSV
report-download-all-xlsx = Скачать весь отчёт (XLSX)
report-download-xlsx = XLSX
report-col-figure = Показатель
report-col-value = Значение
report-overview-from = Начало периода
report-overview-to = Конец периода
report-overview-as-of = Данные на дату
report-overview-median-days = Медиана дней от первой консультации до обучения
report-table-overview = Обзор
report-download-failed = Не удалось сохранить файл. Попробуйте ещё раз или используйте другой браузер.

report-fig-first-consultations = Первые консультации
report-fig-consultations = Консультации
report-fig-referrals = Направления
report-fig-events = Мероприятия
report-fig-attendance = Посещения
report-fig-companies-joined = Новые обучающие предприятия
report-fig-places-acquired = Привлечено мест обучения
report-fig-places-filled = Занято мест обучения
report-fig-active-mentors = Активные наставники
report-fig-placed = Начали обучение после направления
report-fig-median-days = { PLURAL($count) ->
    [one] медиана { $count } день от первой консультации
    [few] медиана { $count } дня от первой консультации
    [many] медиана { $count } дней от первой консультации
   *[other] медиана { $count } дня от первой консультации
}
report-fig-median-none = пока никто не начал обучение

report-chart-consultations = Консультации по сообществам
report-chart-attendance = Посещение мероприятий по целевым группам

report-table-first-consultations = Первые консультации по сообществам и целевым группам
report-table-consultations = Консультации по сообществам и целевым группам
report-table-referrals = Направления по сообществам и целевым группам
report-table-referrals-by-institution = Направления по учреждениям и статусу
report-table-events = Мероприятия по видам
report-table-events-by-community = Мероприятия по сообществам
report-table-companies = Предприятия
report-table-training-places = Привлечённые места обучения по текущему статусу
report-table-active-mentors = Активные наставники
report-table-measures = План действий
report-table-placements = Начали обучение после направления
report-table-placements-unlinked = Занятые места, не засчитанные как результат направления

report-col-community = Сообщество
report-col-institution = Учреждение
report-col-event-kind = Вид мероприятия
report-col-events = Мероприятия
report-col-in-network = Предприятия в сети
report-col-in-network-licensed = из них с правом обучения
report-col-joined = Новые участники
report-col-joined-licensed = из них с правом обучения
report-col-places-acquired = Привлечено мест
report-col-active-mentors = Активные наставники
report-col-action-field = Направление работы
report-col-measure = Мера
report-col-owner = Ответственный
report-col-metric = Что считается
report-col-year = Год
report-col-target = Цель
report-col-done-period = За период
report-col-done-to-date = С начала года
report-col-percent = % от цели
report-col-median-days = Медиана дней до начала обучения
report-col-reason = Причина
report-col-places = Места
report-col-no-group = Без целевой группы
report-col-total = Всего
report-col-attendance-parent = Посещения: родители
report-col-attendance-youth = Посещения: молодёжь
report-col-attendance-self-employed = Посещения: предприниматели
report-col-attendance = Посещения
report-row-total = Всего
report-row-no-community = Без сообщества (вся сеть)
report-unlinked-unknown-person = Человек не указан или его нет на этом устройстве
report-unlinked-not-referred = Нет направления до начала обучения
report-unlinked-referral-without-consultation = Направление без предшествующей консультации
report-complete-after-end = { $synced } из { $active } активных устройств синхронизировались после окончания периода.
report-complete-today = { $synced } из { $active } активных устройств синхронизировались сегодня; период ещё идёт.
report-complete-unknown = Насколько полон отчёт, будет видно, когда это устройство прочитает устройства сети (после выхода в интернет).
report-late-device = { $who }: последняя синхронизация { $time }
report-late-never = { $who }: ещё не сообщало о синхронизации
report-overview-devices-active = Активные устройства
report-overview-devices-synced = Синхронизировались после окончания периода
report-overview-devices-synced-today = Синхронизировались сегодня
report-overview-late = Последняя синхронизация остальных устройств
report-overview-device = Устройство
