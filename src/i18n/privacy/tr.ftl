### Defterdeki kişilerin hakları: bilgi talebi (GVKT md. 15),
### saklama süresi, silme.

art15-action = Bilgi talebi (md. 15)
art15-failed = Bilgi dökümü oluşturulamadı: { $error }
art15-title = GVKT 15. madde uyarınca bilgi
art15-made-on = Oluşturulma tarihi
art15-community = Topluluk
art15-intro = Hizmet merkezinin Lotse'de senin hakkında kaydettiği bütün bilgiler bunlardır.
art15-contact = Kişi
art15-recorded-by = Onayı kaydeden
art15-created-on = Kayıt tarihi
art15-created-by = Kaydeden
art15-household = Hane
art15-name = Ad
art15-notes = Notlar
art15-household-shared = Bu haneye başka kişiler de ait; onların bilgileri ve hane notları bu dökümde yer almaz.
art15-consultations = İlk danışmanlıklar
art15-none = Yok.
art15-date = Tarih
art15-topics = Konular
art15-outcome = Sonuç
art15-mentor = Mentor
art15-referrals = Yönlendirmeler
art15-institution = Kurum
art15-reason = Gerekçe
art15-status = Durum
art15-follow-up-on = Tekrar kontrol tarihi
art15-follow-ups = Hatırlatmalar
art15-due-on = Son tarih
art15-done = Tamamlandı
art15-yes = Evet
art15-no = Hayır
art15-training-places = Meslek eğitimi yerleri
art15-company = İşletme
art15-occupation = Meslek
art15-start-on = Başlangıç

community-form-retention = Ay olarak saklama süresi
community-form-retention-hint = Bu kadar ay hiçbir etkinlik olmayan kişiler inceleme ve silme için listelenir. Boş: süre yok.

more-retention = Saklama süreleri
more-retention-desc = Saklama süresi dolmuş kişiler, incelemek için
more-erasure = Silme
more-erasure-desc = Talep üzerine bir kişiyi sil (md. 17), makbuzuyla
privacy-coordinator-only = Bilgi ve silme taleplerini yalnızca koordinatörler yanıtlar; bu cihaz toplulukların yalnızca bir kısmını görür.
retention-title = Saklama süreleri
retention-intro = Topluluğunun saklama süresinden daha uzun zamandır ilk danışmanlık, yönlendirme, hatırlatma ya da meslek eğitimi yeri olmayan kişiler. Süreyi topluluğun sayfasında ayarlarsın.
retention-none-set = Hiçbir topluluğun saklama süresi yok.
retention-community = { $community }: ay olarak saklama süresi: { $months }
retention-count = { $count ->
    [one] { $count } kişinin süresi doldu
   *[other] { $count } kişinin süresi doldu
}
retention-last-activity = Son etkinlik:
erasure-title = Silme (md. 17)
erasure-intro = Silinmesini isteyen kişiyi seç. Lotse onu anan her şeyi gösterir.
erasure-contact = Kişi
erasure-requested-on = Talep tarihi
erasure-pick-first = Önce bir kişi seç.
erasure-removes = Kaldırılacak
erasure-unlinks = Kalır, yalnızca kişiyle bağlantısını kaybeder
erasure-days = Cihazların yeni sürüme geçmek için süresi
erasure-erase = Bu kişiyi sil
erasure-confirm-text = Yukarıda listelenen her şey geçmişiyle birlikte her cihazdan ve aktarıcıdan kaldırılır. Bu geri alınamaz.
erasure-confirm = Şimdi sil
erasure-cancel = Vazgeç
erasure-working = Siliniyor…
erasure-done = Bu cihazda silindi. Diğer her cihaz bir sonraki eşitlemesinde topluluğun yeni sürümüne geçer; makbuz aşağıda.
erasure-not-synced = Bu cihazın önce eşitlenmesi gerekiyor: bağlan, gönderilmeyi bekleyen bir şey kalmayana kadar bekle, sonra yeniden dene.
erasure-busy = Bu toplulukta bir silme işlemi hâlâ sürüyor. Tüm cihazlar geçtikten sonra yeniden dene.
erasure-failed = Silme başlamadı: { $why }
erasure-receipts = Bu cihazda yapılan silmeler
erasure-receipt-requested = talep tarihi { $date }
erasure-receipt-made = Silinme zamanı: { $time }
erasure-device-moved = geçti
erasure-device-waiting = henüz geçmedi
erasure-device-gone = ağdan çıkarıldı, beklenmiyor
erasure-relay-deletes = Aktarıcı, tüm cihazlar geçince eski sürümü siler, en geç { $date } tarihinde; o zamana kadar geçmeyen bir cihaz yeniden katılmalıdır.
erasure-relay-deleted = Tüm cihazlar geçti: aktarıcı eski sürümü sildi.
erasure-days-option = { $count ->
    [one] { $count } gün
   *[other] { $count } gün
}
retention-erase-all = { $count ->
    [one] Süresi dolan { $count } kişiyi sil
   *[other] Süresi dolan { $count } kişinin tümünü sil
}
erasure-network = ağ
erasure-receipt-removed = Kaldırılan: { $what }
erasure-receipt-unlinked = Kalan, kişiyle bağlantısı kaldırılan: { $what }
erasure-device-dropped = kişi hakkında çevrimdışı yazdıklarını attı: { $what }
wiped-wrong-pins = Bu telefon çok fazla yanlış PIN girildiği için boşaltıldı. Yeniden kur ya da koordinatöründen yeni bir davetle katıl.
wiped-left-behind = Bu telefon boşaltıldı: bir silme işleminden sonra topluluğunun yeni sürümüne zamanında geçmedi ve aktarıcı artık eşitlemesine izin vermiyor. Koordinatöründen yeni bir davet iste.
erasure-device-moved-at = geçti ({ $time } tarihinde görüldü)
erasure-relay-deleted-at = Tüm cihazlar geçti ({ $time } tarihinde görüldü): aktarıcı eski sürümü o zaman sildi.
