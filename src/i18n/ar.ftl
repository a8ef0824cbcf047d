### Lotse، العربية. مصطلحات موحّدة في كل النصوص:
### Ausbildung: التدريب المهني (Ausbildung)، التدريب المزدوج في الشركة والمدرسة المهنية؛ وليس «التعليم» فقط.
### تحتفظ المؤسسات الألمانية بأسمائها الألمانية مع شرح عند الحاجة:
### Handwerkskammer (غرفة الحرف)، IHK (غرفة الصناعة والتجارة)،
### Agentur für Arbeit (الوكالة الاتحادية للعمل)، Jobcenter (مركز العمل والإعانات)،
### Jugendmigrationsdienst (خدمة الهجرة للشباب).
### Relay: خادم المزامنة، وفي النصوص «الخادم». Lotse: اسم لا يُترجم.
### المخاطَب: بصيغة محايدة: الأزرار بالمصدر («حفظ»، «إلغاء»)، والتعليمات بـ «يُرجى» + المصدر («يُرجى المحاولة مرة أخرى») بدل فعل الأمر المذكر.
### أسماء الأشخاص المفردة بالشرطة المائلة: المرشد/ة، المنسق/ة، المتدرّب/ة؛ والجمع بصيغة الجمع العامة (المرشدون، المنسقون).
### Community: «الجالية» دائمًا (لا «المجتمع»). المزامنة: «المشاركة»، «تبادل البيانات».
### الأرقام: أرقام لاتينية (0-9) كما في أرقام الهواتف.
### الرموز اللاتينية داخل الجملة تُعزل باتجاه من اليسار إلى اليمين: { "\u2066" } … { "\u2069" }.
### صيغ الجمع: اختر دائمًا بـ PLURAL($count) وليس بـ $count مباشرة
### (قواعد Fluent المدمجة تخطئ في 103 و111 وما شابهها؛ PLURAL تستخدم قواعد CLDR في المتصفح).

app-name = Lotse
app-tagline = دفتر مرشدي أولياء الأمور

nav-contacts = جهات الاتصال
nav-device = هذا الجهاز

sync-offline = غير متصل
sync-connecting = جارٍ الاتصال…
sync-syncing = جارٍ المشاركة…
sync-synced = تمت مشاركة الكل في { $time }
sync-pending = محفوظ على الهاتف، لم تتم مشاركته بعد

setup-title = إعداد هذا الجهاز
setup-intro = تبقى إدخالاتك على هذا الهاتف، وتُشارَك مشفّرةً مع مرشدي جاليتك.
setup-mentor-name = اسمك
setup-community-name = جاليتك
setup-community-hint = مثلًا: العائلات الناطقة بالعربية في أوسنابروك
setup-save = البدء
setup-join-hint = هل وصلتك دعوة من المنسق/ة؟ يُرجى فتح رابط الدعوة الذي وصلك.

join-title = الانضمام إلى جاليتك
join-intro = سيتشارك هذا الجهاز جهات اتصال الجالية «{ $community }».
join-intro-coordinator = أنت مدعو/ة بصفة منسق/ة للشبكة: يبدأ هذا الجهاز بالجالية «{ $community }» ويتلقى مفاتيح كل الجاليات بعد أن يتصل منسق/ة بالإنترنت.
join-save = انضمام
join-error = رابط الانضمام هذا تالف أو ناقص. يُرجى طلب دعوة جديدة من المنسق/ة.

contacts-title = جهات الاتصال
contacts-search = البحث بالاسم أو الهاتف أو الحي أو اللغة
contacts-add = إضافة جهة اتصال
contacts-empty = لا توجد جهات اتصال بعد. يمكنك إضافة أول جهة اتصال بعد أي محادثة.
contacts-none-found = لا توجد جهة اتصال تطابق «{ $query }».
contacts-count = { PLURAL($count) ->
    [zero] لا توجد جهات اتصال
    [one] جهة اتصال واحدة
    [two] جهتا اتصال
    [few] { $count } جهات اتصال
    [many] { $count } جهة اتصال
   *[other] { $count } جهة اتصال
}

group-parent = أولياء الأمور
group-youth = الشباب
group-self-employed = أصحاب الأعمال

