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
more-erasure-desc = Что удалит удаление: для запроса по ст. 17
privacy-coordinator-only = На запросы о данных и об удалении отвечают только координаторы; это устройство видит лишь часть сообществ.
privacy-erasure-later = Само удаление появится в одной из следующих версий Lotse.
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
