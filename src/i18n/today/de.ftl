## today (de): die Startseite

today-hello = Hallo
today-quick-title = Schnell erfassen
today-quick-tally = Info­veranstal­tung zählen
today-quick-consultation = Erst­beratung
today-quick-referral = Vermitt­lung
today-save-failed = Speichern auf diesem Gerät fehlgeschlagen. Versuche es erneut.
today-marked-done = Erledigt:
today-undo = Rückgängig
today-overdue = Überfällig
today-due = Heute fällig
today-nothing-due = Nichts fällig. Gut gemacht!
today-nothing-due-today = Heute ist nichts weiter fällig.
today-upcoming = Nächste Termine (14 Tage)
today-no-events = Keine Termine in den nächsten 14 Tagen.
today-kind-follow-up = Wiedervorlage
today-kind-referral = Vermittlung
today-mark-done = Erledigt
today-show-more = { $count ->
    [one] 1 weitere anzeigen
   *[other] { $count } weitere anzeigen
}
today-later = Eine Woche später
today-marked-later = Um eine Woche verschoben:
today-whose = Wessen Erinnerungen
today-mine = Meine
today-everyone = Alle
today-no-person = ohne Person
today-next-event = { $count ->
    [one] Nächster Termin
   *[other] Nächster von { $count } Terminen
}
