## desk (de): what needs a second look

more-conflicts = Zwei Werte
more-conflicts-desc = Felder, die auf zwei Geräten verschieden geändert wurden: einen Wert behalten.
conflicts-title = Zwei Werte für ein Feld
conflicts-intro = Diese Felder wurden auf zwei Geräten verschieden geändert, bevor sie sich abgeglichen haben. Lotse hat beide Werte behalten. Wähle, welcher gilt.
conflicts-none = Kein Feld hat zwei Werte.
conflicts-open = Öffnen
conflicts-count = { $count ->
    [one] Ein Feld hat zwei Werte.
   *[other] { $count } Felder haben zwei Werte.
}
conflict-keep = Diesen behalten
conflict-shown = wird gezeigt
conflict-empty = (leer)
conflict-not-plain = (Liste – im Formular ändern)
conflict-yes = ja
conflict-no = nein
conflict-keep-failed = Der Wert konnte nicht übernommen werden. Die Liste ist jetzt aktuell, bitte noch einmal wählen.

kind-contacts = Kontakt
kind-households = Familie
kind-consultations = Erstberatung
kind-referrals = Vermittlung
kind-follow-ups = Wiedervorlage
kind-events = Veranstaltung
kind-companies = Betrieb
kind-training-places = Ausbildungsplatz
kind-institutions = Institution
kind-partners = Migrantenorganisation
kind-communities = Community
kind-mentors = Mentor*in
kind-measures = Maßnahme

history-field-given-on = Datum der Einwilligung
history-field-scope = Umfang der Einwilligung

# Between two parts of one line ("Name, date").
list-comma = { ", " }

more-duplicates = Doppelte Kontakte
more-duplicates-desc = Kontakte, die wohl dieselbe Person sind: gleiche Telefonnummer oder gleicher Name in anderer Schreibweise.
duplicates-title = Wohl dieselbe Person
duplicates-intro = Diese Kontakte haben dieselbe Telefonnummer oder einen Namen, der gleich klingt – auch in anderer Schrift. Öffne beide, um sie zu prüfen. Dann behalte einen (Beratungen, Vermittlungen, Wiedervorlagen und Ausbildungsplätze des anderen gehen auf ihn über) oder sag, dass es zwei Personen sind.
duplicates-none = Keine doppelten Kontakte gefunden.
duplicates-why-phone = gleiche Telefonnummer
duplicates-why-name = gleicher Name
duplicates-records = { $count ->
    [one] 1 Beratung oder Vermittlung
   *[other] { $count } Beratungen und Vermittlungen
}
duplicates-keep = Diesen behalten
duplicates-confirm = { $gone } wird mit { $keep } zusammengeführt: Alles, was zu { $gone } erfasst ist, geht auf { $keep } über, die weiterreichende Einwilligung bleibt, und { $gone } wird nicht mehr aufgeführt.
duplicates-merge = Zusammenführen
duplicates-not-same = Nicht dieselbe Person
duplicates-merged = Zusammengeführt mit { $name }.
duplicates-open = Öffnen
duplicates-kept-apart = Vermerkt: Das sind zwei Personen. Das Paar wird nicht mehr vorgeschlagen.
duplicates-failed = Das konnte nicht gespeichert werden. Nichts ging verloren; bitte versuche es noch einmal.
duplicates-other-communities = Die beiden gehören zu verschiedenen Communities; zusammenführen lässt sich ein Paar nur innerhalb einer Community.
contact-merged-into = Dieser Kontakt wurde mit einem anderen Eintrag derselben Person zusammengeführt.
contact-open-kept = Diesen Eintrag öffnen
more-review = Was sich geändert hat
more-review-desc = Änderungen der Mentorinnen und Mentoren, noch nicht durchgesehen, mit altem und neuem Wert.
review-title = Was sich geändert hat
review-intro = Noch nicht durchgesehene Änderungen, die neueste zuerst, in der Reihenfolge, in der sie gemacht wurden. Die Zeiten sind die der Uhr des jeweiligen Geräts.
review-place = Community
review-network = Netzwerk (Termine, Betriebe, Mentor*innen …)
review-kind = Art des Eintrags
review-mentor = Mentor*in
review-with-reviewed = Auch durchgesehene Änderungen zeigen
review-unreviewed = { $count ->
    [one] 1 Änderung noch nicht durchgesehen
   *[other] { $count } Änderungen noch nicht durchgesehen
}
review-failed = Die Markierung konnte nicht gespeichert werden. Nichts ging verloren; bitte versuche es noch einmal.
review-none = Hier gibt es nichts durchzusehen.
review-mark-all = { $count ->
    [one] 1 Änderung als durchgesehen markieren
   *[other] Diese { $count } Änderungen als durchgesehen markieren
}
review-more = Mehr zeigen
review-changed = geändert
review-record-gone = ein Eintrag, den es nicht mehr gibt
review-device-time = { $time } (Uhrzeit des Geräts)
review-clock-behind = Die Uhr dieses Geräts geht offenbar nach: Die Änderung wurde nach den darunter aufgeführten gemacht.
review-reviewed = Durchgesehen von
review-mark = Als durchgesehen markieren
change-became = geändert zu
history-field-merged-into = zusammengeführt mit
history-field-not-the-same = nicht dieselbe Person wie
