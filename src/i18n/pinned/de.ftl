## pinned (de): frühere Exporte eines Berichts, aus ihren Daten neu gezählt

kind-exports = Bericht-Export
pinned-title = Frühere Exporte dieses Zeitraums
pinned-none = Aus diesem Zeitraum wurde noch nichts heruntergeladen. Jeder Download wird hier mit den Daten festgehalten, aus denen er gezählt wurde.
pinned-whole = Ganzer Bericht
pinned-format-csv = CSV
pinned-format-xlsx = XLSX
pinned-counting = Der Bericht wird aus den Daten des Exports neu gezählt …
pinned-stopped = Der Bericht konnte nicht neu gezählt werden: Die App wurde neu gestartet. Öffnen Sie den Export noch einmal.
pinned-missing = Dieses Gerät hat noch nicht alle Daten, aus denen der Export gezählt wurde. Öffnen Sie ihn nach dem Synchronisieren noch einmal.
pinned-unreadable = Dieser Export kann nicht gelesen werden: Er wurde von einer anderen Version der App festgehalten.
pinned-same = Aus den Daten des Exports neu gezählt: dieselben Zahlen wie exportiert.
pinned-not-same = Aus den Daten des Exports neu gezählt, weichen die Zahlen von den festgehaltenen ab. Exportieren Sie den Bericht neu.
pinned-unchanged = Seitdem hat sich keine Zahl geändert: Späte Einträge haben diesen Zeitraum nicht verändert.
pinned-changed = { PLURAL($count) ->
    [one] { $count } Zahl ist heute anders, durch Einträge, die nach dem Export ankamen:
   *[other] { $count } Zahlen sind heute anders, durch Einträge, die nach dem Export ankamen:
}
pinned-col-figure = Kennzahl
pinned-col-exported = Exportiert
pinned-col-now = Heute
pinned-col-change = Änderung
pinned-later = { PLURAL($count) ->
    [one] { $count } Eintrag kam nach dem Export auf dieses Gerät, geschrieben am { $first }.
   *[other] { $count } Einträge kamen nach dem Export auf dieses Gerät, geschrieben zwischen { $first } und { $last }.
}
