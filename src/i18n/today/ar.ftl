## today (ar): الصفحة الرئيسية

today-hello = مرحبًا،
today-quick-title = إدخال سريع
today-quick-tally = عدّ حضور جلسة إعلامية
today-quick-consultation = استشارة أولى
today-quick-referral = إحالة
today-save-failed = تعذّر الحفظ على هذا الجهاز. يُرجى المحاولة مرة أخرى.
today-marked-done = تم:
today-undo = تراجع
today-overdue = متأخرة
today-due = مستحقة اليوم
today-nothing-due = لا شيء مستحق. أحسنت!
today-nothing-due-today = لا شيء آخر مستحق اليوم.
today-upcoming = الفعاليات القادمة (14 يومًا)
today-no-events = لا توجد فعاليات في الأيام الـ14 القادمة.
today-kind-follow-up = متابعة
today-kind-referral = إحالة
today-mark-done = تم
today-show-more = { PLURAL($count) ->
    [zero] عرض المزيد
    [one] عرض واحد آخر
    [two] عرض اثنين آخرين
    [few] عرض { $count } أخرى
    [many] عرض { $count } أخرى
   *[other] عرض { $count } أخرى
}
today-later = بعد أسبوع
today-marked-later = أُجّلت أسبوعًا:
today-whose = تذكيرات مَن
today-mine = تذكيراتي
today-everyone = تذكيرات الجميع
today-no-person = بلا شخص
today-next-event = { PLURAL($count) ->
    [zero] لا فعاليات
    [one] الفعالية القادمة
    [two] الأولى من فعاليتين
    [few] الأولى من { $count } فعاليات
    [many] الأولى من { $count } فعالية
   *[other] الأولى من { $count } فعالية
}
