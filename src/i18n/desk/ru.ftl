## desk (ru): what needs a second look

more-conflicts = Два значения
more-conflicts-desc = Поля, изменённые по-разному на двух устройствах: оставьте одно значение.
conflicts-title = Два значения одного поля
conflicts-intro = Эти поля были изменены по-разному на двух устройствах до обмена данными. Lotse сохранил оба значения. Выберите верное.
conflicts-none = Нет полей с двумя значениями.
conflicts-open = Открыть
conflicts-count = { $count ->
    [one] { $count } поле имеет два значения.
    [few] { $count } поля имеют два значения.
    [many] { $count } полей имеют два значения.
   *[other] { $count } поля имеют два значения.
}
conflict-keep = Оставить это
conflict-shown = показано сейчас
conflict-empty = (пусто)
conflict-not-plain = (список – измените в форме)
conflict-yes = да
conflict-no = нет
conflict-keep-failed = Не удалось сохранить значение. Список обновлён, выберите ещё раз.

kind-contacts = Контакт
kind-households = Семья
kind-consultations = Первая консультация
kind-referrals = Направление
kind-follow-ups = Напоминание
kind-events = Мероприятие
kind-companies = Предприятие
kind-training-places = Место обучения
kind-institutions = Учреждение
kind-partners = Организация мигрантов
kind-communities = Сообщество
kind-mentors = Наставник
kind-measures = Мера

history-field-given-on = Дата согласия
history-field-scope = Объём согласия

# Between two parts of one line ("Name, date").
list-comma = { ", " }

more-duplicates = Повторяющиеся контакты
more-duplicates-desc = Контакты, которые, вероятно, один и тот же человек: один номер телефона или одно имя в другом написании.
duplicates-title = Вероятно, один человек
duplicates-intro = У этих контактов один номер телефона или имя, которое звучит одинаково, в любом алфавите. Откройте оба, чтобы проверить, затем оставьте один (консультации, направления, напоминания и места обучения другого перейдут к нему) или отметьте, что это два разных человека.
duplicates-none = Повторяющихся контактов не найдено.
duplicates-why-phone = один номер телефона
duplicates-why-name = одно имя
duplicates-records = { $count ->
    [one] { $count } консультация или направление
    [few] { $count } консультации и направления
    [many] { $count } консультаций и направлений
   *[other] { $count } консультации и направления
}
duplicates-keep = Оставить этот
duplicates-confirm = { $gone } будет объединён с { $keep }: всё, что записано для { $gone }, перейдёт к { $keep }, сохранится более широкое согласие, а { $gone } больше не будет в списке.
duplicates-merge = Объединить
duplicates-not-same = Это разные люди
duplicates-merged = Объединено с { $name }.
duplicates-open = Открыть
duplicates-kept-apart = Отмечено: это два разных человека. Эта пара больше не будет предлагаться.
duplicates-failed = Не удалось сохранить. Ничего не потеряно; попробуйте ещё раз.
duplicates-other-communities = Эти двое в разных сообществах; объединить пару можно только внутри одного сообщества.
contact-merged-into = Этот контакт объединён с другой записью того же человека.
contact-open-kept = Открыть ту запись
more-review = Что изменилось
more-review-desc = Изменения наставников, ещё не просмотренные, со старым и новым значением.
review-title = Что изменилось
review-intro = Ещё не просмотренные изменения, сначала новые, в том порядке, в каком они сделаны. Время указано по часам каждого устройства.
review-place = Сообщество
review-network = Сеть (мероприятия, предприятия, наставники …)
review-kind = Вид записи
review-mentor = Наставник
review-with-reviewed = Показывать и просмотренные изменения
review-unreviewed = { $count ->
    [one] { $count } изменение ещё не просмотрено
    [few] { $count } изменения ещё не просмотрены
    [many] { $count } изменений ещё не просмотрено
   *[other] { $count } изменения ещё не просмотрены
}
review-failed = Не удалось сохранить отметку. Ничего не потеряно; попробуйте ещё раз.
review-none = Здесь нечего просматривать.
review-mark-all = { $count ->
    [one] Отметить { $count } изменение как просмотренное
    [few] Отметить эти { $count } изменения как просмотренные
    [many] Отметить эти { $count } изменений как просмотренные
   *[other] Отметить эти { $count } изменения как просмотренные
}
review-more = Показать ещё
review-changed = изменено
review-record-gone = запись, которой больше нет
review-device-time = { $time } (время устройства)
review-clock-behind = Часы этого устройства, похоже, отстают: изменение сделано после тех, что указаны ниже.
review-reviewed = Просмотрено:
review-mark = Отметить как просмотренное
change-became = изменено на
history-field-merged-into = объединён с
history-field-not-the-same = не тот же человек, что
