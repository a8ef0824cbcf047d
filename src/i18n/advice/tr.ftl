## advice (tr): ilk danışmanlıklar, yönlendirmeler, hatırlatmalar, haneler, kişi seçimi

advice-tabs = Danışmanlık
advice-filters = Filtreler
advice-filters-on = { $count ->
    [one] Filtreler (1 etkin)
   *[other] Filtreler ({ $count } etkin)
}
advice-filters-clear = Filtreleri temizle
advice-any = Tümü
advice-filter-community = Topluluk
advice-filter-group = Hedef grup
advice-filter-outcome = Sonuç
advice-filter-institution = Kurum
advice-filter-period = Dönem
advice-period-all = Tüm zamanlar
advice-period-month = Bu ay
advice-period-quarter = Bu çeyrek
advice-period-year = Bu yıl
advice-show-more = { $count ->
    [one] 1 tane daha göster
   *[other] { $count } tane daha göster
}
advice-none-match = Bu filtrelere uyan kayıt yok.
advice-unknown-person = (kişi bu cihazda değil)

consultations-title = İlk danışmanlıklar
consultations-search = Not veya ada göre arayın
consultations-add = Yeni danışmanlık
consultations-empty = Henüz ilk danışmanlık yok. İlkini bir görüşmeden hemen sonra kaydedin.
consultations-count = { $count ->
    [one] 1 ilk danışmanlık
   *[other] { $count } ilk danışmanlık
}

consultation-new = Yeni ilk danışmanlık
consultation-edit = İlk danışmanlık
consultation-contact = Kiminle?
consultation-household = Hane (isteğe bağlı)
consultation-household-none = Hane yok
consultation-topics = Konular
consultation-outcome = Sonuç
consultation-date = Tarih
consultation-refer = Yönlendir
consultation-referrals = Bu danışmanlıktan yönlendirmeler

referrals-title = Yönlendirmeler
referrals-search = Neden, ad veya kuruma göre arayın
referrals-add = Yeni yönlendirme
referrals-empty = Henüz yönlendirme yok.
referrals-count = { $count ->
    [one] 1 yönlendirme
   *[other] { $count } yönlendirme
}

referral-new = Yeni yönlendirme
referral-edit = Yönlendirme
referral-contact = Kim yönlendiriliyor?
referral-institution = Kurum
referral-institution-choose = Bir kurum seçin
referral-reason = Neden
referral-field-status = Durum
referral-date = Yönlendirme tarihi
referral-follow-up = Takip tarihi
referral-follow-up-short = Takip:
referral-overdue = gecikmiş
referral-due-today = bugün
referral-from-consultation = İlk danışmanlığa git
referral-consent-advice-only = Bu kişinin onayı yalnızca danışmanlığı kapsıyor. Bilgilerini kuruma iletmeden önce kendisine sorun ve genişletilmiş onayı kişi sayfasına kaydedin.

follow-up-new = Yeni hatırlatma
follow-up-edit = Hatırlatma
follow-up-due = Tarih
follow-up-note = Ne yapılacak?
follow-up-contact = Kiminle ilgili? (isteğe bağlı)
follow-up-done = Tamamlandı

household-new = Yeni hane
household-edit = Hane
household-name = Hanenin adı
household-name-hint = Aileyi nasıl anıyorsanız, ör. Yılmaz ailesi
household-members = Üyeler

contact-household-pick = Hane (isteğe bağlı)
contact-household-none = Hane yok
contact-new-household = Yeni hane
contact-new-consultation = Yeni ilk danışmanlık
contact-new-referral = Yönlendir
contact-new-follow-up = Hatırlatma
contact-consultations = { $count ->
    [one] 1 ilk danışmanlık
   *[other] { $count } ilk danışmanlık
}
contact-referrals = { $count ->
    [one] 1 yönlendirme
   *[other] { $count } yönlendirme
}

picker-search = Bir ad yazın
picker-recent = Son eklenenler:
picker-change = Değiştir
picker-unknown = Bu cihazda olmayan bir kişi
picker-new = Yeni kişi
picker-new-title = Yeni kişi
picker-new-save = Kişiyi kaydet
picker-phone-optional = Telefon (isteğe bağlı)
picker-consent-note = Bir kişi ancak onayıyla kaydedilebilir. Anonim kalmak isteyen biri yalnızca etkinlik sayımında sayılır.
