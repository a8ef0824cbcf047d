### The rights of the people in the notebook: access (GDPR Art. 15),
### retention, erasure.

art15-action = Access request (Art. 15)
art15-failed = The access export could not be made: { $error }
art15-title = Access request under GDPR Art. 15
art15-made-on = Made on
art15-community = Community
art15-intro = This is everything the service centre has stored about you in Lotse.
art15-contact = Contact
art15-recorded-by = Consent recorded by
art15-created-on = Created on
art15-created-by = Created by
art15-household = Household
art15-name = Name
art15-notes = Notes
art15-household-shared = Other people belong to this household; their details and the household's notes are not part of this export.
art15-consultations = First consultations
art15-none = None.
art15-date = Date
art15-topics = Topics
art15-outcome = Outcome
art15-mentor = Mentor
art15-referrals = Referrals
art15-institution = Institution
art15-reason = Reason
art15-status = Status
art15-follow-up-on = Check again on
art15-follow-ups = Follow-ups
art15-due-on = Due on
art15-done = Done
art15-yes = Yes
art15-no = No
art15-training-places = Training places
art15-company = Company
art15-occupation = Occupation
art15-start-on = Start

community-form-retention = Retention period in months
community-form-retention-hint = After this many months without activity, contacts are listed for review and erasure. Empty: no period.

more-retention = Retention periods
more-retention-desc = Contacts past their retention period, for review
more-erasure = Erasure
more-erasure-desc = Erase a person on request (Art. 17), with a receipt
privacy-coordinator-only = Only coordinators answer access and erasure requests; this device sees only some of the communities.
retention-title = Retention periods
retention-intro = Contacts with no consultation, referral, follow-up or training place for longer than their community's retention period. Set the period on the community's page.
retention-none-set = No community has a retention period.
retention-community = { $community }: retention period in months: { $months }
retention-count = { $count ->
    [one] { $count } contact past the period
   *[other] { $count } contacts past the period
}
retention-last-activity = Last active:
erasure-title = Erasure (Art. 17)
erasure-intro = Pick the person who asked for erasure. Lotse shows everything that names them.
erasure-contact = Person
erasure-requested-on = Request dated
erasure-pick-first = Pick a person first.
erasure-removes = Will be removed
erasure-unlinks = Stays, only loses its link to the person
erasure-days = Devices have this long to move to the new version
erasure-days-option = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
erasure-erase = Erase this person
erasure-confirm-text = Everything listed above is removed from every device and from the relay, with its history. This cannot be undone.
erasure-confirm = Erase now
erasure-cancel = Cancel
erasure-working = Erasing…
erasure-done = Erased on this device. Every other device moves to the new version of the community when it next syncs; the receipt is below.
erasure-not-synced = This device must be synced first: connect and wait until nothing is waiting to be sent, then try again.
erasure-busy = An erasure in this community is still under way. Try again once every device has moved.
erasure-failed = The erasure did not start: { $why }
erasure-receipts = Erasures made on this device
erasure-receipt-requested = request dated { $date }
erasure-receipt-made = Erased on { $time }
erasure-device-moved = moved
erasure-device-waiting = not moved yet
erasure-device-gone = removed from the network, not waited for
erasure-relay-deletes = The relay deletes the old version once every device has moved, at the latest on { $date }; a device that has not moved by then must join again.
erasure-relay-deleted = Every device has moved: the relay has deleted the old version.
retention-erase-all = { $count ->
    [one] Erase the { $count } contact past its period
   *[other] Erase all { $count } contacts past their period
}
erasure-network = the network
erasure-receipt-removed = Removed: { $what }
erasure-receipt-unlinked = Kept, link to the person removed: { $what }
erasure-device-dropped = dropped what it wrote offline about the person: { $what }
wiped-wrong-pins = This phone was emptied after too many wrong PINs. Set it up again, or join with a new invitation from your coordinator.
wiped-left-behind = This phone was emptied: after an erasure it did not move to the new version of its community in time, and the relay no longer lets it sync. Ask your coordinator for a new invitation.
erasure-device-moved-at = moved (seen { $time })
erasure-relay-deleted-at = Every device has moved (seen { $time }): the relay deleted the old version then.
