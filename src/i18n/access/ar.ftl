### الوصول: دعوة مرشد/ة، والانضمام بدعوة، وهل يسمح الخادم لهذا الجهاز بالمزامنة.

invite-title = دعوة
invite-hint = يتيح هذا الرابط لجهاز جديد واحد الانضمام إلى «{ $community }» مرة واحدة. لا يحتوي الرابط على أي مفتاح: يتلقى الجهاز الجديد المفاتيح من هذا الجهاز بعد أن يتصل الجهازان بالإنترنت. يُرجى عدم إرساله إلا إلى الشخص المدعو.
invite-community = الجالية
invite-valid-for = صالحة لمدة
invite-valid-hour = ساعة واحدة
invite-valid-day = يوم واحد
invite-valid-week = 7 أيام
invite-create = إنشاء دعوة
invite-expires = صالحة حتى { $time }، لجهاز واحد.
invite-pending = لم تُرسل بعد: تصبح الدعوة صالحة بعد أن يتصل هذا الجهاز بالإنترنت.
invite-stored = جاهزة: يمكن استخدام الدعوة الآن.
invite-refused = لم يقبل الخادم هذه الدعوة. يُرجى إنشاء دعوة جديدة.
invite-failed = تعذّر إنشاء الدعوة. يُرجى المحاولة مرة أخرى.
invite-coordinator-only = المنسقون وحدهم يستطيعون دعوة مرشدين جدد. لجهاز آخر لك، يُرجى طلب دعوة من المنسق/ة.

join-no-invitation = لا يحتوي هذا الرابط على دعوة. يُرجى طلب دعوة جديدة من المنسق/ة.

access-waiting = بانتظار أن يؤكد جهاز المنسق/ة الدعوة. بعد ذلك يُفتح الدفتر.
access-awaiting-keys = تم قبولك. سيرسل جهاز المنسق/ة إليك مفاتيح الجالية فور اتصاله بالإنترنت. حتى ذلك الحين يبقى الدفتر فارغًا.
access-not-admitted = هذا الجهاز غير مقبول في الشبكة. يُرجى طلب دعوة جديدة من المنسق/ة.
access-retired = أُزيل هذا الجهاز من الشبكة. يُرجى التواصل مع المنسق/ة.
access-invitation-refused = هذه الدعوة استُخدمت من قبل أو انتهت صلاحيتها. يُرجى طلب دعوة جديدة من المنسق/ة.
sync-waiting = بانتظار التأكيد
sync-refused = المشاركة متوقفة

## اسم الدعوة ورمز QR الخاص بها، وأجهزة الشبكة.

invite-name = لمن هذه الدعوة؟
invite-name-hint = يبقى الاسم مشفّرًا في دفتر الشبكة: لا يعرفه الخادم أبدًا.
invite-qr-label = رمز QR لرابط الانضمام: يمكن مسحه بكاميرا الهاتف الجديد
devices-open = أجهزة الشبكة
devices-title = أجهزة الشبكة
devices-hint = كل الهواتف والحواسيب التي يُسمح لها بتبادل البيانات مع الشبكة. الجهاز الذي يُزال يُقطع فورًا.
devices-not-read = تأتي القائمة من الشبكة: تظهر بعد أن يتصل هذا الجهاز بالإنترنت مرة واحدة.
devices-coordinator-only = المنسقون وحدهم يرون أجهزة الشبكة ويزيلونها.
devices-every-community = كل الجاليات
devices-unknown-community = جالية ليست على هذا الجهاز
devices-no-community = بلا جالية
devices-last-coordinator = تحتاج الشبكة إلى منسق/ة: لا يمكن إزالة آخر منسق/ة فيها.
devices-not-this-device = لا يمكن لهذا الجهاز أن يزيل نفسه.
devices-already-removed = هذا الجهاز أُزيل من قبل.
devices-remove-failed = تعذّرت إزالة الجهاز. يُرجى المحاولة مرة أخرى.
devices-phone-of = هاتف { $name }
devices-this-device = هذا الجهاز
devices-device = الجهاز { $key }
devices-role-coordinator = منسق/ة
devices-role-mentor = مرشد/ة
devices-joined = انضم بوصفه القيد { $position } في سجل العضوية
devices-remove = إزالة من الشبكة
devices-confirm = إزالة { $name } من الشبكة؟
devices-confirm-no-sync = لن يتبادل الهاتف البيانات مع الشبكة بعد الآن.
devices-confirm-keeps = ما عليه يبقى عليه: لا يُحذف هناك شيء.
devices-confirm-reaches-nobody = ما يُكتب عليه بعد ذلك لا يصل إلى أحد.
devices-remove-yes = تأكيد الإزالة
devices-remove-cancel = إلغاء
devices-removed = أُزيل من الشبكة
devices-removing = أُزيل هنا، وينتظر الوصول إلى الشبكة
devices-invitations = دعوات مفتوحة
devices-no-invitations = لا توجد دعوة تنتظر الاستخدام.
devices-invitation-for = دعوة لـ { $name }
devices-invitation = دعوة بلا اسم
devices-invite = دعوة جهاز جديد
invite-role = الدعوة بصفة
invite-role-mentor = مرشد/ة في جالية واحدة
invite-role-coordinator = منسق/ة (كل الجاليات)
invite-hint-coordinator = يتيح هذا الرابط لجهاز جديد واحد الانضمام إلى الشبكة بصفة منسق/ة مرة واحدة. يتلقى مفاتيح كل الجاليات من هذا الجهاز بعد أن يتصل الجهازان بالإنترنت، ويستطيع بعدها قراءة كل شيء ودعوة الأجهزة وإزالتها. يُرجى عدم إرساله إلا إلى الشخص المدعو.
devices-remembered = هذه هي الشبكة كما رآها هذا الجهاز آخر مرة. سيقرؤها من جديد عند الاتصال بالإنترنت.
devices-last-sync = آخر مزامنة: { $time }
devices-never-synced = لم يُبلغ عن أي مزامنة بعد
devices-storage-kept = التخزين دائم: لن يمسحه المتصفح من تلقاء نفسه
devices-storage-not-kept = التخزين غير مضمون: قد يمسحه المتصفح