contact-new = جهة اتصال جديدة
contact-edit = تعديل جهة الاتصال
contact-consent-section = الموافقة
contact-consent-given = وافق الشخص على أن أحفظ بياناته
contact-consent-date = تاريخ الموافقة
contact-consent-scope = نطاق الموافقة
scope-advice = الاستشارة فقط
scope-advice-referral = الاستشارة والإحالة إلى المؤسسات المختصة
contact-details-section = البيانات
contact-target-group = الفئة المستهدفة
contact-name = الاسم
contact-phone = الهاتف
contact-languages = اللغات
contact-languages-hint = مفصولة بفواصل، مثلًا: التركية، الألمانية
contact-district = الحي
contact-household = معرّف الأسرة (اختياري)
contact-notes = ملاحظات
contact-notes-warning = يُرجى عدم تسجيل أي معلومات عن الصحة أو الدين أو وضع الإقامة.
contact-save = حفظ
contact-cancel = إلغاء
contact-saved = تم الحفظ على هذا الجهاز.
save-failed-full = لم يُحفظ: ذاكرة هذا الهاتف ممتلئة. ما أدخلته لا يزال في النموذج؛ يُرجى إفراغ بعض المساحة والمحاولة مرة أخرى.
save-failed-refused = لم يُحفظ: هذا المتصفح لا يسمح لـ Lotse بحفظ البيانات هنا (نافذة خاصة؟). ما أدخلته لا يزال في النموذج؛ يُرجى المحاولة مرة أخرى.
save-failed = تعذّر الحفظ على هذا الجهاز. ما أدخلته لا يزال في النموذج؛ يُرجى المحاولة مرة أخرى.

error-required = يُرجى ملء هذا الحقل.
error-bad-phone = يتكوّن رقم الهاتف من 6 إلى 15 رقمًا، ولا يُسمح بجانبها إلا بالمسافات وعلامة الزائد + والشرطة - والشرطة المائلة / والأقواس ().
error-bad-date = يُرجى إدخال تاريخ صحيح.
error-bad-time = يُرجى إدخال وقت مثل 18:30.
error-consent-missing = يُرجى تسجيل موافقة الشخص أولًا: لا يجوز حفظ أي اسم أو رقم بدونها.
error-not-an-id = هذا ليس معرّف أسرة.
error-too-long = النص طويل جدًا.
error-unknown-choice = يُرجى اختيار أحد الخيارات.
form-has-errors = يُرجى تصحيح الحقول المشار إليها أدناه.

device-title = هذا الجهاز
device-mentor = المرشد/ة
device-community = الجالية
device-language = اللغة
device-storage = التخزين
storage-persisted = دائم: لن يحذف المتصفح بيانات Lotse من تلقاء نفسه.
storage-not-persisted = غير مضمون: قد يحذف المتصفح البيانات عند نفاد المساحة. يُرجى تثبيت Lotse على الشاشة الرئيسية.
storage-unknown = جارٍ التحقق…
device-copy = نسخ الرابط
device-copied = تم النسخ.
device-problems = مشكلات المشاركة

update-available = يتوفر إصدار جديد من Lotse.
update-reload = إعادة التحميل

problem-undecryptable = تعذّر فك تشفير إدخال وصل من الخادم، فتم تخطيه.
problem-not-automerge = وصل إدخال تالف من الخادم، فتم تخطيه.
problem-unsigned = وصل من الخادم إدخال لم يكتبه عضو في الشبكة (أو كُتب بعد إزالة جهازه)، فتم تخطيه.
problem-relay = رفض الخادم رسالة: { $message }

store-full = ذاكرة هذا الهاتف ممتلئة. يُرجى إفراغ بعض المساحة، ثم إعادة تحميل Lotse.
store-refused = لا يسمح المتصفح لـ Lotse بحفظ البيانات هنا (نافذة خاصة؟). يُرجى فتح Lotse في نافذة عادية أو تثبيته على الشاشة الرئيسية.
store-failed = تعذّر على Lotse فتح مساحة التخزين على هذا الجهاز. يُرجى إعادة تحميل الصفحة، وإن لم ينفع ذلك فإعادة تشغيل المتصفح.
engine-restarting = يعيد Lotse تشغيل خدمة التخزين. كل ما حُفظ يبقى محفوظًا.
part-missing = هذا الجزء من Lotse غير موجود على الجهاز بعد ولم يمكن تحميله. حاول مرة أخرى عند توفر الاتصال. كل ما حُفظ يبقى محفوظًا.
part-retry = حاول مرة أخرى
engine-outdated = يتوفر إصدار جديد من Lotse. يُرجى إعادة تحميل الصفحة.
setup-save-failed = تعذّر حفظ الإعدادات على هذا الجهاز. يُرجى إفراغ بعض المساحة أو الخروج من وضع التصفح الخاص، ثم المحاولة مرة أخرى.

# A date written out in full (Today, events), as the browser writes it
# (Intl, dateStyle "full"), whose formatter costs a phone a tenth of a
# start to make. Weekdays from Monday; months in the form a date uses.
date-full = { $weekday }، { $day } { $month } { $year }
date-weekday-1 = الاثنين
date-weekday-2 = الثلاثاء
date-weekday-3 = الأربعاء
date-weekday-4 = الخميس
date-weekday-5 = الجمعة
date-weekday-6 = السبت
date-weekday-7 = الأحد
date-month-1 = يناير
date-month-2 = فبراير
date-month-3 = مارس
date-month-4 = أبريل
date-month-5 = مايو
date-month-6 = يونيو
date-month-7 = يوليو
date-month-8 = أغسطس
date-month-9 = سبتمبر
date-month-10 = أكتوبر
date-month-11 = نوفمبر
date-month-12 = ديسمبر
