## import (de): Kontakte und Betriebe aus einer CSV-Datei übernehmen

import-action = Aus CSV-Datei übernehmen
import-title-contacts = Kontakte aus einer CSV-Datei übernehmen
import-title-companies = Betriebe aus einer CSV-Datei übernehmen
import-coordinators-only = Nur Koordinator*innen übernehmen Listen aus Dateien.
import-intro = Eine CSV-Datei aus einer Tabellenkalkulation, getrennt mit Kommas oder Semikolons. Die erste Zeile nennt die Spalten. Du siehst erst, was übernommen wird; gespeichert wird erst, wenn du es bestätigst.
import-columns = Spalten: { $columns }
import-column-required = { $column } (Pflicht)
import-consent-note = Jede Person braucht eine Einwilligung: ein Datum in „Einwilligung am“ und in „Einwilligung umfasst“ „Nur Beratung“ oder „Beratung und Vermittlung an Regelinstitutionen“. Zeilen ohne Einwilligung werden nicht übernommen. Als erfasst von wirst du eingetragen.
import-template = Vorlage herunterladen (CSV)
import-community = Community für Zeilen ohne Community
import-file = CSV-Datei wählen
import-summary = Gelesene Zeilen: { $rows } – zu übernehmen: { $good }, mit Fehlern: { $bad }.
import-read-as-windows-1252 = Die Datei ist kein UTF-8; sie wurde als Windows-1252 gelesen (so speichert Excel „CSV“). Prüfe die Umlaute unten.
import-ignored = Diese Spalten kennt Lotse nicht, sie werden nicht übernommen: { $columns }
import-errors-title = Zeilen mit Fehlern – sie werden nicht übernommen
import-good-title = Diese Zeilen werden übernommen
import-row = Zeile { $row }
import-field-error = { $column }: { $message }
import-more = { $count ->
    [one] und eine weitere
   *[other] und { $count } weitere
}
import-save-contacts = { $count ->
    [one] Einen Kontakt übernehmen
   *[other] { $count } Kontakte übernehmen
}
import-save-companies = { $count ->
    [one] Einen Betrieb übernehmen
   *[other] { $count } Betriebe übernehmen
}
import-saving = Wird auf diesem Gerät gespeichert …
import-saved = { $count ->
    [one] Ein Eintrag gespeichert.
   *[other] { $count } Einträge gespeichert.
}
import-saved-before-failure = { $count ->
    [one] Ein Eintrag wurde gespeichert, der Rest nicht.
   *[other] { $count } Einträge wurden gespeichert, der Rest nicht.
}
import-saved-nothing = Nichts wurde gespeichert.
import-open-contacts = Zu den Kontakten
import-open-companies = Zu den Betrieben
import-error-required = Leer: bitte ausfüllen.
import-error-consent-missing = Keine Einwilligung: Ohne Datum der Einwilligung wird niemand übernommen.
import-error-bad-date = „{ $value }“ ist kein Datum: Schreibe es als 05.03.2026 oder 2026-03-05.
import-error-bad-phone = „{ $value }“ ist keine Telefonnummer: 6 bis 15 Ziffern, daneben nur +, Leerzeichen, - / ( ).
import-error-too-long = Zu lang: höchstens 200 Zeichen, bei Notizen 5000.
import-error-unknown-choice = „{ $value }“ ist keine der Möglichkeiten. Schreibe eine von: { $choices }.
import-error-other = „{ $value }“ geht hier nicht.
import-error-too-many-fields = Die Zeile hat { $found } Felder, die Kopfzeile nur { $expected }: ein Trennzeichen zu viel, oder ein Anführungszeichen fehlt.
import-error-empty = Die Datei ist leer.
import-error-unclosed-quote = Ab Zeile { $row } endet ein Feld in Anführungszeichen nie: Ein schließendes " fehlt.
import-error-no-rows = Die Datei hat eine Kopfzeile, aber keine Zeilen darunter.
import-error-missing-columns = Der Datei fehlen Spalten: { $columns }. Füge sie der ersten Zeile hinzu (die Vorlage hat alle).
import-error-twice-named = Die Spalten { $first } und { $second } meinen beide „{ $column }“: Behalte eine.
import-error-read = Die Datei konnte nicht gelesen werden. Wähle sie noch einmal.

import-col-name = Name
import-col-target-group = Zielgruppe
import-col-phone = Telefon
import-col-languages = Sprachen
import-col-district = Stadtteil
import-col-community = Community
import-col-consent-date = Einwilligung am
import-col-consent-scope = Einwilligung umfasst
import-col-trade = Branche
import-col-chamber = Kammer
import-col-licence = Ausbildereignung
import-col-contact-person = Ansprechperson
import-col-member-since = Im Netzwerk seit
import-col-notes = Notizen
