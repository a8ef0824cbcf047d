## advice (ar): الاستشارات الأولى، الإحالات، التذكيرات، الأسر، اختيار جهة الاتصال

advice-tabs = الاستشارة
advice-filters = عوامل التصفية
advice-filters-on = { PLURAL($count) ->
    [zero] عوامل التصفية (لا شيء مفعّل)
    [one] عوامل التصفية (واحد مفعّل)
    [two] عوامل التصفية (اثنان مفعّلان)
    [few] عوامل التصفية ({ $count } مفعّلة)
    [many] عوامل التصفية ({ $count } مفعّلًا)
   *[other] عوامل التصفية ({ $count } مفعّل)
}
advice-filters-clear = مسح عوامل التصفية
advice-any = الكل
advice-filter-community = الجالية
advice-filter-group = الفئة المستهدفة
advice-filter-outcome = النتيجة
advice-filter-institution = المؤسسة
advice-filter-period = الفترة
advice-period-all = كل الأوقات
advice-period-month = هذا الشهر
advice-period-quarter = هذا الربع
advice-period-year = هذا العام
advice-show-more = { PLURAL($count) ->
    [zero] لا مزيد
    [one] عرض واحد آخر
    [two] عرض اثنين آخرين
    [few] عرض { $count } أخرى
    [many] عرض { $count } أخرى
   *[other] عرض { $count } أخرى
}
advice-none-match = لا شيء يطابق عوامل التصفية هذه.
advice-unknown-person = (الشخص غير موجود على هذا الجهاز)

consultations-title = الاستشارات الأولى
consultations-search = البحث في الملاحظات أو بالاسم
consultations-add = استشارة جديدة
consultations-empty = لا توجد استشارات بعد. يُستحسن تسجيل أول استشارة بعد المحادثة مباشرة.
consultations-count = { PLURAL($count) ->
    [zero] لا توجد استشارات
    [one] استشارة واحدة
    [two] استشارتان
    [few] { $count } استشارات
    [many] { $count } استشارة
   *[other] { $count } استشارة
}

consultation-new = استشارة أولى جديدة
consultation-edit = استشارة أولى
consultation-contact = مع من؟
consultation-household = الأسرة (اختياري)
consultation-household-none = بدون أسرة
consultation-topics = المواضيع
consultation-outcome = النتيجة
consultation-date = التاريخ
consultation-refer = إحالة
consultation-referrals = الإحالات من هذه الاستشارة

referrals-title = الإحالات
referrals-search = البحث بالسبب أو الاسم أو المؤسسة
referrals-add = إحالة جديدة
referrals-empty = لا توجد إحالات بعد.
referrals-count = { PLURAL($count) ->
    [zero] لا توجد إحالات
    [one] إحالة واحدة
    [two] إحالتان
    [few] { $count } إحالات
    [many] { $count } إحالة
   *[other] { $count } إحالة
}

referral-new = إحالة جديدة
referral-edit = إحالة
referral-contact = من تتم إحالته؟
referral-institution = المؤسسة
referral-institution-choose = اختيار مؤسسة
referral-reason = السبب
referral-field-status = الحالة
referral-date = تاريخ الإحالة
referral-follow-up = المتابعة في
referral-follow-up-short = المتابعة:
referral-overdue = متأخرة
referral-due-today = مستحقة اليوم
referral-from-consultation = إلى الاستشارة الأولى
referral-consent-advice-only = موافقة هذا الشخص تشمل الاستشارة فقط. يُرجى سؤاله قبل نقل بياناته إلى المؤسسة، وتسجيل الموافقة الموسّعة في صفحة جهة الاتصال.

follow-up-new = تذكير جديد
follow-up-edit = تذكير
follow-up-due = موعد الاستحقاق
follow-up-note = ما الذي يجب فعله؟
follow-up-contact = بخصوص من؟ (اختياري)
follow-up-done = تم

household-new = أسرة جديدة
household-edit = أسرة
household-name = اسم الأسرة
household-name-hint = الاسم الذي تُعرف به العائلة، مثلًا: عائلة حداد
household-members = الأفراد

contact-household-pick = الأسرة (اختياري)
contact-household-none = بدون أسرة
contact-new-household = أسرة جديدة
contact-new-consultation = استشارة أولى جديدة
contact-new-referral = إحالة
contact-new-follow-up = تذكير
contact-consultations = { PLURAL($count) ->
    [zero] لا توجد استشارات
    [one] استشارة واحدة
    [two] استشارتان
    [few] { $count } استشارات
    [many] { $count } استشارة
   *[other] { $count } استشارة
}
contact-referrals = { PLURAL($count) ->
    [zero] لا توجد إحالات
    [one] إحالة واحدة
    [two] إحالتان
    [few] { $count } إحالات
    [many] { $count } إحالة
   *[other] { $count } إحالة
}

picker-search = البحث بالاسم
picker-recent = أُضيفت مؤخرًا:
picker-change = تغيير
picker-unknown = جهة اتصال غير موجودة على هذا الجهاز
picker-new = جهة اتصال جديدة
picker-new-title = جهة اتصال جديدة
picker-new-save = حفظ جهة الاتصال
picker-phone-optional = الهاتف (اختياري)
picker-consent-note = لا يمكن حفظ جهة اتصال إلا بموافقة الشخص. من يريد البقاء مجهول الهوية يُحسب فقط في عدد الحضور في فعالية.
