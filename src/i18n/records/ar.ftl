## records (ar): أسماء القوائم الثابتة

error-not-a-number = يُرجى إدخال عدد صحيح.
error-out-of-range = هذا العدد أو التاريخ غير ممكن هنا.

topic-orientation = التوجيه المهني
topic-training-place = البحث عن مكان تدريب
topic-applications = طلبات التقديم
topic-internships = التدريب العملي
topic-recognition = معادلة الشهادات الأجنبية
topic-training-licence = ترخيص التدريب لمنشأة
topic-funding = الدعم المالي

outcome-informed = تم تقديم المعلومات
outcome-referred = تمت الإحالة إلى مؤسسة
outcome-follow-up = تم الاتفاق على متابعة
outcome-place-found = تم إيجاد مكان تدريب
outcome-no-need = لا حاجة إلى المزيد

referral-status-open = مفتوحة
referral-status-contacted = تم التواصل
referral-status-done = منجزة
referral-status-no-show = عدم الحضور

role-mentor = مرشد/ة أولياء الأمور
role-coordinator = منسق/ة

institution-kind-career-guidance = الإرشاد المهني
institution-kind-jobcenter = مركز العمل (Jobcenter)
institution-kind-hwk = غرفة الحرف (HWK)
institution-kind-ihk = غرفة الصناعة والتجارة (IHK)
institution-kind-youth-migration = خدمة الشباب المهاجرين
institution-kind-adult-migration = استشارات الهجرة للبالغين
institution-kind-school = مدرسة
institution-kind-other = أخرى

event-kind-school-info = جلسة معلومات في مدرسة
event-kind-open-day = يوم مفتوح
event-kind-company-visit = زيارة منشأة
event-kind-parent-evening = أمسية أولياء الأمور
event-kind-network-meeting = لقاء الشبكة
event-kind-mentor-training = تدريب المرشدين

chamber-hwk = HWK (الحرف)
chamber-ihk = IHK (الصناعة والتجارة)

licence-none = لا توجد أهلية تدريب
licence-in-preparation = أهلية التدريب قيد التحضير
licence-has = لديها أهلية تدريب

place-status-acquired = تم الحصول عليه
place-status-offered = معروض
place-status-filled = مشغول

action-field-school-to-work = الانتقال من المدرسة إلى العمل
action-field-self-employed = دعم أصحاب الأعمال الحرة
action-field-network = العمل الشبكي

metric-events = الفعاليات المنعقدة
metric-attendance = الأشخاص الذين وصلت إليهم الفعاليات
metric-consultations = الاستشارات
metric-referrals = الإحالات
metric-companies-joined = منشآت انضمت إلى الشبكة
metric-companies-licensed = منشآت لديها أهلية تدريب
metric-places-acquired = أماكن تدريب تم الحصول عليها
metric-places-filled = أماكن تدريب مشغولة

record-not-found = هذا الإدخال غير موجود على هذا الجهاز.
form-notes = ملاحظات
nav-today = اليوم
nav-consultations = الاستشارة
nav-events = الفعاليات
nav-more = المزيد
draft-restored = عاد إدخالك غير المكتمل. يُرجى مراجعته ثم حفظه.

demo-title = بيانات تجريبية
demo-working = يجري ملء هذا الجهاز بشبكة خيالية: جاليات ومرشدون وسنة من الاستشارات والفعاليات…
demo-failed = تعذّر حفظ البيانات التجريبية على هذا الجهاز. يُرجى إعادة التحميل للمحاولة مجددًا.
demo-fictional = جميع الأشخاص والأسر والجمعيات والمنشآت في العرض التجريبي خيالية.
demo-try = التجربة ببيانات تجريبية
record-edit = تعديل
list-download-label = تنزيل القائمة
list-download-csv = تنزيل القائمة بصيغة CSV
list-download-xlsx = تنزيل القائمة بصيغة XLSX
