## desk (ar): what needs a second look

more-conflicts = قيمتان
more-conflicts-desc = حقول غُيّرت بشكل مختلف على جهازين: يُرجى الاحتفاظ بقيمة واحدة.
conflicts-title = قيمتان لحقل واحد
conflicts-intro = غُيّرت هذه الحقول بشكل مختلف على جهازين قبل مشاركة التغييرات. احتفظ Lotse بالقيمتين. يُرجى اختيار القيمة الصحيحة.
conflicts-none = لا يوجد حقل له قيمتان.
conflicts-open = فتح
conflicts-count = { PLURAL($count) ->
    [zero] لا يوجد حقل له قيمتان.
    [one] حقل واحد له قيمتان.
    [two] حقلان لكل منهما قيمتان.
    [few] { $count } حقول لها قيمتان.
    [many] { $count } حقلًا لها قيمتان.
   *[other] { $count } حقل لها قيمتان.
}
conflict-keep = الاحتفاظ بهذه
conflict-shown = المعروضة الآن
conflict-empty = (فارغ)
conflict-not-plain = (قائمة – تُغيَّر في النموذج)
conflict-yes = نعم
conflict-no = لا
conflict-keep-failed = تعذّر الاحتفاظ بالقيمة. القائمة محدّثة الآن، يرجى الاختيار مرة أخرى.

kind-contacts = جهة اتصال
kind-households = عائلة
kind-consultations = استشارة أولى
kind-referrals = إحالة
kind-follow-ups = تذكير
kind-events = فعالية
kind-companies = شركة
kind-training-places = مكان تدريب
kind-institutions = مؤسسة
kind-partners = منظمة مهاجرين
kind-communities = جالية
kind-mentors = مرشد/ة
kind-measures = إجراء

history-field-given-on = تاريخ الموافقة
history-field-scope = نطاق الموافقة

# Between two parts of one line ("Name، date"): the Arabic comma.
list-comma = { "، " }

more-duplicates = جهات اتصال مكررة
more-duplicates-desc = جهات اتصال هي غالبًا الشخص نفسه: رقم الهاتف نفسه، أو الاسم نفسه بكتابة أخرى.
duplicates-title = غالبًا الشخص نفسه
duplicates-intro = لجهات الاتصال هذه رقم الهاتف نفسه أو اسم يُلفظ بالطريقة نفسها، بأي أبجدية. يُرجى فتح الاثنين للتحقق منهما، ثم الاحتفاظ بواحدة (تنتقل إليها استشارات الأخرى وإحالاتها ومتابعاتها وأماكن تدريبها) أو الإشارة إلى أنهما شخصان مختلفان.
duplicates-none = لم يُعثر على جهات اتصال مكررة.
duplicates-why-phone = رقم الهاتف نفسه
duplicates-why-name = الاسم نفسه
duplicates-records = { PLURAL($count) ->
    [zero] لا توجد استشارات ولا إحالات
    [one] استشارة أو إحالة واحدة
    [two] استشارتان أو إحالتان
    [few] { $count } استشارات وإحالات
    [many] { $count } استشارة وإحالة
   *[other] { $count } استشارة وإحالة
}
duplicates-keep = الاحتفاظ بهذه
duplicates-confirm = ستُدمج { $gone } في { $keep }: ينتقل كل ما سُجّل لـ { $gone } إلى { $keep }، وتُحفظ الموافقة الأوسع، ولن تظهر { $gone } في القائمة بعد الآن.
duplicates-merge = دمج
duplicates-not-same = ليسا الشخص نفسه
duplicates-merged = دُمجت في { $name }.
duplicates-open = فتح
duplicates-kept-apart = تم التسجيل: هذان شخصان مختلفان. لن يُقترح هذا الزوج مرة أخرى.
duplicates-failed = تعذّر الحفظ. لم يُفقد شيء؛ يُرجى المحاولة مرة أخرى.
duplicates-other-communities = هاتان في جاليتين مختلفتين؛ لا يمكن دمج زوج إلا داخل جالية واحدة.
contact-merged-into = دُمجت جهة الاتصال هذه في سجل آخر للشخص نفسه.
contact-open-kept = فتح ذلك السجل
more-review = ما الذي تغيّر
more-review-desc = تغييرات المرشدين التي لم تُراجع بعد، بالقيمة القديمة والجديدة.
review-title = ما الذي تغيّر
review-intro = تغييرات لم تُراجع بعد، الأحدث أولًا، بالترتيب الذي أُجريت به. الأوقات بحسب ساعة كل جهاز.
review-place = الجالية
review-network = الشبكة (الفعاليات، الشركات، المرشدون …)
review-kind = نوع السجل
review-mentor = المرشد/ة
review-with-reviewed = إظهار التغييرات التي رُوجعت أيضًا
review-unreviewed = { PLURAL($count) ->
    [zero] لا توجد تغييرات غير مُراجعة
    [one] تغيير واحد لم يُراجع بعد
    [two] تغييران لم يُراجعا بعد
    [few] { $count } تغييرات لم تُراجع بعد
    [many] { $count } تغييرًا لم يُراجع بعد
   *[other] { $count } تغيير لم يُراجع بعد
}
review-failed = تعذّر حفظ علامة المراجعة. لم يُفقد شيء؛ يُرجى المحاولة مرة أخرى.
review-none = لا يوجد ما يُراجع هنا.
review-mark-all = { PLURAL($count) ->
    [zero] لا يوجد ما يُعلَّم
    [one] تعليم تغيير واحد كمُراجَع
    [two] تعليم التغييرين كمُراجَعين
    [few] تعليم هذه التغييرات الـ{ $count } كمُراجَعة
    [many] تعليم هذه الـ{ $count } تغييرًا كمُراجَعة
   *[other] تعليم هذه الـ{ $count } تغيير كمُراجَعة
}
review-more = إظهار المزيد
review-changed = تغيّر
review-record-gone = سجل لم يعد موجودًا
review-device-time = { $time } (وقت الجهاز)
review-clock-behind = يبدو أن ساعة هذا الجهاز متأخرة: أُجري التغيير بعد التغييرات المذكورة تحته.
review-reviewed = المراجِع/ة:
review-mark = تعليم كمُراجَع
change-became = أصبح
history-field-merged-into = دُمج في
history-field-not-the-same = ليس الشخص نفسه مثل
