## report (de): der Bericht für die Fördergeber

more-report = Bericht
more-report-desc = Die Zahlen des Quartals für die Fördergeber: Tabellen, Diagramme, CSV und XLSX zum Herunterladen.
report-title = Bericht für die Fördergeber
report-period-label = Zeitraum
report-period-range = Von … bis …
report-from = Von
report-to = Bis
report-quarter = { $quarter }. Quartal { $year }
report-range = { $from } bis { $to }
report-as-of = Berechnet aus den Daten auf diesem Gerät, Stand { $date }. Einträge, die noch nicht auf diesem Gerät angekommen sind, fehlen.
report-bad-from = Das Anfangsdatum fehlt oder ist kein Datum: Wähle einen Tag.
report-bad-to = Das Enddatum fehlt oder ist kein Datum: Wähle einen Tag.
report-ends-before-start = Der Zeitraum endet am { $to }, bevor er am { $from } beginnt: Tausche die beiden Daten.
report-bad-year = Das Jahr { $year } geht nicht: Wähle ein Jahr von 1 bis 9999.
report-bad-period = Das ist kein Zeitraum: Wähle ein Quartal oder ein Anfangs- und ein Enddatum.
report-download-all = Ganzen Bericht herunterladen (CSV)
report-download-csv = CSV
report-download-all-xlsx = Ganzen Bericht herunterladen (XLSX)
report-download-xlsx = XLSX
report-col-figure = Kennzahl
report-col-value = Wert
report-overview-from = Zeitraum von
report-overview-to = Zeitraum bis
report-overview-as-of = Stand der Daten
report-overview-median-days = Median Tage von der Erstberatung bis zur Ausbildung
report-table-overview = Überblick
report-download-failed = Die Datei konnte nicht gespeichert werden. Versuch es noch einmal oder nimm einen anderen Browser.

report-fig-first-consultations = Erstberatungen
report-fig-consultations = Beratungen
report-fig-referrals = Vermittlungen
report-fig-events = Veranstaltungen
report-fig-attendance = Teilnahmen
report-fig-companies-joined = Neue Ausbildungsbetriebe
report-fig-places-acquired = Ausbildungsplätze akquiriert
report-fig-places-filled = Ausbildungsplätze besetzt
report-fig-active-mentors = Aktive Mentor*innen
report-fig-placed = In Ausbildung nach Vermittlung
report-fig-median-days = { PLURAL($count) ->
    [one] Median { $count } Tag ab der Erstberatung
   *[other] Median { $count } Tage ab der Erstberatung
}
report-fig-median-none = noch niemand vermittelt

report-chart-consultations = Beratungen nach Community
report-chart-attendance = Teilnahmen an Veranstaltungen nach Zielgruppe

report-table-first-consultations = Erstberatungen nach Community und Zielgruppe
report-table-consultations = Beratungen nach Community und Zielgruppe
report-table-referrals = Vermittlungen nach Community und Zielgruppe
report-table-referrals-by-institution = Vermittlungen nach Institution und Stand
report-table-events = Veranstaltungen nach Art
report-table-events-by-community = Veranstaltungen nach Community
report-table-companies = Betriebe
report-table-training-places = Akquirierte Ausbildungsplätze nach heutigem Stand
report-table-active-mentors = Aktive Mentor*innen
report-table-measures = Aktionsplan
report-table-placements = In Ausbildung nach einer Vermittlung
report-table-placements-unlinked = Besetzte Plätze, die nicht als Vermittlung zählen

report-col-community = Community
report-col-institution = Institution
report-col-event-kind = Art der Veranstaltung
report-col-events = Veranstaltungen
report-col-in-network = Betriebe im Netzwerk
report-col-in-network-licensed = davon mit Ausbildungsberechtigung
report-col-joined = Neu dazugekommen
report-col-joined-licensed = davon mit Ausbildungsberechtigung
report-col-places-acquired = Plätze akquiriert
report-col-active-mentors = Aktive Mentor*innen
report-col-action-field = Handlungsfeld
report-col-measure = Maßnahme
report-col-owner = Verantwortlich
report-col-metric = Gezählt wird
report-col-year = Jahr
report-col-target = Ziel
report-col-done-period = Im Zeitraum
report-col-done-to-date = Im Jahr bis heute
report-col-percent = % vom Ziel
report-col-median-days = Median Tage bis Ausbildung
report-col-reason = Grund
report-col-places = Plätze
report-col-no-group = Ohne Zielgruppe
report-col-total = Gesamt
report-col-attendance-parent = Teilnahmen: Eltern
report-col-attendance-youth = Teilnahmen: Jugendliche
report-col-attendance-self-employed = Teilnahmen: Selbstständige
report-col-attendance = Teilnahmen
report-row-total = Gesamt
report-row-no-community = Ohne Community (ganzes Netzwerk)
report-unlinked-unknown-person = Person nicht genannt oder nicht auf diesem Gerät
report-unlinked-not-referred = Keine Vermittlung vor dem Ausbildungsbeginn
report-unlinked-referral-without-consultation = Vermittlung ohne vorherige Beratung
