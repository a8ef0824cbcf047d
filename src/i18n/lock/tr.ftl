### Uygulama kilidi: kilit ekranı ve cihaz sayfasındaki PIN.

lock-title = Lotse kilitli
lock-pin = PIN
lock-open = Aç
lock-delete-digit = Son rakamı sil
lock-checking = PIN kontrol ediliyor…
lock-not-a-pin = PIN 6 ile 32 rakamdan oluşur.
lock-wrong = { $count ->
    [one] Yanlış PIN. Bir yanlış PIN daha bu cihazdaki her şeyi siler.
   *[other] Yanlış PIN. { $count } deneme hakkı kaldı, sonra bu cihazdaki her şey silinir.
}
lock-wiped = Çok fazla yanlış PIN: bu cihazdaki her şey silindi. Yeni bir davetle yeniden katılın.
lock-failed = PIN kontrol edilemedi. Tekrar deneyin.

applock-title = Uygulama kilidi
applock-off = Kapalı. Bu cihazı elinde tutan herkes defteri açabilir. PIN ile anahtarlar yalnızca PIN ile açılır; PIN 10 kez yanlış girilirse bu cihazdaki her şey silinir ve cihaz yeniden katılmalıdır.
applock-on = Açık. Defter yalnızca PIN ile açılır; PIN 10 kez yanlış girilirse bu cihazdaki her şey silinir.
applock-current = Mevcut PIN
applock-new = Yeni PIN (en az 6 rakam)
applock-repeat = Yeni PIN'i tekrarlayın
applock-set = Uygulama kilidini aç
applock-change = PIN'i değiştir
applock-remove = Uygulama kilidini kapat
applock-mismatch = İki yeni PIN birbirinden farklı.
applock-set-done = Uygulama kilidi açık.
applock-changed = PIN değiştirildi.
applock-removed = Uygulama kilidi kapalı.
