## report (tr): destekçiler için dönem raporu

more-report = Rapor
more-report-desc = Destekçiler için çeyreğin rakamları: tablolar, grafikler, CSV ve XLSX indirme.
report-title = Destekçiler için rapor
report-period-label = Dönem
report-period-range = Başlangıç … bitiş …
report-from = Başlangıç
report-to = Bitiş
report-quarter = { $year } { $quarter }. çeyrek
report-range = { $from } – { $to }
report-as-of = Bu cihazdaki verilerden hesaplandı, { $date } itibarıyla. Bu cihaza henüz ulaşmamış kayıtlar sayılmaz.
report-bad-from = Başlangıç tarihi eksik ya da geçerli bir tarih değil: bir gün seçin.
report-bad-to = Bitiş tarihi eksik ya da geçerli bir tarih değil: bir gün seçin.
report-ends-before-start = Dönem { $to } tarihinde bitiyor, yani { $from } başlangıcından önce: iki tarihin yerini değiştirin.
report-bad-year = { $year } yılı geçersiz: 1 ile 9999 arasında bir yıl seçin.
report-bad-period = Bu bir dönem değil: bir çeyrek ya da bir başlangıç ve bitiş tarihi seçin.
report-download-all = Raporun tamamını indir (CSV)
report-download-csv = CSV
report-download-all-xlsx = Raporun tamamını indir (XLSX)
report-download-xlsx = XLSX
report-col-figure = Gösterge
report-col-value = Değer
report-overview-from = Dönem başlangıcı
report-overview-to = Dönem sonu
report-overview-as-of = Verilerin tarihi
report-overview-median-days = İlk danışmanlıktan mesleki eğitime medyan gün
report-table-overview = Genel bakış
report-download-failed = Dosya kaydedilemedi. Tekrar deneyin ya da başka bir tarayıcı kullanın.

report-fig-first-consultations = İlk danışmalar
report-fig-consultations = Danışmalar
report-fig-referrals = Yönlendirmeler
report-fig-events = Etkinlikler
report-fig-attendance = Katılım
report-fig-companies-joined = Yeni eğitim veren işletmeler
report-fig-places-acquired = Kazanılan eğitim yerleri
report-fig-places-filled = Doldurulan eğitim yerleri
report-fig-active-mentors = Aktif mentorlar
report-fig-placed = Yönlendirme sonrası eğitime başlayan
report-fig-median-days = { PLURAL($count) ->
    [one] ilk danışmadan itibaren medyan { $count } gün
   *[other] ilk danışmadan itibaren medyan { $count } gün
}
report-fig-median-none = henüz kimse yerleştirilmedi

report-chart-consultations = Topluluklara göre danışmalar
report-chart-attendance = Hedef gruba göre etkinlik katılımı

report-table-first-consultations = Topluluk ve hedef gruba göre ilk danışmalar
report-table-consultations = Topluluk ve hedef gruba göre danışmalar
report-table-referrals = Topluluk ve hedef gruba göre yönlendirmeler
report-table-referrals-by-institution = Kurum ve duruma göre yönlendirmeler
report-table-events = Türe göre etkinlikler
report-table-events-by-community = Topluluğa göre etkinlikler
report-table-companies = İşletmeler
report-table-training-places = Kazanılan eğitim yerleri, bugünkü durumlarına göre
report-table-active-mentors = Aktif mentorlar
report-table-measures = Eylem planı
report-table-placements = Yönlendirme sonrası eğitime yerleşenler
report-table-placements-unlinked = Yerleştirme sayılmayan dolu yerler

report-col-community = Topluluk
report-col-institution = Kurum
report-col-event-kind = Etkinlik türü
report-col-events = Etkinlikler
report-col-in-network = Ağdaki işletmeler
report-col-in-network-licensed = bunlardan eğitim yetkisi olan
report-col-joined = Yeni katılan
report-col-joined-licensed = bunlardan eğitim yetkisi olan
report-col-places-acquired = Kazanılan yerler
report-col-active-mentors = Aktif mentorlar
report-col-action-field = Eylem alanı
report-col-measure = Önlem
report-col-owner = Sorumlu
report-col-metric = Sayılan
report-col-year = Yıl
report-col-target = Hedef
report-col-done-period = Dönemde
report-col-done-to-date = Yıl başından bugüne
report-col-percent = Hedefin %'si
report-col-median-days = Yerleşmeye kadar medyan gün
report-col-reason = Neden
report-col-places = Yerler
report-col-no-group = Hedef grup yok
report-col-total = Toplam
report-col-attendance-parent = Katılım: ebeveynler
report-col-attendance-youth = Katılım: gençler
report-col-attendance-self-employed = Katılım: işletme sahipleri
report-col-attendance = Katılım
report-row-total = Toplam
report-row-no-community = Topluluk yok (tüm ağ)
report-unlinked-unknown-person = Kişi belirtilmemiş ya da bu cihazda değil
report-unlinked-not-referred = Yerleşmeden önce yönlendirme yok
report-unlinked-referral-without-consultation = Önceki danışması olmayan yönlendirme
