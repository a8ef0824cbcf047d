### Erişim: mentor davet etmek, davetle katılmak ve sunucunun bu cihazın
### eşitlenmesine izin verip vermediği.

invite-title = Davet et
invite-hint = Bu bağlantıyla yeni bir cihaz bir kez şu topluluğa katılır: { $community }. Bağlantı anahtar içermez: yeni cihaz anahtarları, iki cihaz da çevrimiçi olduğunda bu cihazdan alır. Yalnızca davet ettiğiniz kişiye gönderin.
invite-community = Topluluk
invite-valid-for = Geçerlilik süresi
invite-valid-hour = 1 saat
invite-valid-day = 1 gün
invite-valid-week = 7 gün
invite-create = Davet oluştur
invite-expires = Geçerlilik: { $time } tarihine kadar, tek bir cihaz için.
invite-pending = Henüz gönderilmedi: davet, bu cihaz internete bağlandıktan sonra geçerli olur.
invite-stored = Hazır: davet artık kullanılabilir.
invite-refused = Sunucu bu daveti kabul etmedi. Yeni bir davet oluşturun.
invite-failed = Davet oluşturulamadı. Tekrar deneyin.
invite-coordinator-only = Yeni mentorları yalnızca koordinatörler davet edebilir. Başka bir cihazınız için koordinatörünüzden davet isteyin.

join-no-invitation = Bu bağlantıda davet yok. Koordinatörünüzden yeni bir davet isteyin.

access-waiting = Koordinatörünüzün cihazının daveti onaylaması bekleniyor. Ardından not defteri açılır.
access-awaiting-keys = Ağa kabul edildiniz. Koordinatörünüzün cihazı, çevrimiçi olur olmaz topluluğun anahtarlarını size gönderir. O zamana kadar not defteri boş kalır.
access-not-admitted = Bu cihaz ağa kabul edilmedi. Koordinatörünüzden yeni bir davet isteyin.
access-retired = Bu cihaz ağdan çıkarıldı. Koordinatörünüzle görüşün.
access-invitation-refused = Bu davet zaten kullanılmış ya da süresi dolmuş. Koordinatörünüzden yeni bir davet isteyin.
sync-waiting = Onay bekleniyor
sync-refused = Paylaşılmıyor

## Davetin adı ve QR kodu, ağın cihazları.

invite-name = Davet kimin için?
invite-name-hint = Ad, ağın defterinde şifreli kalır: sunucu onu asla öğrenmez.
invite-qr-label = Katılma bağlantısının QR kodu: Yeni telefonun kamerasıyla tarayın
devices-open = Ağın cihazları
devices-title = Ağın cihazları
devices-hint = Ağ ile veri paylaşabilen tüm telefonlar ve bilgisayarlar. Çıkarılan bir cihazın bağlantısı hemen kesilir.
devices-not-read = Liste ağdan gelir: bu cihaz bir kez internete bağlanınca görünür.
devices-coordinator-only = Ağın cihazlarını yalnızca koordinatörler görür ve çıkarır.
devices-every-community = tüm topluluklar
devices-unknown-community = bu cihazda olmayan bir topluluk
devices-no-community = topluluk yok
devices-last-coordinator = Ağın bir koordinatöre ihtiyacı var: Son koordinatör çıkarılamaz.
devices-not-this-device = Bu cihaz kendini çıkaramaz.
devices-already-removed = Bu cihaz zaten çıkarıldı.
devices-remove-failed = Cihaz çıkarılamadı. Tekrar deneyin.
devices-phone-of = { $name } adlı kişinin telefonu
devices-this-device = Bu cihaz
devices-device = Cihaz { $key }
devices-role-coordinator = Koordinatör
devices-role-mentor = Mentor
devices-joined = Üyelik kaydının { $position }. girdisi olarak katıldı
devices-remove = Ağdan çıkar
devices-confirm = { $name } ağdan çıkarılsın mı?
devices-confirm-no-sync = Telefon artık veri paylaşamaz.
devices-confirm-keeps = Üzerindekiler üzerinde kalır: Orada hiçbir şey silinmez.
devices-confirm-reaches-nobody = Sonradan yazdıkları kimseye ulaşmaz.
devices-remove-yes = Evet, çıkar
devices-remove-cancel = Vazgeç
devices-removed = Ağdan çıkarıldı
devices-removing = Burada çıkarıldı, ağa ulaşmayı bekliyor
devices-invitations = Açık davetler
devices-no-invitations = Kullanılmayı bekleyen davet yok.
devices-invitation-for = { $name } için davet
devices-invitation = Adsız davet
devices-invite = Birini davet et
invite-role = Davet türü
invite-role-mentor = Bir topluluğun mentoru
invite-role-coordinator = Koordinatör (tüm topluluklar)
invite-hint-coordinator = Bu bağlantıyla yeni bir cihaz ağa bir kez koordinatör olarak katılır. İki cihaz da çevrimiçi olduğunda tüm toplulukların anahtarlarını bu cihazdan alır; sonra her şeyi okuyabilir, davet edebilir ve cihazları kaldırabilir. Yalnızca davet ettiğiniz kişiye gönderin.
devices-remembered = Ağ, bu cihazın en son gördüğü haliyle gösteriliyor. Çevrimiçi olunca yeniden okunur.
devices-last-sync = Son eşitleme: { $time }
devices-never-synced = Henüz bir eşitleme bildirmedi
devices-storage-kept = Depolama kalıcı: tarayıcı kendiliğinden silmez
devices-storage-not-kept = Depolama güvencede değil: tarayıcı silebilir
