### Die App-Sperre: der Sperrbildschirm und die PIN auf der Geräteseite.

lock-title = Lotse ist gesperrt
lock-pin = PIN
lock-open = Öffnen
lock-delete-digit = Letzte Ziffer löschen
lock-checking = Die PIN wird geprüft …
lock-not-a-pin = Eine PIN hat 6 bis 32 Ziffern.
lock-wrong = { $count ->
    [one] Falsche PIN. Noch eine falsche PIN löscht alles auf diesem Gerät.
   *[other] Falsche PIN. Noch { $count } Versuche, dann wird alles auf diesem Gerät gelöscht.
}
lock-wiped = Zu viele falsche PINs: Alles auf diesem Gerät wurde gelöscht. Treten Sie mit einer neuen Einladung wieder bei.
lock-failed = Die PIN konnte nicht geprüft werden. Versuchen Sie es noch einmal.

applock-title = App-Sperre
applock-off = Aus. Wer dieses Gerät hat, kann das Notizbuch öffnen. Mit einer PIN öffnen sich seine Schlüssel nur mit der PIN; nach 10 falschen PINs wird alles auf diesem Gerät gelöscht und es muss neu beitreten.
applock-on = An. Das Notizbuch öffnet sich nur mit der PIN; nach 10 falschen PINs wird alles auf diesem Gerät gelöscht.
applock-current = Aktuelle PIN
applock-new = Neue PIN (mindestens 6 Ziffern)
applock-repeat = Neue PIN wiederholen
applock-set = App-Sperre einschalten
applock-change = PIN ändern
applock-remove = App-Sperre ausschalten
applock-mismatch = Die beiden neuen PINs sind verschieden.
applock-set-done = Die App-Sperre ist an.
applock-changed = Die PIN wurde geändert.
applock-removed = Die App-Sperre ist aus.
