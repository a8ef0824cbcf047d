## events (tr): etkinlikler ve katılımcı sayıları

events-title = Etkinlikler
events-count = { $count ->
    [one] { $count } etkinlik
   *[other] { $count } etkinlik
}
events-search = Başlık veya okula göre arayın
events-filters = Filtreler
events-filter-kind = Tür
events-filter-all-kinds = Tüm türler
events-filter-community = Topluluk
events-filter-all-communities = Tüm topluluklar
events-filter-period = Dönem
events-period-all = Tüm zamanlar
events-period-upcoming = Bugünden itibaren
events-period-month = Bu ay
events-period-quarter = Bu çeyrek
events-period-year = Bu yıl
events-filter-reset = Filtreleri sıfırla
events-empty = Henüz etkinlik yok. Bir bilgilendirme toplantısından sonra “Yeni etkinlik”e dokunun.
events-none-found = Arama ve filtrelerle eşleşen etkinlik yok.
events-show-more = { $count ->
    [one] { $count } tane daha göster
   *[other] { $count } tane daha göster
}
events-add = Yeni etkinlik
events-attendance = { $count ->
    [one] { $count } kişi
   *[other] { $count } kişi
}

event-form-new = Yeni etkinlik
event-form-edit = Etkinlik
event-form-what = Ne ve ne zaman
event-form-kind = Etkinlik türü
event-form-date = Tarih
event-form-time = Saat
event-form-place = Yer
event-form-tally = Kimler geldi?
event-form-tally-hint = Burada isim kaydedilmez: onay vermemiş kişiler yalnızca sayılır. Her kişi için bir kez + düğmesine dokunun.
event-form-tally-parent = Veliler
event-form-tally-youth = Gençler
event-form-tally-self-employed = İşletme sahipleri
event-form-tally-minus = bir kişi eksilt
event-form-tally-plus = bir kişi ekle
event-form-tally-total = { $count ->
    [one] Toplam: { $count } kişi
   *[other] Toplam: { $count } kişi
}
event-form-tally-unsaved = Sayım henüz kaydedilmedi. Bitince “Kaydet”e dokunun.
event-form-details = Bilgiler
event-form-school = Okul
event-form-title = Başlık
event-form-title-hint = İsteğe bağlı, ör. “Veli akşamı: zanaat mesleklerinde Ausbildung”
event-form-company = İşletme
event-form-no-company = İşletme seçilmedi
event-form-partner = Göçmen derneği (ortak düzenleyen)
event-form-no-partner = Yok
event-form-community = Topluluk
event-form-no-community = Tüm topluluklar (ağ genelinde)
events-period-past = Geçmiş
events-show-past = Geçmiş etkinlikleri göster
events-show-upcoming = Yaklaşan etkinlikleri göster
