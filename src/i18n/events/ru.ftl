## events (ru): мероприятия и подсчёт участников

events-title = Мероприятия
events-count = { $count ->
    [one] { $count } мероприятие
    [few] { $count } мероприятия
    [many] { $count } мероприятий
   *[other] { $count } мероприятия
}
events-search = Поиск по названию или школе
events-filters = Фильтры
events-filter-kind = Вид
events-filter-all-kinds = Все виды
events-filter-community = Сообщество
events-filter-all-communities = Все сообщества
events-filter-period = Период
events-period-all = За всё время
events-period-upcoming = С сегодняшнего дня
events-period-month = Этот месяц
events-period-quarter = Этот квартал
events-period-year = Этот год
events-filter-reset = Сбросить фильтры
events-empty = Мероприятий пока нет. После информационной встречи нажмите «Новое мероприятие».
events-none-found = Нет мероприятий, подходящих под поиск и фильтры.
events-show-more = { $count ->
    [one] Показать ещё { $count }
    [few] Показать ещё { $count }
    [many] Показать ещё { $count }
   *[other] Показать ещё { $count }
}
events-add = Новое мероприятие
events-attendance = { $count ->
    [one] { $count } человек
    [few] { $count } человека
    [many] { $count } человек
   *[other] { $count } человека
}

event-form-new = Новое мероприятие
event-form-edit = Мероприятие
event-form-what = Что и когда
event-form-kind = Вид мероприятия
event-form-date = Дата
event-form-time = Время
event-form-place = Место
event-form-tally = Кто пришёл?
event-form-tally-hint = Имена здесь не записываются: тех, кто не дал согласия, только считают. Нажимайте + один раз на каждого человека.
event-form-tally-parent = Родители
event-form-tally-youth = Молодёжь
event-form-tally-self-employed = Предприниматели
event-form-tally-minus = на одного меньше
event-form-tally-plus = на одного больше
event-form-tally-total = { $count ->
    [one] Всего: { $count } человек
    [few] Всего: { $count } человека
    [many] Всего: { $count } человек
   *[other] Всего: { $count } человека
}
event-form-tally-unsaved = Подсчёт ещё не сохранён. В конце нажмите «Сохранить».
event-form-details = Данные
event-form-school = Школа
event-form-title = Название
event-form-title-hint = Необязательно, например «Родительский вечер: Ausbildung в ремесле»
event-form-company = Предприятие
event-form-no-company = Предприятие не выбрано
event-form-partner = Организация мигрантов (соорганизатор)
event-form-no-partner = Нет
event-form-community = Сообщество
event-form-no-community = Все сообщества (вся сеть)
events-period-past = Прошедшие
events-show-past = Показать прошедшие мероприятия
events-show-upcoming = Показать предстоящие мероприятия
