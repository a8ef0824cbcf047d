### حقوق الأشخاص المسجلين في الدفتر: طلب الاطلاع (المادة 15 من اللائحة العامة لحماية البيانات)،
### مدة الحفظ، الحذف.

art15-action = طلب اطلاع (المادة 15)
art15-failed = تعذّر إنشاء ملف الاطلاع: { $error }
art15-title = الاطلاع وفق المادة 15 من اللائحة العامة لحماية البيانات
art15-made-on = تاريخ الإنشاء
art15-community = المجتمع
art15-intro = هذه كل البيانات التي حفظها مركز الخدمة عنك في Lotse.
art15-contact = جهة الاتصال
art15-recorded-by = سجّل الموافقة
art15-created-on = تاريخ الإضافة
art15-created-by = أضافه
art15-household = الأسرة
art15-name = الاسم
art15-notes = ملاحظات
art15-household-shared = ينتمي إلى هذه الأسرة أشخاص آخرون؛ بياناتهم وملاحظات الأسرة ليست جزءًا من هذا الملف.
art15-consultations = الاستشارات الأولى
art15-none = لا شيء.
art15-date = التاريخ
art15-topics = المواضيع
art15-outcome = النتيجة
art15-mentor = المرشد
art15-referrals = الإحالات
art15-institution = المؤسسة
art15-reason = السبب
art15-status = الحالة
art15-follow-up-on = المتابعة في
art15-follow-ups = التذكيرات
art15-due-on = الموعد
art15-done = منجز
art15-yes = نعم
art15-no = لا
art15-training-places = أماكن التدريب المهني
art15-company = المنشأة
art15-occupation = المهنة
art15-start-on = البداية
