## advice (en): consultations, referrals, follow-ups, households, the contact picker

advice-tabs = Advice
advice-filters = Filters
advice-filters-on = { $count ->
    [one] Filters (1 on)
   *[other] Filters ({ $count } on)
}
advice-filters-clear = Clear filters
advice-any = All
advice-filter-community = Community
advice-filter-group = Target group
advice-filter-outcome = Outcome
advice-filter-institution = Institution
advice-filter-period = Period
advice-period-all = Any time
advice-period-month = This month
advice-period-quarter = This quarter
advice-period-year = This year
advice-show-more = { $count ->
    [one] Show 1 more
   *[other] Show { $count } more
}
advice-none-match = Nothing matches these filters.
advice-unknown-person = (person not on this device)

consultations-title = Consultations
consultations-search = Search notes or a name
consultations-add = New consultation
consultations-empty = No consultations yet. Record the first one right after a conversation.
consultations-count = { $count ->
    [one] 1 consultation
   *[other] { $count } consultations
}

consultation-new = New consultation
consultation-edit = Consultation
consultation-contact = Who was it with?
consultation-household = Household (optional)
consultation-household-none = No household
consultation-topics = Topics
consultation-outcome = Outcome
consultation-date = Date
consultation-refer = Refer
consultation-referrals = Referrals from this consultation

referrals-title = Referrals
referrals-search = Search reason, name or institution
referrals-add = New referral
referrals-empty = No referrals yet.
referrals-count = { $count ->
    [one] 1 referral
   *[other] { $count } referrals
}

referral-new = New referral
referral-edit = Referral
referral-contact = Who is referred?
referral-institution = Institution
referral-institution-choose = Choose an institution
referral-reason = Reason
referral-field-status = Status
referral-date = Referred on
referral-follow-up = Check on it on
referral-follow-up-short = Check:
referral-overdue = overdue
referral-due-today = due today
referral-from-consultation = From the consultation
referral-consent-advice-only = This person's consent covers advice only. Ask them before passing their details on to the institution, and record the wider consent on their contact page.

follow-up-new = New follow-up
follow-up-edit = Follow-up
follow-up-due = Due on
follow-up-note = What is to be done?
follow-up-contact = About whom? (optional)
follow-up-done = Done

household-new = New household
household-edit = Household
household-name = Name of the household
household-name-hint = As you call the family, e.g. the Yılmaz family
household-members = Members

contact-household-pick = Household (optional)
contact-household-none = No household
contact-new-household = New household
contact-new-consultation = New consultation
contact-new-referral = Refer
contact-new-follow-up = Follow-up
contact-consultations = { $count ->
    [one] 1 consultation
   *[other] { $count } consultations
}
contact-referrals = { $count ->
    [one] 1 referral
   *[other] { $count } referrals
}

picker-search = Type a name
picker-recent = Recently added:
picker-change = Change
picker-unknown = A contact not on this device
picker-new = New contact
picker-new-title = New contact
picker-new-save = Save contact
picker-phone-optional = Phone (optional)
picker-consent-note = Only with the person's consent can a contact be stored. Someone who wants to stay anonymous is only counted in an event's tally.
