### حقوق الأشخاص المسجلين في الدفتر: طلب الاطلاع (المادة 15 من اللائحة العامة لحماية البيانات)،
### مدة الحفظ، الحذف.

art15-action = طلب اطلاع (المادة 15)
art15-failed = تعذّر إنشاء ملف الاطلاع: { $error }
art15-title = الاطلاع وفق المادة 15 من اللائحة العامة لحماية البيانات
art15-made-on = تاريخ الإنشاء
art15-community = الجالية
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

community-form-retention = مدة الحفظ بالأشهر
community-form-retention-hint = بعد هذا العدد من الأشهر دون أي نشاط تُدرج جهات الاتصال للمراجعة والحذف. فارغ: بلا مدة.

more-retention = مدد الحفظ
more-retention-desc = جهات الاتصال التي انقضت مدة حفظها، للمراجعة
more-erasure = الحذف
more-erasure-desc = حذف شخص بناءً على طلبه (المادة 17)، مع إيصال
privacy-coordinator-only = يجيب المنسقون وحدهم عن طلبات الاطلاع والحذف؛ هذا الجهاز لا يرى إلا بعض الجاليات.
retention-title = مدد الحفظ
retention-intro = جهات اتصال ليس لها استشارة أو إحالة أو تذكير أو مكان تدريب منذ مدة أطول من مدة الحفظ في جاليتها. تُضبط المدة في صفحة الجالية.
retention-none-set = لا توجد جالية لها مدة حفظ.
retention-community = { $community }: مدة الحفظ بالأشهر: { $months }
retention-count = { PLURAL($count) ->
    [zero] لا توجد جهات اتصال تجاوزت المدة
    [one] جهة اتصال واحدة تجاوزت المدة
    [two] جهتا اتصال تجاوزتا المدة
    [few] { $count } جهات اتصال تجاوزت المدة
    [many] { $count } جهة اتصال تجاوزت المدة
   *[other] { $count } جهة اتصال تجاوزت المدة
}
retention-last-activity = آخر نشاط:
erasure-title = الحذف (المادة 17)
erasure-intro = اختر الشخص الذي طلب الحذف. يعرض Lotse كل ما يذكره.
erasure-contact = الشخص
erasure-requested-on = تاريخ الطلب
erasure-pick-first = اختر شخصًا أولًا.
erasure-removes = سيُزال
erasure-unlinks = يبقى، ويفقد فقط ارتباطه بالشخص
erasure-days = المدة المتاحة للأجهزة للانتقال إلى النسخة الجديدة
erasure-erase = احذف هذا الشخص
erasure-confirm-text = كل ما هو مذكور أعلاه يُزال مع سجله من كل جهاز ومن المُرحِّل. لا يمكن التراجع عن ذلك.
erasure-confirm = احذف الآن
erasure-cancel = إلغاء
erasure-working = جارٍ الحذف…
erasure-done = تم الحذف على هذا الجهاز. ينتقل كل جهاز آخر إلى النسخة الجديدة من المجتمع عند مزامنته التالية؛ الإيصال أدناه.
erasure-not-synced = يجب مزامنة هذا الجهاز أولًا: اتصل وانتظر حتى لا يبقى شيء بانتظار الإرسال، ثم حاول مرة أخرى.
erasure-busy = ما زال حذفٌ جاريًا في هذا المجتمع. حاول مرة أخرى بعد انتقال كل الأجهزة.
erasure-failed = لم يبدأ الحذف: { $why }
erasure-receipts = عمليات الحذف التي تمت على هذا الجهاز
erasure-receipt-requested = طلب بتاريخ { $date }
erasure-receipt-made = حُذف في { $time }
erasure-device-moved = انتقل
erasure-device-waiting = لم ينتقل بعد
erasure-device-gone = أُزيل من الشبكة، لا يُنتظر
erasure-relay-deletes = يحذف المُرحِّل النسخة القديمة عندما تنتقل كل الأجهزة، وفي موعد أقصاه { $date }؛ الجهاز الذي لم ينتقل حتى ذلك الحين يجب أن ينضم من جديد.
erasure-relay-deleted = انتقلت كل الأجهزة: حذف المُرحِّل النسخة القديمة.
erasure-days-option = { PLURAL($count) ->
    [zero] لا أيام
    [one] يوم واحد
    [two] يومان
    [few] { $count } أيام
    [many] { $count } يومًا
   *[other] { $count } يوم
}
retention-erase-all = { PLURAL($count) ->
    [zero] لا توجد جهات اتصال للحذف
    [one] احذف جهة الاتصال التي تجاوزت المدة
    [two] احذف جهتي الاتصال اللتين تجاوزتا المدة
    [few] احذف جهات الاتصال الـ { $count } التي تجاوزت المدة
    [many] احذف جهات الاتصال الـ { $count } التي تجاوزت المدة
   *[other] احذف جهات الاتصال الـ { $count } التي تجاوزت المدة
}
erasure-network = الشبكة
erasure-receipt-removed = أُزيل: { $what }
erasure-receipt-unlinked = بقي، وأُزيل ارتباطه بالشخص: { $what }
erasure-device-dropped = أسقط ما كتبه دون اتصال عن الشخص: { $what }
wiped-wrong-pins = أُفرغ هذا الهاتف بعد إدخال رقم PIN خاطئ مرات كثيرة. أعد إعداده، أو انضم بدعوة جديدة من منسّقك.
wiped-left-behind = أُفرغ هذا الهاتف: بعد عملية حذف لم ينتقل في الوقت المحدد إلى النسخة الجديدة من مجتمعه، ولم يعد المُرحِّل يسمح له بالمزامنة. اطلب من منسّقك دعوة جديدة.
erasure-device-moved-at = انتقل (شوهد في { $time })
erasure-relay-deleted-at = انتقلت كل الأجهزة (شوهد في { $time }): حذف المُرحِّل النسخة القديمة حينها.
