## advice (de): Erstberatungen, Vermittlungen, Wiedervorlagen, Haushalte, Kontaktauswahl

advice-tabs = Beratung
advice-filters = Filter
advice-filters-on = { $count ->
    [one] Filter (1 aktiv)
   *[other] Filter ({ $count } aktiv)
}
advice-filters-clear = Filter zurücksetzen
advice-any = Alle
advice-filter-community = Community
advice-filter-group = Zielgruppe
advice-filter-outcome = Ergebnis
advice-filter-institution = Institution
advice-filter-period = Zeitraum
advice-period-all = Jederzeit
advice-period-month = Dieser Monat
advice-period-quarter = Dieses Quartal
advice-period-year = Dieses Jahr
advice-show-more = { $count ->
    [one] 1 weiteren zeigen
   *[other] { $count } weitere zeigen
}
advice-none-match = Zu diesen Filtern passt nichts.
advice-unknown-person = (Person nicht auf diesem Gerät)

consultations-title = Erstberatungen
consultations-search = Notizen oder Namen suchen
consultations-add = Neue Beratung
consultations-empty = Noch keine Erstberatungen. Erfasse die erste gleich nach einem Gespräch.
consultations-count = { $count ->
    [one] 1 Erstberatung
   *[other] { $count } Erstberatungen
}

consultation-new = Neue Erstberatung
consultation-edit = Erstberatung
consultation-contact = Mit wem?
consultation-household = Haushalt (optional)
consultation-household-none = Kein Haushalt
consultation-topics = Themen
consultation-outcome = Ergebnis
consultation-date = Datum
consultation-refer = Vermitteln
consultation-referrals = Vermittlungen aus dieser Beratung

referrals-title = Vermittlungen
referrals-search = Grund, Namen oder Institution suchen
referrals-add = Neue Vermittlung
referrals-empty = Noch keine Vermittlungen.
referrals-count = { $count ->
    [one] 1 Vermittlung
   *[other] { $count } Vermittlungen
}

referral-new = Neue Vermittlung
referral-edit = Vermittlung
referral-contact = Wer wird vermittelt?
referral-institution = Institution
referral-institution-choose = Institution wählen
referral-reason = Grund
referral-field-status = Stand
referral-date = Vermittelt am
referral-follow-up = Nachfragen am
referral-follow-up-short = Nachfragen:
referral-overdue = überfällig
referral-due-today = heute fällig
referral-from-consultation = Zur Erstberatung
referral-consent-advice-only = Die Einwilligung dieser Person umfasst nur die Beratung. Frag sie, bevor du ihre Angaben an die Institution weitergibst, und trag die erweiterte Einwilligung in ihrem Kontakt ein.

follow-up-new = Neue Wiedervorlage
follow-up-edit = Wiedervorlage
follow-up-due = Fällig am
follow-up-note = Was ist zu tun?
follow-up-contact = Zu wem? (optional)
follow-up-done = Erledigt

household-new = Neuer Haushalt
household-edit = Haushalt
household-name = Name des Haushalts
household-name-hint = Wie du die Familie nennst, z. B. Familie Yılmaz
household-members = Mitglieder

contact-household-pick = Haushalt (optional)
contact-household-none = Kein Haushalt
contact-new-household = Neuer Haushalt
contact-new-consultation = Neue Erstberatung
contact-new-referral = Vermitteln
contact-new-follow-up = Wiedervorlage
contact-consultations = { $count ->
    [one] 1 Erstberatung
   *[other] { $count } Erstberatungen
}
contact-referrals = { $count ->
    [one] 1 Vermittlung
   *[other] { $count } Vermittlungen
}

picker-search = Namen eingeben
picker-recent = Zuletzt angelegt:
picker-change = Ändern
picker-unknown = Ein Kontakt, der nicht auf diesem Gerät ist
picker-new = Neuer Kontakt
picker-new-title = Neuer Kontakt
picker-new-save = Kontakt speichern
picker-phone-optional = Telefon (optional)
picker-consent-note = Ein Kontakt lässt sich nur mit Einwilligung der Person speichern. Wer anonym bleiben möchte, wird nur in der Teilnehmerzählung einer Veranstaltung gezählt.
