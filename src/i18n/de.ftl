### Lotse, Deutsch. Begriffe, in allen Texten gleich:
### Ausbildung: duale Berufsausbildung. Institutionen mit ihrem deutschen Namen:
### Handwerkskammer, IHK, Agentur für Arbeit, Jobcenter, Jugendmigrationsdienst.
### Server: der Server der Servicestelle, über den Geräte Einträge teilen (technisch: das Relay). Lotse: ein Name.

app-name = Lotse
app-tagline = Das Notizbuch der Elternmentor*innen

nav-contacts = Kontakte
nav-device = Dieses Gerät

sync-offline = Offline
sync-connecting = Verbinde…
sync-syncing = Wird geteilt…
sync-synced = Alles geteilt um { $time }
sync-pending = Auf dem Handy gespeichert, noch nicht geteilt

setup-title = Dieses Gerät einrichten
setup-intro = Deine Einträge bleiben auf diesem Handy und werden verschlüsselt mit den Mentor*innen deiner Community geteilt.
setup-mentor-name = Dein Name
setup-community-name = Deine Community
setup-community-hint = Zum Beispiel: Türkischsprachige Familien Osnabrück
setup-save = Los geht’s
setup-join-hint = Von deiner*deinem Koordinator*in eingeladen? Öffne den Einladungslink, den du bekommen hast.

join-title = Deiner Community beitreten
join-intro = Dieses Gerät teilt die Kontakte von { $community }.
join-intro-coordinator = Du wirst als Koordinator*in des Netzwerks eingeladen: Dieses Gerät beginnt mit { $community } und bekommt die Schlüssel aller Communities, sobald eine Koordinator*in online war.
join-save = Beitreten
join-error = Dieser Beitrittslink ist beschädigt oder unvollständig. Bitte deine*n Koordinator*in um eine neue Einladung.

contacts-title = Kontakte
contacts-search = Suche nach Name, Telefon, Stadtteil oder Sprache
contacts-add = Kontakt anlegen
contacts-empty = Noch keine Kontakte. Lege nach einem Gespräch den ersten an.
contacts-none-found = Kein Kontakt passt zu „{ $query }“.
contacts-count = { $count ->
    [one] 1 Kontakt
   *[other] { $count } Kontakte
}

group-parent = Elternteil
group-youth = Jugendliche*r
group-self-employed = Unternehmer*in

contact-new = Neuer Kontakt
contact-edit = Kontakt bearbeiten
contact-consent-section = Einwilligung
contact-consent-given = Die Person ist einverstanden, dass ich ihre Angaben speichere
contact-consent-date = Einwilligung erteilt am
contact-consent-scope = Einwilligung umfasst
scope-advice = Nur Beratung
scope-advice-referral = Beratung und Vermittlung an Regelinstitutionen
contact-details-section = Angaben
contact-target-group = Zielgruppe
contact-name = Name
contact-phone = Telefon
contact-languages = Sprachen
contact-languages-hint = Durch Kommas getrennt, z. B. Türkisch, Deutsch
contact-district = Stadtteil
contact-household = Haushalt (ID, optional)
contact-notes = Notizen
contact-notes-warning = Keine Angaben zu Gesundheit, Religion oder Aufenthaltsstatus notieren.
contact-save = Speichern
contact-cancel = Abbrechen
contact-saved = Auf diesem Gerät gespeichert.
save-failed-full = Nicht gespeichert: Der Speicher dieses Handys ist voll. Deine Eingaben stehen noch im Formular; gib etwas Platz frei und versuche es erneut.
save-failed-refused = Nicht gespeichert: Dieser Browser lässt Lotse hier nichts speichern (ein privates Fenster?). Deine Eingaben stehen noch im Formular; versuche es erneut.
save-failed = Speichern auf diesem Gerät fehlgeschlagen. Deine Eingaben stehen noch im Formular; versuche es erneut.

error-required = Bitte ausfüllen.
error-bad-phone = Eine Telefonnummer hat 6 bis 15 Ziffern; daneben nur +, Leerzeichen, - / ( ).
error-bad-date = Bitte ein gültiges Datum angeben.
error-bad-time = Bitte eine Uhrzeit wie 18:30 angeben.
error-consent-missing = Erst die Einwilligung erfassen: ohne sie darf weder Name noch Nummer gespeichert werden.
error-not-an-id = Das ist keine Haushalts-ID.
error-too-long = Das ist zu lang.
error-unknown-choice = Bitte eine der Möglichkeiten wählen.
form-has-errors = Bitte die markierten Felder korrigieren.

device-title = Dieses Gerät
device-mentor = Mentor*in
device-community = Community
device-language = Sprache
device-storage = Speicher
storage-persisted = Dauerhaft: Der Browser löscht Lotses Daten nicht von sich aus.
storage-not-persisted = Nicht garantiert: Der Browser kann bei Platzmangel Daten löschen. Installiere Lotse auf dem Startbildschirm.
storage-unknown = Wird geprüft…
device-copy = Link kopieren
device-copied = Kopiert.
device-problems = Probleme beim Teilen

update-available = Eine neue Version von Lotse ist verfügbar.
update-reload = Neu laden

problem-undecryptable = Ein Eintrag vom Server ließ sich nicht entschlüsseln und wurde übersprungen.
problem-not-automerge = Ein Eintrag vom Server war beschädigt und wurde übersprungen.
problem-unsigned = Ein Eintrag vom Server stammt von keinem Mitglied des Netzwerks (oder von einem Gerät nach seiner Entfernung) und wurde übersprungen.
problem-relay = Der Server hat eine Nachricht abgelehnt: { $message }

store-full = Der Speicher dieses Handys ist voll. Gib etwas Platz frei und lade Lotse dann neu.
store-refused = Der Browser lässt Lotse hier nichts speichern (ein privates Fenster?). Öffne Lotse in einem normalen Fenster oder installiere es auf dem Startbildschirm.
store-failed = Lotse konnte seinen Speicher auf diesem Gerät nicht öffnen. Lade die Seite neu; hilft das nicht, starte den Browser neu.
engine-restarting = Lotse startet seinen Speicherdienst neu. Gespeichertes bleibt erhalten.
part-missing = Dieser Teil von Lotse ist noch nicht auf dem Gerät und konnte nicht geladen werden. Mit Verbindung erneut versuchen. Gespeichertes bleibt erhalten.
part-retry = Erneut versuchen
engine-outdated = Eine neue Version von Lotse ist da. Lade die Seite neu.
setup-save-failed = Die Einstellungen ließen sich auf diesem Gerät nicht speichern. Gib Platz frei oder verlasse den privaten Modus und versuche es erneut.

# A date written out in full (Today, events), as the browser writes it
# (Intl, dateStyle "full"), whose formatter costs a phone a tenth of a
# start to make. Weekdays from Monday; months in the form a date uses.
date-full = { $weekday }, { $day }. { $month } { $year }
date-weekday-1 = Montag
date-weekday-2 = Dienstag
date-weekday-3 = Mittwoch
date-weekday-4 = Donnerstag
date-weekday-5 = Freitag
date-weekday-6 = Samstag
date-weekday-7 = Sonntag
date-month-1 = Januar
date-month-2 = Februar
date-month-3 = März
date-month-4 = April
date-month-5 = Mai
date-month-6 = Juni
date-month-7 = Juli
date-month-8 = August
date-month-9 = September
date-month-10 = Oktober
date-month-11 = November
date-month-12 = Dezember
