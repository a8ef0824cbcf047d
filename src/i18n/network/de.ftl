## network (de): Mehr, Betriebe, Ausbildungsplätze, Institutionen, Netzwerk, Handlungsplan

net-all = Alle
net-period-month = diesem Monat
net-period-quarter = diesem Quartal
net-period-year = diesem Jahr
net-filters = Filter
net-filters-on = { $count ->
    [one] Filter (1 aktiv)
   *[other] Filter ({ $count } aktiv)
}
net-show-more = { $count ->
    [one] 1 weiteren zeigen
   *[other] { $count } weitere zeigen
}

more-title = Mehr
more-referrals = Vermittlungen
more-referrals-desc = Wer an welche Institution vermittelt wurde, und was noch offen ist.
more-companies = Betriebe
more-companies-desc = Das Netzwerk ausbildender Unternehmer*innen und ihre Ausbildungsplätze.
more-institutions = Institutionen
more-institutions-desc = Berufsberatung, Jobcenter, Kammern, Beratungsdienste: wohin vermittelt wird.
more-network = Netzwerk
more-network-desc = Communities, Mentor*innen und Migrantenorganisationen.
more-action-plan = Handlungsplan
more-action-plan-desc = Die Maßnahmen des Jahres und wie weit sie sind.
more-device = Dieses Gerät
more-device-desc = Dein Name, Sprache, Speicher und Einladungen für neue Mentor*innen.

companies-title = Betriebe
companies-intro = Betriebe von Unternehmer*innen mit Migrationsgeschichte, die ausbilden oder ausbilden wollen.
companies-count = { $count ->
    [one] 1 Betrieb
   *[other] { $count } Betriebe
}
companies-search = Suche nach Name, Branche oder Ansprechperson
companies-search-placeholder = Name, Branche, Ansprechperson
companies-filter-chamber = Kammer
companies-filter-licence = Ausbildereignung
companies-filter-community = Community
companies-filter-period = Im Netzwerk seit
companies-empty = Noch keine Betriebe im Netzwerk. Lege den ersten an.
companies-none-found = Kein Betrieb passt zu Suche und Filtern.
companies-places = Ausbildungsplätze:
companies-add = Betrieb anlegen

company-new = Neuer Betrieb
company-edit = Betrieb bearbeiten
company-name = Name des Betriebs
company-trade = Branche
company-chamber = Kammer
company-licence = Ausbildereignung (AEVO)
company-contact-person = Ansprechperson
company-phone = Telefon
company-community = Community
company-no-community = Keine Community
company-member-since = Im Netzwerk seit
company-places = Ausbildungsplätze
company-places-count = { $count ->
    [one] 1 Platz
   *[other] { $count } Plätze
}
company-places-empty = Noch keine Ausbildungsplätze erfasst.
company-place-start = Beginn:
company-place-filled-by = Besetzt durch:
company-add-place = Ausbildungsplatz hinzufügen

training-place-new = Neuer Ausbildungsplatz
training-place-edit = Ausbildungsplatz bearbeiten
training-place-company = Betrieb
training-place-pick-company = Betrieb wählen
training-place-occupation = Ausbildungsberuf
training-place-start = Ausbildungsbeginn
training-place-status = Stand
training-place-acquired = Akquiriert am
training-place-filled-by = Besetzt durch
training-place-youth-hint = Der Name bleibt in der Community; das Netzwerk erfährt nur, dass der Platz besetzt ist.
training-place-other-community = eine Person aus einer anderen Community

institutions-title = Institutionen
institutions-intro = Die Stellen, an die Mentor*innen vermitteln. Alle Geräte sehen dieselbe Liste.
institutions-count = { $count ->
    [one] 1 Institution
   *[other] { $count } Institutionen
}
institutions-empty = Noch keine Institutionen.
institutions-referrals = { $count ->
    [one] 1 Vermittlung
   *[other] { $count } Vermittlungen
}
institutions-add = Institution anlegen

institution-form-new = Neue Institution
institution-form-edit = Institution bearbeiten
institution-form-name = Name
institution-form-kind = Art
institution-form-address = Adresse
institution-form-phone = Telefon

network-title = Netzwerk
network-intro = Wer im Netzwerk mitarbeitet: Communities, Mentor*innen, Koordinator*innen und Migrantenorganisationen.
network-communities = Communities
network-communities-count = { $count ->
    [one] 1 Community
   *[other] { $count } Communities
}
network-mentors-count = { $count ->
    [one] 1 Mentor*in
   *[other] { $count } Mentor*innen
}
network-contacts-count = { $count ->
    [one] 1 Kontakt
   *[other] { $count } Kontakte
}
network-add-community = Community anlegen
network-mentors = Mentor*innen und Koordinator*innen
network-inactive = nicht aktiv
network-add-mentor = Person anlegen
network-partners = Migrantenorganisationen
network-partners-count = { $count ->
    [one] 1 Organisation
   *[other] { $count } Organisationen
}
network-partners-empty = Noch keine Migrantenorganisationen.
network-add-partner = Organisation anlegen

community-form-new = Neue Community
community-form-edit = Community bearbeiten
community-form-new-hint = Die neue Community steht danach in der Netzwerkliste. Ihre Kontakte teilen Mentor*innen über einen Beitrittslink von einem Gerät, das die Community führt.
community-form-name = Name
community-form-name-hint = Zum Beispiel: Arabischsprachige Familien Osnabrück
community-form-languages = Sprachen
community-form-languages-hint = Durch Kommas getrennt, z. B. Arabisch, Kurdisch

profile-new = Neue Person im Netzwerk
profile-edit = Person bearbeiten
profile-new-hint = Wer Lotse auf einem eigenen Gerät nutzt, erscheint hier von selbst. Lege hier Personen ohne eigenes Gerät an.
profile-name = Name
profile-role = Rolle
profile-community = Community
profile-no-community = Keine Community
profile-languages = Sprachen
profile-languages-hint = Durch Kommas getrennt, z. B. Türkisch, Deutsch
profile-active = Aktiv im Netzwerk

partner-new = Neue Migrantenorganisation
partner-edit = Migrantenorganisation bearbeiten
partner-name = Name der Organisation
partner-community = Community
partner-no-community = Keine Community
partner-contact-person = Ansprechperson
partner-phone = Telefon

plan-title = Handlungsplan
plan-intro = Die Maßnahmen des Jahres mit ihren Zielzahlen; der Stand wird aus den Einträgen gezählt.
plan-year = Jahr
plan-measures-count = { $count ->
    [one] 1 Maßnahme
   *[other] { $count } Maßnahmen
}
plan-field-empty = Für dieses Jahr noch keine Maßnahmen.
plan-progress = Stand:
plan-of = von
plan-met = Ziel erreicht
plan-add = Maßnahme anlegen

measure-new = Neue Maßnahme
measure-edit = Maßnahme bearbeiten
measure-field = Handlungsfeld
measure-title = Titel
measure-owner = Verantwortlich
measure-target = Zielzahl
measure-year = Jahr
measure-metric = Was gezählt wird
measure-event-kind = Art der Veranstaltung
measure-any-kind = Alle Arten
measure-counts-hint = Lotse zählt den Stand aus den Einträgen dieses Jahres in allen Communities dieses Geräts.
