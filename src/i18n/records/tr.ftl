## records (tr): sabit listelerin adları

error-not-a-number = Lütfen tam sayı girin.
error-out-of-range = Bu sayı ya da tarih burada mümkün değil.

topic-orientation = Meslek yönlendirmesi
topic-training-place = Meslek eğitimi yeri arama
topic-applications = Başvurular
topic-internships = Stajlar
topic-recognition = Yurt dışı diplomalarının tanınması
topic-training-licence = İşletme için eğitim yetkisi
topic-funding = Destek ve teşvikler

outcome-informed = Bilgilendirildi
outcome-referred = Bir kuruma yönlendirildi
outcome-follow-up = Takip görüşmesi kararlaştırıldı
outcome-place-found = Eğitim yeri bulundu
outcome-no-need = Başka ihtiyaç yok

referral-status-open = Açık
referral-status-contacted = İletişime geçildi
referral-status-done = Tamamlandı
referral-status-no-show = Gelmedi

role-mentor = Veli mentoru
role-coordinator = Koordinatör

institution-kind-career-guidance = Meslek danışmanlığı
institution-kind-jobcenter = Jobcenter
institution-kind-hwk = Zanaatkârlar Odası (HWK)
institution-kind-ihk = Sanayi ve Ticaret Odası (IHK)
institution-kind-youth-migration = Gençlik Göç Servisi
institution-kind-adult-migration = Yetişkinler için göç danışmanlığı
institution-kind-school = Okul
institution-kind-other = Diğer

event-kind-school-info = Okulda bilgilendirme toplantısı
event-kind-open-day = Açık kapı günü
event-kind-company-visit = İşletme ziyareti
event-kind-parent-evening = Veli akşamı
event-kind-network-meeting = Ağ toplantısı
event-kind-mentor-training = Mentor eğitimi

chamber-hwk = HWK (zanaat)
chamber-ihk = IHK (sanayi ve ticaret)

licence-none = Eğitici yeterliliği yok
licence-in-preparation = Eğitici yeterliliği hazırlanıyor
licence-has = Eğitici yeterliliği var

place-status-acquired = Kazanıldı
place-status-offered = Sunuldu
place-status-filled = Dolduruldu

action-field-school-to-work = Okuldan mesleğe geçiş
action-field-self-employed = Serbest meslek sahiplerine destek
action-field-network = Ağ çalışması

metric-events = Yapılan etkinlikler
metric-attendance = Etkinliklerde ulaşılan kişiler
metric-consultations = Danışmalar
metric-referrals = Yönlendirmeler
metric-companies-joined = Ağa katılan işletmeler
metric-companies-licensed = Eğitim yetkisi olan işletmeler
metric-places-acquired = Kazanılan eğitim yerleri
metric-places-filled = Doldurulan eğitim yerleri

record-not-found = Bu kayıt bu cihazda yok.
form-notes = Notlar
nav-today = Bugün
nav-consultations = Danışma
nav-events = Etkinlikler
nav-more = Daha fazla
draft-restored = Yarım kalan girişiniz geri geldi. Kontrol edip kaydedin.

demo-title = Demo verileri
demo-working = Bu cihaz hayali bir ağla dolduruluyor: topluluklar, mentorlar, bir yıllık danışma ve etkinlikler…
demo-failed = Demo verileri bu cihaza yazılamadı. Tekrar denemek için sayfayı yenileyin.
demo-fictional = Demodaki tüm kişiler, aileler, dernekler ve işletmeler hayalidir.
demo-try = Demo verileriyle deneyin
record-edit = Düzenle
list-download-label = Listeyi indir
list-download-csv = Listeyi CSV olarak indir
list-download-xlsx = Listeyi XLSX olarak indir
