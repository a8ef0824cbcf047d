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
