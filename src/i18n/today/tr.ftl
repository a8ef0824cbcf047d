## today (tr): başlangıç sayfası

today-hello = Merhaba
today-quick-title = Hızlı kayıt
today-quick-tally = Bilgi­lendirme toplantısı sayımı
today-quick-consultation = İlk danışma
today-quick-referral = Yönlen­dirme
today-save-failed = Bu cihaza kaydedilemedi. Lütfen tekrar deneyin.
today-marked-done = Tamamlandı:
today-undo = Geri al
today-overdue = Gecikmiş
today-due = Bugün yapılacak
today-nothing-due = Yapılacak bir şey yok. Tebrikler!
today-nothing-due-today = Bugün başka yapılacak bir şey yok.
today-upcoming = Yaklaşan etkinlikler (14 gün)
today-no-events = Önümüzdeki 14 günde etkinlik yok.
today-kind-follow-up = Hatırlatma
today-kind-referral = Yönlendirme
today-mark-done = Tamamla
today-show-more = { $count ->
    [one] { $count } tane daha göster
   *[other] { $count } tane daha göster
}
today-later = Bir hafta sonra
today-marked-later = Bir hafta ertelendi:
today-whose = Kimin hatırlatmaları
today-mine = Benimkiler
today-everyone = Herkesinki
today-no-person = kişi yok
today-next-event = { $count ->
    [one] Sıradaki etkinlik
   *[other] { $count } etkinlikten sıradaki
}
