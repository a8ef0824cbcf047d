## events (ar): الفعاليات وعدد الحضور

events-title = الفعاليات
events-count = { PLURAL($count) ->
    [zero] لا توجد فعاليات
    [one] فعالية واحدة
    [two] فعاليتان
    [few] { $count } فعاليات
    [many] { $count } فعالية
   *[other] { $count } فعالية
}
events-search = البحث بالعنوان أو المدرسة
events-filters = التصفية
events-filter-kind = النوع
events-filter-all-kinds = كل الأنواع
events-filter-community = الجالية
events-filter-all-communities = كل الجاليات
events-filter-period = الفترة
events-period-all = كل الفترات
events-period-upcoming = من اليوم فصاعدًا
events-period-month = هذا الشهر
events-period-quarter = هذا الربع
events-period-year = هذا العام
events-filter-reset = إلغاء التصفية
events-empty = لا توجد فعاليات بعد. بعد أي جلسة إعلامية، يمكنك الضغط على «فعالية جديدة».
events-none-found = لا توجد فعالية تطابق البحث والتصفية.
events-show-more = { PLURAL($count) ->
    [zero] عرض المزيد
    [one] عرض واحدة أخرى
    [two] عرض اثنتين أخريين
    [few] عرض { $count } أخرى
    [many] عرض { $count } أخرى
   *[other] عرض { $count } أخرى
}
events-add = فعالية جديدة
events-attendance = { PLURAL($count) ->
    [zero] لا أحد
    [one] شخص واحد
    [two] شخصان
    [few] { $count } أشخاص
    [many] { $count } شخصًا
   *[other] { $count } شخص
}

event-form-new = فعالية جديدة
event-form-edit = فعالية
event-form-what = ماذا ومتى
event-form-kind = نوع الفعالية
event-form-date = التاريخ
event-form-time = الوقت
event-form-place = المكان
event-form-tally = من حضر؟
event-form-tally-hint = لا تُسجَّل الأسماء هنا: من لم يعطِ موافقته يُعَدّ فقط. يُضغط + مرة واحدة لكل شخص.
event-form-tally-parent = أولياء الأمور
event-form-tally-youth = الشباب
event-form-tally-self-employed = أصحاب الأعمال
event-form-tally-minus = شخص أقل
event-form-tally-plus = شخص إضافي
event-form-tally-total = { PLURAL($count) ->
    [zero] المجموع: لا أحد
    [one] المجموع: شخص واحد
    [two] المجموع: شخصان
    [few] المجموع: { $count } أشخاص
    [many] المجموع: { $count } شخصًا
   *[other] المجموع: { $count } شخص
}
event-form-tally-unsaved = لم يُحفظ العدّ بعد. يُرجى الضغط على «حفظ» عند الانتهاء.
event-form-details = التفاصيل
event-form-school = المدرسة
event-form-title = العنوان
event-form-title-hint = اختياري، مثلًا «أمسية أولياء الأمور: التدريب المهني في الحِرف»
event-form-company = المنشأة
event-form-no-company = لم تُختر منشأة
event-form-partner = منظمة مهاجرين (جهة مشاركة في التنظيم)
event-form-no-partner = لا يوجد
event-form-community = الجالية
event-form-no-community = كل الجاليات (على مستوى الشبكة)
events-period-past = السابقة
events-show-past = إظهار الفعاليات السابقة
events-show-upcoming = إظهار الفعاليات القادمة
