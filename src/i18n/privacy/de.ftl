### Rechte der Menschen im Notizbuch: Auskunft (Art. 15 DSGVO),
### Speicherfrist, Löschung.

art15-action = Auskunft (Art. 15)
art15-failed = Die Auskunft konnte nicht erstellt werden: { $error }
art15-title = Auskunft nach Art. 15 DSGVO
art15-made-on = Erstellt am
art15-community = Community
art15-intro = Das sind alle Angaben, die die Servicestelle in Lotse über dich gespeichert hat.
art15-contact = Kontakt
art15-recorded-by = Einwilligung erfasst von
art15-created-on = Angelegt am
art15-created-by = Angelegt von
art15-household = Haushalt
art15-name = Name
art15-notes = Notizen
art15-household-shared = Zu diesem Haushalt gehören weitere Personen; ihre Angaben und die Notizen zum Haushalt stehen nicht in dieser Auskunft.
art15-consultations = Erstberatungen
art15-none = Keine.
art15-date = Datum
art15-topics = Themen
art15-outcome = Ergebnis
art15-mentor = Mentor*in
art15-referrals = Vermittlungen
art15-institution = Institution
art15-reason = Anlass
art15-status = Stand
art15-follow-up-on = Nachfassen am
art15-follow-ups = Wiedervorlagen
art15-due-on = Fällig am
art15-done = Erledigt
art15-yes = Ja
art15-no = Nein
art15-training-places = Ausbildungsplätze
art15-company = Betrieb
art15-occupation = Ausbildungsberuf
art15-start-on = Beginn

community-form-retention = Speicherfrist in Monaten
community-form-retention-hint = Nach so vielen Monaten ohne Aktivität werden Kontakte zur Prüfung und Löschung aufgelistet. Leer: keine Frist.

more-retention = Speicherfristen
more-retention-desc = Kontakte, deren Speicherfrist abgelaufen ist, zur Prüfung
more-erasure = Löschung
more-erasure-desc = Eine Person auf Antrag löschen (Art. 17), mit Beleg
privacy-coordinator-only = Nur Koordinator*innen beantworten Auskunfts- und Löschanträge; dieses Gerät sieht nur einen Teil der Communities.
retention-title = Speicherfristen
retention-intro = Kontakte ohne Erstberatung, Vermittlung, Wiedervorlage oder Ausbildungsplatz seit mehr als der Speicherfrist ihrer Community. Die Frist stellst du auf der Seite der Community ein.
retention-none-set = Keine Community hat eine Speicherfrist.
retention-community = { $community }: Speicherfrist in Monaten: { $months }
retention-count = { $count ->
    [one] { $count } Kontakt über der Frist
   *[other] { $count } Kontakte über der Frist
}
retention-last-activity = Zuletzt aktiv:
erasure-title = Löschung (Art. 17)
erasure-intro = Wähle die Person, die die Löschung beantragt hat. Lotse zeigt alles, was sie nennt.
erasure-contact = Person
erasure-requested-on = Antrag vom
erasure-pick-first = Wähle zuerst eine Person.
erasure-removes = Wird entfernt
erasure-unlinks = Bleibt, verliert nur die Verknüpfung zur Person
erasure-days = So lange haben die Geräte Zeit, auf die neue Fassung umzuziehen
erasure-days-option = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
erasure-erase = Diese Person löschen
erasure-confirm-text = Alles oben Aufgeführte wird samt Verlauf von jedem Gerät und vom Relay entfernt. Das lässt sich nicht rückgängig machen.
erasure-confirm = Jetzt löschen
erasure-cancel = Abbrechen
erasure-working = Wird gelöscht …
erasure-done = Auf diesem Gerät gelöscht. Jedes andere Gerät zieht bei seinem nächsten Abgleich auf die neue Fassung der Community um; der Beleg steht unten.
erasure-not-synced = Dieses Gerät muss zuerst abgleichen: Verbinde es und warte, bis nichts mehr zum Senden wartet, dann versuche es noch einmal.
erasure-busy = Eine Löschung in dieser Community läuft noch. Versuche es noch einmal, wenn alle Geräte umgezogen sind.
erasure-failed = Die Löschung hat nicht begonnen: { $why }
erasure-receipts = Löschungen von diesem Gerät
erasure-receipt-requested = Antrag vom { $date }
erasure-receipt-made = Gelöscht am { $time }
erasure-device-moved = umgezogen
erasure-device-waiting = noch nicht umgezogen
erasure-device-gone = aus dem Netzwerk entfernt, wird nicht abgewartet
erasure-relay-deletes = Das Relay löscht die alte Fassung, sobald alle Geräte umgezogen sind, spätestens am { $date }; ein Gerät, das bis dahin nicht umgezogen ist, muss neu beitreten.
erasure-relay-deleted = Alle Geräte sind umgezogen: Das Relay hat die alte Fassung gelöscht.
retention-erase-all = { $count ->
    [one] Den { $count } Kontakt nach Ablauf der Frist löschen
   *[other] Alle { $count } Kontakte nach Ablauf der Frist löschen
}
erasure-network = das Netzwerk
erasure-receipt-removed = Entfernt: { $what }
erasure-receipt-unlinked = Behalten, Verknüpfung zur Person gelöst: { $what }
erasure-device-dropped = hat verworfen, was es offline über die Person schrieb: { $what }
wiped-wrong-pins = Dieses Handy wurde nach zu vielen falschen PINs geleert. Richte es neu ein oder tritt mit einer neuen Einladung deiner Koordinator*in bei.
wiped-left-behind = Dieses Handy wurde geleert: Nach einer Löschung ist es nicht rechtzeitig auf die neue Fassung seiner Community umgezogen, und das Relay lässt es nicht mehr abgleichen. Bitte deine Koordinator*in um eine neue Einladung.
erasure-device-moved-at = umgezogen (gesehen am { $time })
erasure-relay-deleted-at = Alle Geräte sind umgezogen (gesehen am { $time }): Das Relay hat da die alte Fassung gelöscht.
