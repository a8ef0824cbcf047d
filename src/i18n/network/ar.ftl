## network (ar): المزيد، الشركات، أماكن التدريب المهني، المؤسسات، الشبكة، خطة العمل

net-all = الكل
net-period-month = هذا الشهر
net-period-quarter = هذا الربع
net-period-year = هذا العام
net-filters = التصفية
net-filters-on = { PLURAL($count) ->
    [zero] التصفية
    [one] التصفية (عامل واحد مفعّل)
    [two] التصفية (عاملان مفعّلان)
    [few] التصفية ({ $count } عوامل مفعّلة)
    [many] التصفية ({ $count } عاملًا مفعّلًا)
   *[other] التصفية ({ $count } عامل مفعّل)
}
net-show-more = { PLURAL($count) ->
    [zero] لا يوجد المزيد
    [one] عرض عنصر آخر
    [two] عرض عنصرين آخرين
    [few] عرض { $count } عناصر أخرى
    [many] عرض { $count } عنصرًا آخر
   *[other] عرض { $count } عنصر آخر
}

more-title = المزيد
more-referrals = الإحالات
more-referrals-desc = من أُحيل إلى أي مؤسسة، وما الذي لا يزال مفتوحًا.
more-companies = الشركات
more-companies-desc = شبكة أصحاب الأعمال الذين يدرّبون، وأماكن التدريب المهني لديهم.
more-institutions = المؤسسات
more-institutions-desc = الإرشاد المهني، مركز العمل، الغرف، خدمات الاستشارة: الجهات التي نُحيل إليها.
more-network = الشبكة
more-network-desc = الجاليات والمرشدون ومنظمات المهاجرين.
more-action-plan = خطة العمل
more-action-plan-desc = إجراءات هذا العام ومدى تقدّمها.
more-device = هذا الجهاز
more-device-desc = اسمك واللغة والتخزين ودعوات المرشدين الجدد.

companies-title = الشركات
companies-intro = شركات يملكها أشخاص من أصول مهاجرة، تدرّب متدرّبين أو تريد ذلك.
companies-count = { PLURAL($count) ->
    [zero] لا توجد شركات
    [one] شركة واحدة
    [two] شركتان
    [few] { $count } شركات
    [many] { $count } شركة
   *[other] { $count } شركة
}
companies-search = البحث بالاسم أو المجال أو الشخص المسؤول
companies-search-placeholder = الاسم، المجال، المسؤول
companies-filter-chamber = الغرفة
companies-filter-licence = أهلية التدريب
companies-filter-community = الجالية
companies-filter-period = الانضمام إلى الشبكة
companies-empty = لا توجد شركات في الشبكة بعد. يمكنك إضافة أول شركة.
companies-none-found = لا توجد شركة تطابق البحث والتصفية.
companies-places = أماكن التدريب المهني:
companies-add = إضافة شركة

company-new = شركة جديدة
company-edit = تعديل الشركة
company-name = اسم الشركة
company-trade = المجال
company-chamber = الغرفة
company-licence = أهلية التدريب ({ "\u2066" }AEVO{ "\u2069" })
company-contact-person = الشخص المسؤول
company-phone = الهاتف
company-community = الجالية
company-no-community = بدون جالية
company-member-since = في الشبكة منذ
company-places = أماكن التدريب المهني
company-places-count = { PLURAL($count) ->
    [zero] لا توجد أماكن
    [one] مكان واحد
    [two] مكانان
    [few] { $count } أماكن
    [many] { $count } مكانًا
   *[other] { $count } مكان
}
company-places-empty = لم تُسجَّل أماكن تدريب مهني بعد.
company-place-start = البداية:
company-place-filled-by = المتدرّب/ة:
company-add-place = إضافة مكان تدريب مهني

training-place-new = مكان تدريب مهني جديد
training-place-edit = تعديل مكان التدريب المهني
training-place-company = الشركة
training-place-pick-company = اختيار شركة
training-place-occupation = المهنة ({ "\u2066" }Ausbildungsberuf{ "\u2069" })
training-place-start = بداية التدريب المهني
training-place-status = الحالة
training-place-acquired = تاريخ الحصول عليه
training-place-filled-by = المتدرّب/ة
training-place-youth-hint = يبقى الاسم في الجالية؛ ولا تعرف الشبكة إلا أن المكان قد شُغل.
training-place-other-community = شخص من جالية أخرى

