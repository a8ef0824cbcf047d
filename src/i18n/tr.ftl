### Lotse, Türkçe. Terimler, her metinde aynı:
### Ausbildung: mesleki eğitim (Ausbildung), işletmede ve meslek okulunda ikili eğitim; "eğitim" tek başına değil.
### Alman kurumları Almanca adlarıyla, gerekirse açıklamayla:
### Handwerkskammer (Zanaatkârlar Odası), IHK (Sanayi ve Ticaret Odası),
### Agentur für Arbeit (Federal İş Ajansı), Jobcenter (iş ve sosyal yardım kurumu),
### Jugendmigrationsdienst (Gençler için Göç Danışmanlığı).
### Relay: eşitleme sunucusu, metinlerde "sunucu". Lotse: bir ad, çevrilmez.
### Hitap: "siz" (cümlelerde ve yönergelerde "-in/-ın", "-iniz"); düğmeler kısa kök biçimde (Kaydet, Katıl).
### Eşitleme (sync) için metinlerde "paylaşım".

app-name = Lotse
app-tagline = Veli mentorlarının not defteri

nav-contacts = Kişiler
nav-device = Bu cihaz

sync-offline = Çevrimdışı
sync-connecting = Bağlanıyor…
sync-syncing = Paylaşılıyor…
sync-synced = Hepsi paylaşıldı: { $time }
sync-pending = Telefonda kayıtlı, henüz paylaşılmadı

setup-title = Bu cihazı kurun
setup-intro = Kayıtlarınız bu telefonda kalır ve topluluğunuzun mentorlarıyla şifrelenerek paylaşılır.
setup-mentor-name = Adınız
setup-community-name = Topluluğunuz
setup-community-hint = Örneğin: Osnabrück'te Türkçe konuşan aileler
setup-save = Başla
setup-join-hint = Koordinatörünüz sizi davet etti mi? Aldığınız davet bağlantısını açın.

join-title = Topluluğunuza katılın
join-intro = Bu cihaz şu topluluğun kişilerini paylaşacak: { $community }.
join-intro-coordinator = Ağa koordinatör olarak davet edildiniz: bu cihaz { $community } ile başlar ve bir koordinatör çevrimiçi olduğunda tüm toplulukların anahtarlarını alır.
join-save = Katıl
join-error = Bu katılım bağlantısı bozuk ya da eksik. Koordinatörünüzden yeni bir davet isteyin.

contacts-title = Kişiler
contacts-search = Ad, telefon, semt veya dile göre arayın
contacts-add = Kişi ekle
contacts-empty = Henüz kişi yok. İlk kişiyi bir görüşmeden sonra ekleyin.
contacts-none-found = “{ $query }” ile eşleşen kişi yok.
contacts-count = { $count ->
    [one] { $count } kişi
   *[other] { $count } kişi
}

group-parent = Ebeveyn
group-youth = Genç
group-self-employed = İşletme sahibi

contact-new = Yeni kişi
contact-edit = Kişiyi düzenle
contact-consent-section = Onay
contact-consent-given = Kişi, bilgilerini kaydetmeme onay verdi
contact-consent-date = Onay tarihi
contact-consent-scope = Onayın kapsamı
scope-advice = Yalnızca danışmanlık
scope-advice-referral = Danışmanlık ve ilgili kurumlara yönlendirme
contact-details-section = Bilgiler
contact-target-group = Hedef grup
contact-name = Ad soyad
contact-phone = Telefon
contact-languages = Diller
contact-languages-hint = Virgülle ayırın, ör. Türkçe, Almanca
contact-district = Semt
contact-household = Hane kimliği (isteğe bağlı)
contact-notes = Notlar
contact-notes-warning = Sağlık, din veya oturum durumu hakkında not almayın.
contact-save = Kaydet
contact-cancel = Vazgeç
contact-saved = Bu cihaza kaydedildi.
save-failed-full = Kaydedilmedi: bu telefonun depolama alanı dolu. Girdikleriniz hâlâ formda; biraz yer açıp tekrar deneyin.
save-failed-refused = Kaydedilmedi: bu tarayıcı Lotse'nin burada veri saklamasına izin vermiyor (gizli pencere mi?). Girdikleriniz hâlâ formda; tekrar deneyin.
save-failed = Bu cihaza kaydedilemedi. Girdikleriniz hâlâ formda; lütfen tekrar deneyin.

