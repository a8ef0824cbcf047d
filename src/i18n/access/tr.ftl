### Erişim: mentor davet etmek, davetle katılmak ve sunucunun bu cihazın
### eşitlenmesine izin verip vermediği.

invite-title = Mentor davet edin
invite-hint = Bu bağlantıyla yeni bir cihaz bir kez şu topluluğa katılır: { $community }. Bağlantı anahtar içermez: yeni cihaz anahtarları, iki cihaz da çevrimiçi olduğunda bu cihazdan alır. Yalnızca davet ettiğiniz kişiye gönderin.
invite-valid-for = Geçerlilik süresi
invite-valid-hour = 1 saat
invite-valid-day = 1 gün
invite-valid-week = 7 gün
invite-create = Davet oluştur
invite-expires = Geçerlilik: { $time } tarihine kadar, tek bir cihaz için.
invite-pending = Henüz sunucuda değil: davet, bu cihaz çevrimiçi olduktan sonra geçerli olur.
invite-stored = Hazır: davet sunucuda.
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
sync-refused = Eşitleme yok
