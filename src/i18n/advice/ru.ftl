## advice (ru): первичные консультации, направления, напоминания, семьи, выбор контакта

advice-tabs = Консультирование
advice-filters = Фильтры
advice-filters-on = { $count ->
    [one] Фильтры ({ $count } включён)
    [few] Фильтры ({ $count } включено)
    [many] Фильтры ({ $count } включено)
   *[other] Фильтры ({ $count } включено)
}
advice-filters-clear = Сбросить фильтры
advice-any = Все
advice-filter-community = Сообщество
advice-filter-group = Целевая группа
advice-filter-outcome = Результат
advice-filter-institution = Учреждение
advice-filter-period = Период
advice-period-all = За всё время
advice-period-month = Этот месяц
advice-period-quarter = Этот квартал
advice-period-year = Этот год
advice-show-more = { $count ->
    [one] Показать ещё { $count }
    [few] Показать ещё { $count }
    [many] Показать ещё { $count }
   *[other] Показать ещё { $count }
}
advice-none-match = По этим фильтрам ничего не найдено.
advice-unknown-person = (человека нет на этом устройстве)

consultations-title = Первичные консультации
consultations-search = Поиск по заметкам или имени
consultations-add = Новая консультация
consultations-empty = Консультаций пока нет. Запишите первую сразу после беседы.
consultations-count = { $count ->
    [one] { $count } консультация
    [few] { $count } консультации
    [many] { $count } консультаций
   *[other] { $count } консультации
}

consultation-new = Новая первичная консультация
consultation-edit = Первичная консультация
consultation-contact = С кем?
consultation-household = Семья (необязательно)
consultation-household-none = Без семьи
consultation-topics = Темы
consultation-outcome = Результат
consultation-date = Дата
consultation-refer = Направить
consultation-referrals = Направления по этой консультации

referrals-title = Направления
referrals-search = Поиск по причине, имени или учреждению
referrals-add = Новое направление
referrals-empty = Направлений пока нет.
referrals-count = { $count ->
    [one] { $count } направление
    [few] { $count } направления
    [many] { $count } направлений
   *[other] { $count } направления
}

referral-new = Новое направление
referral-edit = Направление
referral-contact = Кого направляем?
referral-institution = Учреждение
referral-institution-choose = Выберите учреждение
referral-reason = Причина
referral-field-status = Статус
referral-date = Дата направления
referral-follow-up = Уточнить
referral-follow-up-short = Уточнить:
referral-overdue = просрочено
referral-due-today = сегодня
referral-from-consultation = К консультации
referral-consent-advice-only = Согласие этого человека распространяется только на консультирование. Спросите его, прежде чем передавать данные в учреждение, и отметьте расширенное согласие в его контакте.

follow-up-new = Новое напоминание
follow-up-edit = Напоминание
follow-up-due = Срок
follow-up-note = Что нужно сделать?
follow-up-contact = О ком? (необязательно)
follow-up-done = Выполнено

household-new = Новая семья
household-edit = Семья
household-name = Название семьи
household-name-hint = Как вы называете семью, например: семья Петровых
household-members = Члены семьи

contact-household-pick = Семья (необязательно)
contact-household-none = Без семьи
contact-new-household = Новая семья
contact-new-consultation = Новая консультация
contact-new-referral = Направить
contact-new-follow-up = Напоминание
contact-consultations = { $count ->
    [one] { $count } консультация
    [few] { $count } консультации
    [many] { $count } консультаций
   *[other] { $count } консультации
}
contact-referrals = { $count ->
    [one] { $count } направление
    [few] { $count } направления
    [many] { $count } направлений
   *[other] { $count } направления
}

picker-search = Введите имя
picker-recent = Недавно добавленные:
picker-change = Изменить
picker-unknown = Контакт, которого нет на этом устройстве
picker-new = Новый контакт
picker-new-title = Новый контакт
picker-new-save = Сохранить контакт
picker-phone-optional = Телефон (необязательно)
picker-consent-note = Контакт можно сохранить только с согласия человека. Того, кто хочет остаться анонимным, учитывают только в подсчёте участников мероприятия.