error-required = Lütfen bu alanı doldurun.
error-bad-phone = Telefon numarası 6 ile 15 arası rakamdan oluşur; rakamların dışında yalnızca +, boşluk, - / ( ) olabilir.
error-bad-date = Lütfen geçerli bir tarih girin.
error-bad-time = Lütfen 18:30 gibi bir saat girin.
error-consent-missing = Önce kişinin onayını kaydedin: onay olmadan ne ad ne de numara kaydedilebilir.
error-not-an-id = Bu bir hane kimliği değil.
error-too-long = Bu çok uzun.
error-unknown-choice = Lütfen seçeneklerden birini seçin.
form-has-errors = Lütfen aşağıda işaretlenen alanları düzeltin.

device-title = Bu cihaz
device-mentor = Mentor
device-community = Topluluk
device-language = Dil
device-storage = Depolama
storage-persisted = Kalıcı: Tarayıcı, Lotse'nin verilerini kendiliğinden silmez.
storage-not-persisted = Garanti değil: Yer azaldığında tarayıcı verileri silebilir. Lotse'yi ana ekrana yükleyin.
storage-unknown = Kontrol ediliyor…
device-copy = Bağlantıyı kopyala
device-copied = Kopyalandı.
device-problems = Paylaşım sorunları

update-available = Lotse'nin yeni bir sürümü var.
update-reload = Yeniden yükle

problem-undecryptable = Sunucudan gelen bir kaydın şifresi çözülemedi; kayıt atlandı.
problem-not-automerge = Sunucudan gelen bir kayıt bozuktu; kayıt atlandı.
problem-unsigned = Sunucudan gelen bir kayıt ağın bir üyesi tarafından yazılmamıştı (ya da cihazı kaldırıldıktan sonra yazılmıştı); kayıt atlandı.
problem-relay = Sunucu bir mesajı reddetti: { $message }

store-full = Bu telefonun depolama alanı dolu. Biraz yer açın, ardından Lotse'yi yeniden yükleyin.
store-refused = Tarayıcı, Lotse'nin burada veri saklamasına izin vermiyor (gizli pencere mi?). Lotse'yi normal bir pencerede açın ya da ana ekrana yükleyin.
store-failed = Lotse bu cihazdaki depolama alanını açamadı. Sayfayı yeniden yükleyin; işe yaramazsa tarayıcıyı yeniden başlatın.
engine-restarting = Lotse depolama hizmetini yeniden başlatıyor. Kaydedilen her şey korunur.
part-missing = Lotse'nin bu bölümü henüz cihazda değil ve yüklenemedi. Bağlantı olduğunda yeniden deneyin. Kaydedilen her şey korunur.
part-retry = Yeniden dene
engine-outdated = Lotse'nin yeni bir sürümü var. Sayfayı yeniden yükleyin.
setup-save-failed = Ayarlar bu cihaza kaydedilemedi. Biraz yer açın ya da gizli moddan çıkın ve tekrar deneyin.

# A date written out in full (Today, events), as the browser writes it
# (Intl, dateStyle "full"), whose formatter costs a phone a tenth of a
# start to make. Weekdays from Monday; months in the form a date uses.
date-full = { $day } { $month } { $year } { $weekday }
date-weekday-1 = Pazartesi
date-weekday-2 = Salı
date-weekday-3 = Çarşamba
date-weekday-4 = Perşembe
date-weekday-5 = Cuma
date-weekday-6 = Cumartesi
date-weekday-7 = Pazar
date-month-1 = Ocak
date-month-2 = Şubat
date-month-3 = Mart
date-month-4 = Nisan
date-month-5 = Mayıs
date-month-6 = Haziran
date-month-7 = Temmuz
date-month-8 = Ağustos
date-month-9 = Eylül
date-month-10 = Ekim
date-month-11 = Kasım
date-month-12 = Aralık
