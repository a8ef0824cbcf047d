### Zugang: Mentor*innen einladen, mit einer Einladung beitreten, und ob der
### Server dieses Gerät Einträge teilen lässt.

invite-title = Einladen
invite-hint = Mit dem Link tritt ein neues Gerät { $community } bei, einmal. Er enthält keinen Schlüssel: Das neue Gerät bekommt die Schlüssel von diesem Gerät, sobald beide online waren. Schicke ihn nur der Person, die du einlädst.
invite-community = Community
invite-valid-for = Gültig für
invite-valid-hour = 1 Stunde
invite-valid-day = 1 Tag
invite-valid-week = 7 Tage
invite-create = Einladung erstellen
invite-expires = Gültig bis { $time }, für ein Gerät.
invite-pending = Noch nicht gesendet: Die Einladung gilt, sobald dieses Gerät online war.
invite-stored = Bereit: Die Einladung kann jetzt benutzt werden.
invite-refused = Der Server hat diese Einladung nicht angenommen. Erstelle eine neue.
invite-failed = Die Einladung ließ sich nicht erstellen. Versuche es erneut.
invite-coordinator-only = Nur Koordinator*innen können neue Mentor*innen einladen. Für ein weiteres Gerät bitte deine*n Koordinator*in um eine Einladung.

join-no-invitation = Dieser Link enthält keine Einladung. Bitte deine*n Koordinator*in um eine neue Einladung.

access-waiting = Warte darauf, dass das Gerät deiner*deines Koordinator*in die Einladung bestätigt. Danach öffnet sich das Notizbuch.
access-awaiting-keys = Du bist aufgenommen. Das Gerät deiner*deines Koordinator*in schickt dir die Schlüssel der Community, sobald es online ist. Bis dahin bleibt das Notizbuch leer.
access-not-admitted = Dieses Gerät ist nicht ins Netzwerk aufgenommen. Bitte deine*n Koordinator*in um eine neue Einladung.
access-retired = Dieses Gerät wurde aus dem Netzwerk entfernt. Wende dich an deine*n Koordinator*in.
access-invitation-refused = Diese Einladung wurde schon benutzt oder ist abgelaufen. Bitte deine*n Koordinator*in um eine neue Einladung.
sync-waiting = Wartet auf Bestätigung
sync-refused = Kein Teilen möglich

## Der Name und der QR-Code einer Einladung, und die Geräte des Netzwerks.

invite-name = Für wen ist die Einladung?
invite-name-hint = Der Name bleibt verschlüsselt im Notizbuch des Netzwerks: Der Server erfährt ihn nie.
invite-qr-label = QR-Code des Beitrittslinks: Scanne ihn mit der Kamera des neuen Handys
devices-open = Geräte des Netzwerks
devices-title = Geräte des Netzwerks
devices-hint = Alle Handys und Computer, die Einträge mit dem Netzwerk teilen dürfen. Ein entferntes Gerät ist sofort abgeschnitten.
devices-not-read = Die Liste kommt aus dem Netzwerk: Sie erscheint, sobald dieses Gerät online war.
devices-coordinator-only = Nur Koordinator*innen sehen und entfernen die Geräte des Netzwerks.
devices-every-community = alle Communities
devices-unknown-community = eine Community, die dieses Gerät nicht hat
devices-no-community = keine Community
devices-last-coordinator = Das Netzwerk braucht eine*n Koordinator*in: Das letzte Gerät einer Koordinator*in lässt sich nicht entfernen.
devices-not-this-device = Dieses Gerät kann sich nicht selbst entfernen.
devices-already-removed = Dieses Gerät ist schon entfernt.
devices-remove-failed = Das Gerät ließ sich nicht entfernen. Versuche es erneut.
devices-phone-of = Handy von { $name }
devices-this-device = Dieses Gerät
devices-device = Gerät { $key }
devices-role-coordinator = Koordinator*in
devices-role-mentor = Mentor*in
devices-joined = Beigetreten als Eintrag { $position } der Mitgliedschaft
devices-remove = Aus dem Netzwerk entfernen
devices-confirm = { $name } aus dem Netzwerk entfernen?
devices-confirm-no-sync = Das Handy kann nichts mehr teilen und bekommt nichts Neues.
devices-confirm-keeps = Was darauf ist, bleibt darauf: Dort wird nichts gelöscht.
devices-confirm-reaches-nobody = Was danach darauf geschrieben wird, erreicht niemanden.
devices-remove-yes = Ja, entfernen
devices-remove-cancel = Abbrechen
devices-removed = Aus dem Netzwerk entfernt
devices-removing = Hier entfernt, wartet darauf, das Netzwerk zu erreichen
devices-invitations = Offene Einladungen
devices-no-invitations = Keine Einladung wartet darauf, benutzt zu werden.
devices-invitation-for = Einladung für { $name }
devices-invitation = Einladung ohne Namen
devices-invite = Jemanden einladen
invite-role = Einladen als
invite-role-mentor = Mentor*in einer Community
invite-role-coordinator = Koordinator*in (alle Communities)
invite-hint-coordinator = Mit dem Link tritt ein neues Gerät dem Netzwerk als Koordinator*in bei, einmal. Es bekommt die Schlüssel aller Communities von diesem Gerät, sobald beide online waren, und darf dann alles lesen, einladen und Geräte entfernen. Schicke ihn nur der Person, die du einlädst.
devices-remembered = So hat dieses Gerät das Netzwerk zuletzt gesehen. Es liest es neu, sobald es online ist.
devices-last-sync = Zuletzt synchronisiert: { $time }
devices-never-synced = Hat noch keine Synchronisierung gemeldet
devices-storage-kept = Speicher dauerhaft: Der Browser löscht ihn nicht von selbst
devices-storage-not-kept = Speicher nicht gesichert: Der Browser kann ihn löschen