institutions-title = المؤسسات
institutions-intro = الجهات التي يُحيل إليها المرشدون. كل الأجهزة ترى القائمة نفسها.
institutions-count = { PLURAL($count) ->
    [zero] لا توجد مؤسسات
    [one] مؤسسة واحدة
    [two] مؤسستان
    [few] { $count } مؤسسات
    [many] { $count } مؤسسة
   *[other] { $count } مؤسسة
}
institutions-empty = لا توجد مؤسسات بعد.
institutions-referrals = { PLURAL($count) ->
    [zero] لا توجد إحالات
    [one] إحالة واحدة
    [two] إحالتان
    [few] { $count } إحالات
    [many] { $count } إحالة
   *[other] { $count } إحالة
}
institutions-add = إضافة مؤسسة

institution-form-new = مؤسسة جديدة
institution-form-edit = تعديل المؤسسة
institution-form-name = الاسم
institution-form-kind = النوع
institution-form-address = العنوان
institution-form-phone = الهاتف

network-title = الشبكة
network-intro = من يعمل في الشبكة: الجاليات والمرشدون والمنسقون ومنظمات المهاجرين.
network-communities = الجاليات
network-communities-count = { PLURAL($count) ->
    [zero] لا توجد جاليات
    [one] جالية واحدة
    [two] جاليتان
    [few] { $count } جاليات
    [many] { $count } جالية
   *[other] { $count } جالية
}
network-mentors-count = { PLURAL($count) ->
    [zero] لا يوجد مرشدون
    [one] مرشد واحد
    [two] مرشدان
    [few] { $count } مرشدين
    [many] { $count } مرشدًا
   *[other] { $count } مرشد
}
network-contacts-count = { PLURAL($count) ->
    [zero] لا توجد جهات اتصال
    [one] جهة اتصال واحدة
    [two] جهتا اتصال
    [few] { $count } جهات اتصال
    [many] { $count } جهة اتصال
   *[other] { $count } جهة اتصال
}
network-add-community = إضافة جالية
network-mentors = المرشدون والمنسقون
network-inactive = غير نشط
network-add-mentor = إضافة شخص
network-partners = منظمات المهاجرين
network-partners-count = { PLURAL($count) ->
    [zero] لا توجد منظمات
    [one] منظمة واحدة
    [two] منظمتان
    [few] { $count } منظمات
    [many] { $count } منظمة
   *[other] { $count } منظمة
}
network-partners-empty = لا توجد منظمات مهاجرين بعد.
network-add-partner = إضافة منظمة

community-form-new = جالية جديدة
community-form-edit = تعديل الجالية
community-form-new-hint = تظهر الجالية الجديدة بعد ذلك في قائمة الشبكة. يتشارك المرشدون جهات اتصالها عبر رابط انضمام من جهاز يحمل هذه الجالية.
community-form-name = الاسم
community-form-name-hint = مثلًا: العائلات الناطقة بالعربية في أوسنابروك
community-form-languages = اللغات
community-form-languages-hint = مفصولة بفواصل، مثلًا: العربية، الكردية

profile-new = شخص جديد في الشبكة
profile-edit = تعديل الشخص
profile-new-hint = كل من يستخدم Lotse على جهازه الخاص يظهر هنا تلقائيًا. يمكنك هنا إضافة الأشخاص الذين ليس لديهم جهاز خاص.
profile-name = الاسم
profile-role = الدور
profile-community = الجالية
profile-no-community = بدون جالية
profile-languages = اللغات
profile-languages-hint = مفصولة بفواصل، مثلًا: التركية، الألمانية
profile-active = نشط في الشبكة

partner-new = منظمة مهاجرين جديدة
partner-edit = تعديل منظمة المهاجرين
partner-name = اسم المنظمة
partner-community = الجالية
partner-no-community = بدون جالية
partner-contact-person = الشخص المسؤول
partner-phone = الهاتف

plan-title = خطة العمل
plan-intro = إجراءات العام مع أرقامها المستهدفة؛ يُحسب التقدّم من السجلات.
plan-year = السنة
plan-measures-count = { PLURAL($count) ->
    [zero] لا توجد إجراءات
    [one] إجراء واحد
    [two] إجراءان
    [few] { $count } إجراءات
    [many] { $count } إجراءً
   *[other] { $count } إجراء
}
plan-field-empty = لا توجد إجراءات لهذا العام بعد.
plan-progress = التقدّم:
plan-of = من
plan-met = تحقّق الهدف
plan-add = إضافة إجراء

measure-new = إجراء جديد
measure-edit = تعديل الإجراء
measure-field = مجال العمل
measure-title = العنوان
measure-owner = المسؤول
measure-target = الرقم المستهدف
measure-year = السنة
measure-metric = ما يُحسب
measure-event-kind = نوع الفعالية
measure-any-kind = كل الأنواع
measure-counts-hint = يحسب Lotse التقدّم من سجلات هذا العام في كل الجاليات الموجودة على هذا الجهاز.
