### Права людей в блокноте: запрос о данных (ст. 15 GDPR),
### срок хранения, удаление.

art15-action = Запрос о данных (ст. 15)
art15-failed = Не удалось подготовить выписку: { $error }
art15-title = Сведения по ст. 15 GDPR
art15-made-on = Дата составления
art15-community = Сообщество
art15-intro = Здесь все сведения о вас, которые сервисный центр хранит в Lotse.
art15-contact = Контакт
art15-recorded-by = Согласие записал(а)
art15-created-on = Дата создания
art15-created-by = Создал(а)
art15-household = Семья
art15-name = Имя
art15-notes = Заметки
art15-household-shared = К этой семье относятся и другие люди; их данные и заметки о семье в выписку не входят.
art15-consultations = Первичные консультации
art15-none = Нет.
art15-date = Дата
art15-topics = Темы
art15-outcome = Итог
art15-mentor = Ментор
art15-referrals = Направления
art15-institution = Учреждение
art15-reason = Повод
art15-status = Статус
art15-follow-up-on = Проверить снова
art15-follow-ups = Напоминания
art15-due-on = Срок
art15-done = Выполнено
art15-yes = Да
art15-no = Нет
art15-training-places = Места профобучения
art15-company = Предприятие
art15-occupation = Профессия
art15-start-on = Начало

community-form-retention = Срок хранения в месяцах
community-form-retention-hint = Контакты без активности дольше этого срока попадают в список на проверку и удаление. Пусто: срока нет.

more-retention = Сроки хранения
more-retention-desc = Контакты с истёкшим сроком хранения, на проверку
more-erasure = Удаление
more-erasure-desc = Удалить человека по его запросу (ст. 17), с квитанцией
privacy-coordinator-only = На запросы о данных и об удалении отвечают только координаторы; это устройство видит лишь часть сообществ.
retention-title = Сроки хранения
retention-intro = Контакты без консультаций, направлений, напоминаний и мест профобучения дольше срока хранения их сообщества. Срок задаётся на странице сообщества.
retention-none-set = Ни у одного сообщества нет срока хранения.
retention-community = { $community }: срок хранения в месяцах: { $months }
retention-count = { $count ->
    [one] { $count } контакт с истёкшим сроком
    [few] { $count } контакта с истёкшим сроком
    [many] { $count } контактов с истёкшим сроком
   *[other] { $count } контакта с истёкшим сроком
}
retention-last-activity = Последняя активность:
erasure-title = Удаление (ст. 17)
erasure-intro = Выберите человека, который попросил удалить его данные. Lotse покажет всё, где он упоминается.
erasure-contact = Человек
erasure-requested-on = Дата запроса
erasure-pick-first = Сначала выберите человека.
erasure-removes = Будет удалено
erasure-unlinks = Останется, потеряет только связь с человеком
erasure-days = Сколько времени у устройств на переход к новой версии
}
erasure-erase = Удалить этого человека
erasure-confirm-text = Всё перечисленное выше будет удалено вместе с историей с каждого устройства и с ретранслятора. Это нельзя отменить.
erasure-confirm = Удалить сейчас
erasure-cancel = Отмена
erasure-working = Удаление…
erasure-done = Удалено на этом устройстве. Каждое другое устройство перейдёт на новую версию сообщества при следующей синхронизации; квитанция ниже.
erasure-not-synced = Сначала это устройство должно синхронизироваться: подключитесь и подождите, пока не останется ничего неотправленного, затем попробуйте снова.
erasure-busy = Удаление в этом сообществе ещё не завершено. Попробуйте снова, когда все устройства перейдут.
erasure-failed = Удаление не началось: { $why }
erasure-receipts = Удаления, сделанные на этом устройстве
erasure-receipt-requested = запрос от { $date }
erasure-receipt-made = Удалено { $time }
erasure-device-moved = перешло
erasure-device-waiting = ещё не перешло
erasure-device-gone = удалено из сети, не ожидается
erasure-relay-deletes = Ретранслятор удалит старую версию, когда все устройства перейдут, но не позднее { $date }; устройство, не перешедшее к этому сроку, должно присоединиться заново.
erasure-relay-deleted = Все устройства перешли: ретранслятор удалил старую версию.
}
erasure-days-option = { $count ->
    [one] { $count } день
    [few] { $count } дня
    [many] { $count } дней
   *[other] { $count } дня
}
retention-erase-all = { $count ->
    [one] Удалить { $count } контакт с истёкшим сроком
    [few] Удалить все { $count } контакта с истёкшим сроком
    [many] Удалить все { $count } контактов с истёкшим сроком
   *[other] Удалить все { $count } контакта с истёкшим сроком
}
erasure-network = сеть
erasure-receipt-removed = Удалено: { $what }
erasure-receipt-unlinked = Сохранено, связь с человеком удалена: { $what }
erasure-device-dropped = отбросило написанное офлайн об этом человеке: { $what }
