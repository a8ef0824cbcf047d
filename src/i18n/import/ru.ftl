## import (ru): контакты и предприятия из файла CSV

import-action = Загрузить из файла CSV
import-title-contacts = Загрузить контакты из файла CSV
import-title-companies = Загрузить предприятия из файла CSV
import-coordinators-only = Загружать списки из файлов могут только координаторы.
import-intro = Файл CSV из электронной таблицы, с запятыми или точками с запятой между полями. Первая строка называет столбцы. Сначала вы видите, что будет загружено; ничего не сохраняется, пока вы не подтвердите.
import-columns = Столбцы: { $columns }
import-column-required = { $column } (обязательно)
import-consent-note = Для каждого человека нужно согласие: дата в столбце «Дата согласия» и в столбце «Объём согласия» — «Только консультация» или «Консультация и направление в профильные учреждения». Строки без согласия не загружаются. Записавшим согласие будете указаны вы.
import-template = Скачать шаблон (CSV)
import-community = Сообщество для строк без сообщества
import-file = Выбрать файл CSV
import-summary = Прочитано строк: { $rows } – к загрузке: { $good }, с ошибками: { $bad }.
import-read-as-windows-1252 = Файл не в UTF-8; он прочитан как Windows-1252 (так Excel сохраняет «CSV»). Проверьте особые буквы ниже.
import-ignored = Эти столбцы Lotse не знает, они не загружаются: { $columns }
import-errors-title = Строки с ошибками – они не загружаются
import-good-title = Эти строки будут загружены
import-row = Строка { $row }
import-field-error = { $column }: { $message }
import-more = { $count ->
    [one] и ещё { $count }
    [few] и ещё { $count }
    [many] и ещё { $count }
   *[other] и ещё { $count }
}
import-save-contacts = { $count ->
    [one] Загрузить { $count } контакт
    [few] Загрузить { $count } контакта
    [many] Загрузить { $count } контактов
   *[other] Загрузить { $count } контакта
}
import-save-companies = { $count ->
    [one] Загрузить { $count } предприятие
    [few] Загрузить { $count } предприятия
    [many] Загрузить { $count } предприятий
   *[other] Загрузить { $count } предприятия
}
import-saving = Сохраняется на этом устройстве …
import-saved = { $count ->
    [one] Сохранена { $count } запись.
    [few] Сохранены { $count } записи.
    [many] Сохранено { $count } записей.
   *[other] Сохранено { $count } записи.
}
import-saved-before-failure = { $count ->
    [one] Сохранена { $count } запись, остальные нет.
    [few] Сохранены { $count } записи, остальные нет.
    [many] Сохранено { $count } записей, остальные нет.
   *[other] Сохранено { $count } записи, остальные нет.
}
import-saved-nothing = Ничего не сохранено.
import-open-contacts = К контактам
import-open-companies = К предприятиям
import-error-required = Пусто: заполните, пожалуйста.
import-error-consent-missing = Нет согласия: без даты согласия никто не загружается.
import-error-bad-date = «{ $value }» — не дата: пишите 05.03.2026 или 2026-03-05.
import-error-bad-phone = «{ $value }» — не номер телефона: от 6 до 15 цифр; кроме цифр только +, пробелы, - / ( ).
import-error-too-long = Слишком длинно: не больше 200 знаков, в заметках 5000.
import-error-unknown-choice = «{ $value }» нет среди вариантов. Напишите один из: { $choices }.
import-error-other = «{ $value }» здесь не подходит.
import-error-too-many-fields = В строке полей: { $found }, а в заголовке только { $expected }: лишний разделитель или не хватает кавычки.
import-error-empty = Файл пуст.
import-error-unclosed-quote = Начиная со строки { $row }, поле в кавычках не закрывается: не хватает закрывающей ".
import-error-no-rows = В файле есть строка заголовков, но под ней нет строк.
import-error-missing-columns = В файле не хватает столбцов: { $columns }. Добавьте их в первую строку (в шаблоне есть все).
import-error-twice-named = Столбцы { $first } и { $second } оба означают «{ $column }»: оставьте один.
import-error-read = Не удалось прочитать файл. Выберите его ещё раз.

import-col-name = Имя
import-col-target-group = Целевая группа
import-col-phone = Телефон
import-col-languages = Языки
import-col-district = Район
import-col-community = Сообщество
import-col-consent-date = Дата согласия
import-col-consent-scope = Объём согласия
import-col-trade = Отрасль
import-col-chamber = Палата
import-col-licence = Право обучать
import-col-contact-person = Контактное лицо
import-col-member-since = В сети с
import-col-notes = Заметки
