## desk (tr): what needs a second look

more-conflicts = İki değer
more-conflicts-desc = İki cihazda farklı değiştirilen alanlar: bir değeri tutun.
conflicts-title = Bir alan için iki değer
conflicts-intro = Bu alanlar, değişiklikler paylaşılmadan önce iki cihazda farklı değiştirildi. Lotse iki değeri de sakladı. Hangisinin doğru olduğunu seçin.
conflicts-none = İki değeri olan alan yok.
conflicts-open = Aç
conflicts-count = { $count ->
    [one] Bir alanın iki değeri var.
   *[other] { $count } alanın iki değeri var.
}
conflict-keep = Bunu tut
conflict-shown = şu an gösterilen
conflict-empty = (boş)
conflict-not-plain = (liste – formda değiştirin)
conflict-yes = evet
conflict-no = hayır
conflict-keep-failed = Değer kaydedilemedi. Liste şimdi güncel, lütfen tekrar seçin.

kind-contacts = Kişi
kind-households = Hane
kind-consultations = İlk danışma
kind-referrals = Yönlendirme
kind-follow-ups = Hatırlatma
kind-events = Etkinlik
kind-companies = İşletme
kind-training-places = Meslek eğitimi yeri
kind-institutions = Kurum
kind-partners = Göçmen derneği
kind-communities = Topluluk
kind-mentors = Mentor
kind-measures = Önlem

history-field-given-on = Onay tarihi
history-field-scope = Onayın kapsamı

# Between two parts of one line ("Name, date").
list-comma = { ", " }

more-duplicates = Çift kayıtlı kişiler
more-duplicates-desc = Büyük olasılıkla aynı kişi olan kayıtlar: aynı telefon numarası ya da başka yazılmış aynı ad.
duplicates-title = Büyük olasılıkla aynı kişi
duplicates-intro = Bu kişilerin telefon numarası aynı ya da adları, başka bir alfabede de olsa, aynı okunuyor. Kontrol etmek için ikisini de açın; sonra birini tutun (diğerinin görüşmeleri, yönlendirmeleri, takipleri ve meslek eğitimi yerleri ona geçer) ya da iki ayrı kişi olduklarını belirtin.
duplicates-none = Çift kayıtlı kişi bulunamadı.
duplicates-why-phone = aynı telefon numarası
duplicates-why-name = aynı ad
duplicates-records = { $count ->
    [one] 1 görüşme ya da yönlendirme
   *[other] { $count } görüşme ve yönlendirme
}
duplicates-keep = Bunu tut
duplicates-confirm = { $gone }, { $keep } ile birleştirilecek: { $gone } için kaydedilen her şey { $keep } kaydına geçer, daha geniş onay korunur ve { $gone } artık listelenmez.
duplicates-merge = Birleştir
duplicates-not-same = Aynı kişi değil
duplicates-merged = { $name } ile birleştirildi.
duplicates-open = Aç
duplicates-kept-apart = Not edildi: bunlar iki ayrı kişi. Bu çift bir daha önerilmeyecek.
duplicates-failed = Kaydedilemedi. Hiçbir şey kaybolmadı; lütfen tekrar deneyin.
duplicates-other-communities = Bu ikisi farklı topluluklarda; bir çift yalnızca aynı topluluk içinde birleştirilebilir.
contact-merged-into = Bu kişi, aynı kişinin başka bir kaydıyla birleştirildi.
contact-open-kept = O kaydı aç
more-review = Neler değişti
more-review-desc = Mentorların henüz gözden geçirilmemiş değişiklikleri, eski ve yeni değerleriyle.
review-title = Neler değişti
review-intro = Henüz gözden geçirilmemiş değişiklikler, en yenisi önce, yapıldıkları sırayla. Saatler her cihazın kendi saatine göredir.
review-place = Topluluk
review-network = Ağ (etkinlikler, işletmeler, mentorlar …)
review-kind = Kayıt türü
review-mentor = Mentor
review-with-reviewed = Gözden geçirilmiş değişiklikleri de göster
review-unreviewed = { $count ->
    [one] 1 değişiklik henüz gözden geçirilmedi
   *[other] { $count } değişiklik henüz gözden geçirilmedi
}
review-failed = İşaret kaydedilemedi. Hiçbir şey kaybolmadı; lütfen tekrar deneyin.
review-none = Burada gözden geçirilecek bir şey yok.
review-mark-all = { $count ->
    [one] 1 değişikliği gözden geçirildi olarak işaretle
   *[other] Bu { $count } değişikliği gözden geçirildi olarak işaretle
}
review-more = Daha fazla göster
review-changed = değiştirildi
review-record-gone = artık var olmayan bir kayıt
review-device-time = { $time } (cihaz saati)
review-clock-behind = Bu cihazın saati geri görünüyor: değişiklik, altında listelenenlerden sonra yapıldı.
review-reviewed = Gözden geçiren:
review-mark = Gözden geçirildi olarak işaretle
change-became = şuna değişti:
history-field-merged-into = şununla birleştirildi
history-field-not-the-same = aynı kişi değil
