## report (ar): تقرير الفترة للجهات المموّلة

more-report = التقرير
more-report-desc = أرقام الربع للجهات المموّلة: جداول ورسوم بيانية وتنزيل CSV وXLSX.
report-title = التقرير للجهات المموّلة
report-period-label = الفترة
report-period-range = من … إلى …
report-from = من
report-to = إلى
report-quarter = الربع { $quarter } من { $year }
report-range = من { $from } إلى { $to }
report-as-of = محسوب من البيانات الموجودة على هذا الجهاز، حتى { $date }. لا تُحسب الإدخالات التي لم تصل بعد إلى هذا الجهاز.
report-bad-from = تاريخ البداية ناقص أو ليس تاريخًا: يُرجى اختيار يوم.
report-bad-to = تاريخ النهاية ناقص أو ليس تاريخًا: يُرجى اختيار يوم.
report-ends-before-start = تنتهي الفترة في { $to } قبل أن تبدأ في { $from }: يُرجى تبديل التاريخين.
report-bad-year = السنة { $year } خارج النطاق: يُرجى اختيار سنة من 1 إلى 9999.
report-bad-period = هذه ليست فترة: يُرجى اختيار ربع، أو تاريخ بداية وتاريخ نهاية.
report-download-all = تنزيل التقرير كاملًا (CSV)
report-download-csv = CSV
report-download-all-xlsx = تنزيل التقرير كاملًا (XLSX)
report-download-xlsx = XLSX
report-col-figure = المؤشر
report-col-value = القيمة
report-overview-from = بداية الفترة
report-overview-to = نهاية الفترة
report-overview-as-of = البيانات حتى تاريخ
report-overview-median-days = وسيط عدد الأيام من أول استشارة حتى التدريب المهني
report-table-overview = نظرة عامة
report-download-failed = تعذّر حفظ الملف. يُرجى المحاولة مرة أخرى أو استخدام متصفح آخر.

report-fig-first-consultations = الاستشارات الأولى
report-fig-consultations = الاستشارات
report-fig-referrals = الإحالات
report-fig-events = الفعاليات
report-fig-attendance = الحضور
report-fig-companies-joined = منشآت تدريب جديدة
report-fig-places-acquired = أماكن تدريب تم الحصول عليها
report-fig-places-filled = أماكن تدريب مشغولة
report-fig-active-mentors = المرشدون النشطون
report-fig-placed = التحقوا بالتدريب بعد إحالة
report-fig-median-days = { PLURAL($count) ->
    [zero] الوسيط { $count } يوم من الاستشارة الأولى
    [one] الوسيط يوم واحد من الاستشارة الأولى
    [two] الوسيط يومان من الاستشارة الأولى
    [few] الوسيط { $count } أيام من الاستشارة الأولى
    [many] الوسيط { $count } يومًا من الاستشارة الأولى
   *[other] الوسيط { $count } يوم من الاستشارة الأولى
}
report-fig-median-none = لم يلتحق أحد بعد

report-chart-consultations = الاستشارات حسب الجالية
report-chart-attendance = الحضور في الفعاليات حسب الفئة المستهدفة

report-table-first-consultations = الاستشارات الأولى حسب الجالية والفئة المستهدفة
report-table-consultations = الاستشارات حسب الجالية والفئة المستهدفة
report-table-referrals = الإحالات حسب الجالية والفئة المستهدفة
report-table-referrals-by-institution = الإحالات حسب المؤسسة والحالة
report-table-events = الفعاليات حسب النوع
report-table-events-by-community = الفعاليات حسب الجالية
report-table-companies = المنشآت
report-table-training-places = أماكن التدريب التي تم الحصول عليها، حسب حالتها الآن
report-table-active-mentors = المرشدون النشطون
report-table-measures = خطة العمل
report-table-placements = التحقوا بالتدريب بعد إحالة
report-table-placements-unlinked = أماكن مشغولة لا تُحسب التحاقًا بعد إحالة

report-col-community = الجالية
report-col-institution = المؤسسة
report-col-event-kind = نوع الفعالية
report-col-events = الفعاليات
report-col-in-network = المنشآت في الشبكة
report-col-in-network-licensed = منها مؤهلة للتدريب
report-col-joined = انضمت حديثًا
report-col-joined-licensed = منها مؤهلة للتدريب
report-col-places-acquired = الأماكن التي تم الحصول عليها
report-col-active-mentors = المرشدون النشطون
report-col-action-field = مجال العمل
report-col-measure = الإجراء
report-col-owner = المسؤول
report-col-metric = ما يُحسب
report-col-year = السنة
report-col-target = الهدف
report-col-done-period = في الفترة
report-col-done-to-date = في السنة حتى اليوم
report-col-percent = ٪ من الهدف
report-col-median-days = وسيط الأيام حتى الالتحاق
report-col-reason = السبب
report-col-places = الأماكن
report-col-no-group = بلا فئة مستهدفة
report-col-total = المجموع
report-col-attendance-parent = الحضور: أولياء الأمور
report-col-attendance-youth = الحضور: الشباب
report-col-attendance-self-employed = الحضور: أصحاب الأعمال
report-col-attendance = الحضور
report-row-total = المجموع
report-row-no-community = بلا جالية (الشبكة كلها)
report-unlinked-unknown-person = الشخص غير مذكور أو غير موجود على هذا الجهاز
report-unlinked-not-referred = لا إحالة قبل الالتحاق
report-unlinked-referral-without-consultation = إحالة بلا استشارة سابقة
report-complete-after-end = تمت مزامنة { $synced } من أصل { $active } من الأجهزة النشطة بعد نهاية الفترة.
report-complete-today = تمت مزامنة { $synced } من أصل { $active } من الأجهزة النشطة اليوم؛ الفترة لم تنتهِ بعد.
report-complete-unknown = يظهر مدى اكتمال التقرير بعد أن يقرأ هذا الجهاز أجهزة الشبكة (بعد اتصاله بالإنترنت).
report-late-device = { $who }: آخر مزامنة في { $time }
report-late-never = { $who }: لم يُبلغ عن أي مزامنة بعد
report-overview-devices-active = الأجهزة النشطة
report-overview-devices-synced = الأجهزة التي تمت مزامنتها بعد نهاية الفترة
report-overview-devices-synced-today = الأجهزة التي تمت مزامنتها اليوم
report-overview-late = آخر مزامنة للأجهزة الأخرى
report-overview-device = جهاز
