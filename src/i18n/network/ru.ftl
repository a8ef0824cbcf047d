## network (ru): ещё, предприятия, места Ausbildung, учреждения, сеть, план действий

net-all = Все
net-period-month = этого месяца
net-period-quarter = этого квартала
net-period-year = этого года
net-filters = Фильтры
net-filters-on = { $count ->
    [one] Фильтры ({ $count } включён)
    [few] Фильтры ({ $count } включено)
    [many] Фильтры ({ $count } включено)
   *[other] Фильтры ({ $count } включено)
}
net-show-more = { $count ->
    [one] Показать ещё { $count }
    [few] Показать ещё { $count }
    [many] Показать ещё { $count }
   *[other] Показать ещё { $count }
}

more-title = Ещё
more-referrals = Направления
more-referrals-desc = Кого в какое учреждение направили и что ещё не закрыто.
more-companies = Предприятия
more-companies-desc = Сеть обучающих предпринимателей и их места для Ausbildung.
more-institutions = Учреждения
more-institutions-desc = Профориентация, Jobcenter, палаты, консультационные службы: куда направляют людей.
more-network = Сеть
more-network-desc = Сообщества, наставники и организации мигрантов.
more-action-plan = План действий
more-action-plan-desc = Меры этого года и насколько они выполнены.
more-device = Это устройство
more-device-desc = Ваше имя, язык, хранилище и приглашения для новых наставников.

companies-title = Предприятия
companies-intro = Предприятия владельцев с миграционной историей, которые обучают учеников или хотят обучать.
companies-count = { $count ->
    [one] { $count } предприятие
    [few] { $count } предприятия
    [many] { $count } предприятий
   *[other] { $count } предприятия
}
companies-search = Поиск по названию, отрасли или контактному лицу
companies-search-placeholder = Название, отрасль, контакт
companies-filter-chamber = Палата
companies-filter-licence = Право обучать
companies-filter-community = Сообщество
companies-filter-period = В сети с
companies-empty = В сети пока нет предприятий. Добавьте первое.
companies-none-found = Ни одно предприятие не подходит под поиск и фильтры.
companies-places = Места Ausbildung:
companies-add = Добавить предприятие

company-new = Новое предприятие
company-edit = Изменить предприятие
company-name = Название предприятия
company-trade = Отрасль
company-chamber = Палата
company-licence = Право обучать (AEVO)
company-contact-person = Контактное лицо
company-phone = Телефон
company-community = Сообщество
company-no-community = Без сообщества
company-member-since = В сети с
company-places = Места Ausbildung
company-places-count = { $count ->
    [one] { $count } место
    [few] { $count } места
    [many] { $count } мест
   *[other] { $count } места
}
company-places-empty = Мест Ausbildung пока нет.
company-place-start = Начало:
company-place-filled-by = Занято:
company-add-place = Добавить место Ausbildung

training-place-new = Новое место Ausbildung
training-place-edit = Изменить место Ausbildung
training-place-company = Предприятие
training-place-pick-company = Выберите предприятие
training-place-occupation = Профессия (Ausbildungsberuf)
training-place-start = Начало обучения
training-place-status = Статус
training-place-acquired = Получено
training-place-filled-by = Кем занято
training-place-youth-hint = Имя остаётся в сообществе; сеть узнаёт только, что место занято.
training-place-other-community = человек из другого сообщества

institutions-title = Учреждения
institutions-intro = Учреждения, куда наставники направляют людей. Все устройства видят один и тот же список.
institutions-count = { $count ->
    [one] { $count } учреждение
    [few] { $count } учреждения
    [many] { $count } учреждений
   *[other] { $count } учреждения
}
institutions-empty = Учреждений пока нет.
institutions-referrals = { $count ->
    [one] { $count } направление
    [few] { $count } направления
    [many] { $count } направлений
   *[other] { $count } направления
}
institutions-add = Добавить учреждение

institution-form-new = Новое учреждение
institution-form-edit = Изменить учреждение
institution-form-name = Название
institution-form-kind = Вид
institution-form-address = Адрес
institution-form-phone = Телефон

network-title = Сеть
network-intro = Кто работает в сети: сообщества, наставники, координаторы и организации мигрантов.
network-communities = Сообщества
network-communities-count = { $count ->
    [one] { $count } сообщество
    [few] { $count } сообщества
    [many] { $count } сообществ
   *[other] { $count } сообщества
}
network-mentors-count = { $count ->
    [one] { $count } наставник
    [few] { $count } наставника
    [many] { $count } наставников
   *[other] { $count } наставника
}
network-contacts-count = { $count ->
    [one] { $count } контакт
    [few] { $count } контакта
    [many] { $count } контактов
   *[other] { $count } контакта
}
network-add-community = Добавить сообщество
network-mentors = Наставники и координаторы
network-inactive = неактивен
network-add-mentor = Добавить человека
network-partners = Организации мигрантов
network-partners-count = { $count ->
    [one] { $count } организация
    [few] { $count } организации
    [many] { $count } организаций
   *[other] { $count } организации
}
network-partners-empty = Организаций мигрантов пока нет.
network-add-partner = Добавить организацию

community-form-new = Новое сообщество
community-form-edit = Изменить сообщество
community-form-new-hint = Новое сообщество появится в списке сети. Наставники делятся его контактами по ссылке для подключения с устройства, на котором ведётся это сообщество.
community-form-name = Название
community-form-name-hint = Например: арабоязычные семьи Оснабрюка
community-form-languages = Языки
community-form-languages-hint = Через запятую, например: арабский, курдский

profile-new = Новый человек в сети
profile-edit = Изменить данные человека
profile-new-hint = Все, кто пользуется Lotse на своём устройстве, появляются здесь сами. Здесь добавляйте людей без своего устройства.
profile-name = Имя
profile-role = Роль
profile-community = Сообщество
profile-no-community = Без сообщества
profile-languages = Языки
profile-languages-hint = Через запятую, например: турецкий, немецкий
profile-active = Активен в сети

partner-new = Новая организация мигрантов
partner-edit = Изменить организацию мигрантов
partner-name = Название организации
partner-community = Сообщество
partner-no-community = Без сообщества
partner-contact-person = Контактное лицо
partner-phone = Телефон

plan-title = План действий
plan-intro = Меры года с целевыми показателями; выполнение считается по записям.
plan-year = Год
plan-measures-count = { $count ->
    [one] { $count } мера
    [few] { $count } меры
    [many] { $count } мер
   *[other] { $count } меры
}
plan-field-empty = На этот год мер пока нет.
plan-progress = Выполнено:
plan-of = из
plan-met = Цель достигнута
plan-add = Добавить меру

measure-new = Новая мера
measure-edit = Изменить меру
measure-field = Направление плана
measure-title = Название
measure-owner = Ответственный
measure-target = Целевой показатель
measure-year = Год
measure-metric = Что считается
measure-event-kind = Вид мероприятия
measure-any-kind = Все виды
measure-counts-hint = Lotse считает выполнение по записям этого года во всех сообществах на этом устройстве.
