## import (ar): استيراد جهات الاتصال والشركات من ملف CSV

import-action = استيراد من ملف CSV
import-title-contacts = استيراد جهات الاتصال من ملف CSV
import-title-companies = استيراد الشركات من ملف CSV
import-coordinators-only = استيراد القوائم من الملفات متاح للمنسّقين فقط.
import-intro = ملف CSV من برنامج جداول بيانات، تفصل بين حقوله فواصل أو فواصل منقوطة. يسمّي الصف الأول الأعمدة. ترى أولًا ما سيُستورد، ولا يُحفظ شيء قبل أن تؤكّد.
import-columns = الأعمدة: { $columns }
import-column-required = { $column } (إلزامي)
import-consent-note = كل شخص يحتاج إلى موافقة: تاريخ في عمود «تاريخ الموافقة»، وفي عمود «نطاق الموافقة» إما «الاستشارة فقط» أو «الاستشارة والإحالة إلى المؤسسات المختصة». الصفوف التي لا موافقة فيها لا تُستورد. ستُسجَّل أنت بوصفك من سجّل الموافقة.
import-template = تنزيل نموذج (CSV)
import-community = الجالية للصفوف التي لا تذكر جالية
import-file = اختيار ملف CSV
import-summary = الصفوف المقروءة: { $rows } – للاستيراد: { $good }، فيها أخطاء: { $bad }.
import-read-as-windows-1252 = الملف ليس بترميز UTF-8؛ قُرئ بترميز Windows-1252 (هكذا يحفظ Excel ملفات «CSV»). تحقّق من الحروف الخاصة أدناه.
import-ignored = لا يعرف Lotse هذه الأعمدة، ولن تُستورد: { $columns }
import-errors-title = صفوف فيها أخطاء – لن تُستورد
import-good-title = ستُستورد هذه الصفوف
import-row = الصف { $row }
import-field-error = { $column }: { $message }
import-more = { PLURAL($count) ->
    [zero] ولا شيء آخر
    [one] وواحد آخر
    [two] واثنان آخران
    [few] و{ $count } أخرى
    [many] و{ $count } أخرى
   *[other] و{ $count } أخرى
}
import-save-contacts = { PLURAL($count) ->
    [zero] لا جهات اتصال للاستيراد
    [one] استيراد جهة اتصال واحدة
    [two] استيراد جهتَي اتصال
    [few] استيراد { $count } جهات اتصال
    [many] استيراد { $count } جهة اتصال
   *[other] استيراد { $count } جهة اتصال
}
import-save-companies = { PLURAL($count) ->
    [zero] لا شركات للاستيراد
    [one] استيراد شركة واحدة
    [two] استيراد شركتين
    [few] استيراد { $count } شركات
    [many] استيراد { $count } شركة
   *[other] استيراد { $count } شركة
}
import-saving = جارٍ الحفظ على هذا الجهاز …
import-saved = { PLURAL($count) ->
    [zero] لم يُحفظ أي إدخال.
    [one] حُفظ إدخال واحد.
    [two] حُفظ إدخالان.
    [few] حُفظت { $count } إدخالات.
    [many] حُفظ { $count } إدخالًا.
   *[other] حُفظ { $count } إدخال.
}
import-saved-before-failure = { PLURAL($count) ->
    [zero] لم يُحفظ شيء.
    [one] حُفظ إدخال واحد، ولم يُحفظ الباقي.
    [two] حُفظ إدخالان، ولم يُحفظ الباقي.
    [few] حُفظت { $count } إدخالات، ولم يُحفظ الباقي.
    [many] حُفظ { $count } إدخالًا، ولم يُحفظ الباقي.
   *[other] حُفظ { $count } إدخال، ولم يُحفظ الباقي.
}
import-saved-nothing = لم يُحفظ شيء.
import-open-contacts = إلى جهات الاتصال
import-open-companies = إلى الشركات
import-error-required = فارغ: يُرجى تعبئته.
import-error-consent-missing = لا توجد موافقة: لا يُستورد أحد دون تاريخ موافقته.
import-error-bad-date = «{ $value }» ليس تاريخًا: اكتبه بالشكل 05.03.2026 أو 2026-03-05.
import-error-bad-phone = «{ $value }» ليس رقم هاتف: من 6 إلى 15 رقمًا، ولا يُسمح بجانبها إلا بـ + والمسافات و- و/ والأقواس ().
import-error-too-long = طويل جدًا: 200 حرف على الأكثر، و5000 للملاحظات.
import-error-unknown-choice = «{ $value }» ليس من الخيارات. اكتب واحدًا منها: { $choices }.
import-error-other = «{ $value }» لا يصلح هنا.
import-error-too-many-fields = في الصف { $found } حقول، وفي صف العناوين { $expected } فقط: فاصل زائد أو علامة اقتباس ناقصة.
import-error-empty = الملف فارغ.
import-error-unclosed-quote = ابتداءً من الصف { $row } لا ينتهي حقل بين علامتي اقتباس: علامة " الختامية ناقصة.
import-error-no-rows = في الملف صف عناوين، لكن لا صفوف تحته.
import-error-missing-columns = تنقص الملف أعمدة: { $columns }. أضفها إلى الصف الأول (النموذج يحتويها كلها).
import-error-twice-named = العمودان { $first } و{ $second } يعنيان كلاهما «{ $column }»: أبقِ واحدًا منهما.
import-error-read = تعذّرت قراءة الملف. يُرجى اختياره مرة أخرى.

import-col-name = الاسم
import-col-target-group = الفئة المستهدفة
import-col-phone = الهاتف
import-col-languages = اللغات
import-col-district = الحي
import-col-community = الجالية
import-col-consent-date = تاريخ الموافقة
import-col-consent-scope = نطاق الموافقة
import-col-trade = المجال
import-col-chamber = الغرفة
import-col-licence = أهلية التدريب
import-col-contact-person = الشخص المسؤول
import-col-member-since = في الشبكة منذ
import-col-notes = ملاحظات
