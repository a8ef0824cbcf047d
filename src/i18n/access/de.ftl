### Zugang: Mentor*innen einladen, mit einer Einladung beitreten, und ob das
### Relay dieses Gerät synchronisieren lässt.

invite-title = Mentor*in einladen
invite-hint = Mit dem Link tritt ein neues Gerät { $community } bei, einmal. Er enthält keinen Schlüssel: Das neue Gerät bekommt die Schlüssel von diesem Gerät, sobald beide online waren. Schicke ihn nur der Person, die du einlädst.
invite-valid-for = Gültig für
invite-valid-hour = 1 Stunde
invite-valid-day = 1 Tag
invite-valid-week = 7 Tage
invite-create = Einladung erstellen
invite-expires = Gültig bis { $time }, für ein Gerät.
invite-pending = Noch nicht beim Relay: Die Einladung gilt, sobald dieses Gerät online war.
invite-stored = Bereit: Die Einladung ist beim Relay.
invite-refused = Das Relay hat diese Einladung nicht angenommen. Erstelle eine neue.
invite-failed = Die Einladung ließ sich nicht erstellen. Versuche es erneut.
invite-coordinator-only = Nur Koordinator*innen können neue Mentor*innen einladen. Für ein weiteres Gerät bitte deine*n Koordinator*in um eine Einladung.

join-no-invitation = Dieser Link enthält keine Einladung. Bitte deine*n Koordinator*in um eine neue Einladung.

access-waiting = Warte darauf, dass das Gerät deiner*deines Koordinator*in die Einladung bestätigt. Danach öffnet sich das Notizbuch.
access-awaiting-keys = Du bist aufgenommen. Das Gerät deiner*deines Koordinator*in schickt dir die Schlüssel der Community, sobald es online ist. Bis dahin bleibt das Notizbuch leer.
access-not-admitted = Dieses Gerät ist nicht ins Netzwerk aufgenommen. Bitte deine*n Koordinator*in um eine neue Einladung.
access-retired = Dieses Gerät wurde aus dem Netzwerk entfernt. Wende dich an deine*n Koordinator*in.
access-invitation-refused = Diese Einladung wurde schon benutzt oder ist abgelaufen. Bitte deine*n Koordinator*in um eine neue Einladung.
sync-waiting = Wartet auf Bestätigung
sync-refused = Keine Synchronisation
