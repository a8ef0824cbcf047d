## today (ru): главная страница

today-hello = Здравствуйте,
today-quick-title = Быстрый ввод
today-quick-tally = Посчитать участ­ников встречи
today-quick-consultation = Первая консуль­тация
today-quick-referral = Направ­ление
today-save-failed = Не удалось сохранить на этом устройстве. Попробуйте ещё раз.
today-marked-done = Выполнено:
today-undo = Отменить
today-overdue = Просрочено
today-due = На сегодня
today-nothing-due = Ничего не запланировано. Отлично!
today-nothing-due-today = На сегодня больше ничего нет.
today-upcoming = Ближайшие мероприятия (14 дней)
today-no-events = В ближайшие 14 дней мероприятий нет.
today-kind-follow-up = Напоминание
today-kind-referral = Направление
today-mark-done = Готово
today-show-more = { $count ->
    [one] Показать ещё { $count }
    [few] Показать ещё { $count }
    [many] Показать ещё { $count }
   *[other] Показать ещё { $count }
}
today-later = Через неделю
today-marked-later = Отложено на неделю:
today-whose = Чьи напоминания
today-mine = Мои
today-everyone = Все
today-no-person = без человека
today-next-event = { $count ->
    [one] Ближайшее мероприятие
    [few] Ближайшее из { $count } мероприятий
    [many] Ближайшее из { $count } мероприятий
   *[other] Ближайшее из { $count } мероприятий
}
