## events (de): Veranstaltungen und ihre Zählung

events-title = Termine
events-count = { $count ->
    [one] 1 Veranstaltung
   *[other] { $count } Veranstaltungen
}
events-search = Suche nach Titel oder Schule
events-filters = Filter
events-filter-kind = Art
events-filter-all-kinds = Alle Arten
events-filter-community = Community
events-filter-all-communities = Alle Communities
events-filter-period = Zeitraum
events-period-all = Gesamter Zeitraum
events-period-upcoming = Ab heute
events-period-month = Dieser Monat
events-period-quarter = Dieses Quartal
events-period-year = Dieses Jahr
events-filter-reset = Filter zurücksetzen
events-empty = Noch keine Veranstaltungen. Nach einer Infoveranstaltung auf „Neue Veranstaltung“ tippen.
events-none-found = Keine Veranstaltung passt zur Suche und zu den Filtern.
events-show-more = { $count ->
    [one] 1 weitere anzeigen
   *[other] { $count } weitere anzeigen
}
events-add = Neue Veranstaltung
events-attendance = { $count ->
    [one] 1 Person
   *[other] { $count } Personen
}

event-form-new = Neue Veranstaltung
event-form-edit = Veranstaltung
event-form-what = Was und wann
event-form-kind = Art der Veranstaltung
event-form-date = Datum
event-form-time = Uhrzeit
event-form-place = Ort
event-form-tally = Wer ist gekommen?
event-form-tally-hint = Hier werden keine Namen erfasst: Wer nicht eingewilligt hat, wird nur gezählt. Für jede Person einmal auf + tippen.
event-form-tally-parent = Eltern
event-form-tally-youth = Jugendliche
event-form-tally-self-employed = Unternehmer*innen
event-form-tally-minus = eine Person weniger
event-form-tally-plus = eine Person mehr
event-form-tally-total = { $count ->
    [one] Zusammen: 1 Person
   *[other] Zusammen: { $count } Personen
}
event-form-tally-unsaved = Die Zählung ist noch nicht gespeichert. Zum Schluss auf „Speichern“ tippen.
event-form-details = Angaben
event-form-school = Schule
event-form-title = Titel
event-form-title-hint = Freiwillig, z. B. „Elternabend: Ausbildung im Handwerk“
event-form-company = Betrieb
event-form-no-company = Kein Betrieb ausgewählt
event-form-partner = Migrantenorganisation (Mitveranstalter)
event-form-no-partner = Keine
event-form-community = Community
event-form-no-community = Alle Communities (netzwerkweit)
events-period-past = Vergangene
events-show-past = Vergangene Termine zeigen
events-show-upcoming = Kommende Termine zeigen
