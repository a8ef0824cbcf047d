## network (tr): Diğer, işletmeler, Ausbildung yerleri, kurumlar, ağ, eylem planı

net-all = Tümü
net-period-month = bu ay
net-period-quarter = bu çeyrek
net-period-year = bu yıl
net-filters = Filtreler
net-filters-on = { $count ->
    [one] Filtreler ({ $count } etkin)
   *[other] Filtreler ({ $count } etkin)
}
net-show-more = { $count ->
    [one] { $count } tane daha göster
   *[other] { $count } tane daha göster
}

more-title = Diğer
more-referrals = Yönlendirmeler
more-referrals-desc = Kim hangi kuruma yönlendirildi ve neler hâlâ açık.
more-companies = İşletmeler
more-companies-desc = Ausbildung veren işletme sahiplerinin ağı ve Ausbildung yerleri.
more-institutions = Kurumlar
more-institutions-desc = Meslek danışmanlığı, Jobcenter, odalar, danışma servisleri: kişilerin yönlendirildiği yerler.
more-network = Ağ
more-network-desc = Topluluklar, mentorlar ve göçmen dernekleri.
more-action-plan = Eylem planı
more-action-plan-desc = Bu yılın önlemleri ve ne kadar ilerledikleri.
more-device = Bu cihaz
more-device-desc = Adınız, dil, depolama ve yeni mentorlar için davetler.

companies-title = İşletmeler
companies-intro = Göç geçmişine sahip işletme sahiplerinin Ausbildung veren ya da vermek isteyen işletmeleri.
companies-count = { $count ->
    [one] { $count } işletme
   *[other] { $count } işletme
}
companies-search = Ad, sektör veya yetkili kişiye göre arayın
companies-search-placeholder = Ad, sektör, yetkili kişi
companies-filter-chamber = Oda
companies-filter-licence = Eğitici yeterliliği
companies-filter-community = Topluluk
companies-filter-period = Ağa katılma
companies-empty = Ağda henüz işletme yok. İlkini ekleyin.
companies-none-found = Arama ve filtrelerle eşleşen işletme yok.
companies-places = Ausbildung yerleri:
companies-add = İşletme ekle

company-new = Yeni işletme
company-edit = İşletmeyi düzenle
company-name = İşletmenin adı
company-trade = Sektör
company-chamber = Oda
company-licence = Eğitici yeterliliği (AEVO)
company-contact-person = Yetkili kişi
company-phone = Telefon
company-community = Topluluk
company-no-community = Topluluk yok
company-member-since = Ağa katılma tarihi
company-places = Ausbildung yerleri
company-places-count = { $count ->
    [one] { $count } yer
   *[other] { $count } yer
}
company-places-empty = Henüz Ausbildung yeri kaydedilmedi.
company-place-start = Başlangıç:
company-place-filled-by = Yerleşen:
company-add-place = Ausbildung yeri ekle

training-place-new = Yeni Ausbildung yeri
training-place-edit = Ausbildung yerini düzenle
training-place-company = İşletme
training-place-pick-company = İşletme seçin
training-place-occupation = Meslek (Ausbildungsberuf)
training-place-start = Ausbildung başlangıcı
training-place-status = Durum
training-place-acquired = Kazanılma tarihi
training-place-filled-by = Yerleşen kişi
training-place-youth-hint = Ad toplulukta kalır; ağ yalnızca yerin dolduğunu öğrenir.
training-place-other-community = başka bir topluluktan bir kişi

institutions-title = Kurumlar
institutions-intro = Mentorların kişileri yönlendirdiği kurumlar. Her cihaz aynı listeyi görür.
institutions-count = { $count ->
    [one] { $count } kurum
   *[other] { $count } kurum
}
institutions-empty = Henüz kurum yok.
institutions-referrals = { $count ->
    [one] { $count } yönlendirme
   *[other] { $count } yönlendirme
}
institutions-add = Kurum ekle

institution-form-new = Yeni kurum
institution-form-edit = Kurumu düzenle
institution-form-name = Ad
institution-form-kind = Tür
institution-form-address = Adres
institution-form-phone = Telefon

network-title = Ağ
network-intro = Ağda kimler çalışıyor: topluluklar, mentorlar, koordinatörler ve göçmen dernekleri.
network-communities = Topluluklar
network-communities-count = { $count ->
    [one] { $count } topluluk
   *[other] { $count } topluluk
}
network-mentors-count = { $count ->
    [one] { $count } mentor
   *[other] { $count } mentor
}
network-contacts-count = { $count ->
    [one] { $count } kişi
   *[other] { $count } kişi
}
network-add-community = Topluluk ekle
network-mentors = Mentorlar ve koordinatörler
network-inactive = etkin değil
network-add-mentor = Kişi ekle
network-partners = Göçmen dernekleri
network-partners-count = { $count ->
    [one] { $count } dernek
   *[other] { $count } dernek
}
network-partners-empty = Henüz göçmen derneği yok.
network-add-partner = Dernek ekle

community-form-new = Yeni topluluk
community-form-edit = Topluluğu düzenle
community-form-new-hint = Yeni topluluk ardından ağ listesinde görünür. Mentorlar topluluğun kişilerini, topluluğu tutan bir cihazdan gelen katılım bağlantısıyla paylaşır.
community-form-name = Ad
community-form-name-hint = Örneğin: Osnabrück'te Arapça konuşan aileler
community-form-languages = Diller
community-form-languages-hint = Virgülle ayırın, örn. Arapça, Kürtçe

profile-new = Ağda yeni kişi
profile-edit = Kişiyi düzenle
profile-new-hint = Lotse'yi kendi cihazında kullanan herkes burada kendiliğinden görünür. Kendi cihazı olmayan kişileri burada ekleyin.
profile-name = Ad
profile-role = Rol
profile-community = Topluluk
profile-no-community = Topluluk yok
profile-languages = Diller
profile-languages-hint = Virgülle ayırın, örn. Türkçe, Almanca
profile-active = Ağda etkin

partner-new = Yeni göçmen derneği
partner-edit = Göçmen derneğini düzenle
partner-name = Derneğin adı
partner-community = Topluluk
partner-no-community = Topluluk yok
partner-contact-person = Yetkili kişi
partner-phone = Telefon

plan-title = Eylem planı
plan-intro = Yılın önlemleri ve hedef sayıları; ilerleme kayıtlardan sayılır.
plan-year = Yıl
plan-measures-count = { $count ->
    [one] { $count } önlem
   *[other] { $count } önlem
}
plan-field-empty = Bu yıl için henüz önlem yok.
plan-progress = Durum:
plan-of = /
plan-met = Hedefe ulaşıldı
plan-add = Önlem ekle

measure-new = Yeni önlem
measure-edit = Önlemi düzenle
measure-field = Eylem alanı
measure-title = Başlık
measure-owner = Sorumlu
measure-target = Hedef sayı
measure-year = Yıl
measure-metric = Sayılan
measure-event-kind = Etkinlik türü
measure-any-kind = Tüm türler
measure-counts-hint = Lotse ilerlemeyi bu cihazdaki tüm toplulukların bu yılki kayıtlarından sayar.
