## desk (en): what needs a second look

more-conflicts = Two values
more-conflicts-desc = Fields changed differently on two devices: keep one value.
conflicts-title = Two values for one field
conflicts-intro = These fields were changed differently on two devices before the changes were shared. Lotse kept both values. Choose the one that is right.
conflicts-none = No field has two values.
conflicts-open = Open
conflicts-count = { $count ->
    [one] One field has two values.
   *[other] { $count } fields have two values.
}
conflict-keep = Keep this one
conflict-shown = shown now
conflict-empty = (empty)
conflict-not-plain = (a list – change it in the form)
conflict-yes = yes
conflict-no = no
conflict-keep-failed = The value could not be kept. The list is up to date now; please choose again.

kind-contacts = Contact
kind-households = Family
kind-consultations = First consultation
kind-referrals = Referral
kind-follow-ups = Follow-up
kind-events = Event
kind-companies = Company
kind-training-places = Training place
kind-institutions = Institution
kind-partners = Migrant organisation
kind-communities = Community
kind-mentors = Mentor
kind-measures = Measure

history-field-given-on = Date of consent
history-field-scope = Scope of consent

# Between two parts of one line ("Name, date").
list-comma = { ", " }

more-duplicates = Duplicate contacts
more-duplicates-desc = Contacts that are probably the same person: the same phone number, or the same name spelled another way.
duplicates-title = Probably the same person
duplicates-intro = These contacts share a phone number or a name that sounds the same, in any script. Open both to check them, then keep one (the other's consultations, referrals, follow-ups and training places move to it) or say they are two people.
duplicates-none = No duplicate contacts found.
duplicates-why-phone = same phone number
duplicates-why-name = same name
duplicates-records = { $count ->
    [one] 1 consultation or referral
   *[other] { $count } consultations and referrals
}
duplicates-keep = Keep this one
duplicates-confirm = { $gone } will be merged into { $keep }: everything recorded for { $gone } moves to { $keep }, the stronger consent is kept, and { $gone } is no longer listed.
duplicates-merge = Merge
duplicates-not-same = Not the same person
duplicates-merged = Merged into { $name }.
duplicates-open = Open
duplicates-kept-apart = Noted: these are two people. The pair is not suggested again.
duplicates-failed = This could not be saved. Nothing was lost; please try again.
duplicates-other-communities = These two are in different communities; a pair can be merged only within one community.
contact-merged-into = This contact was merged into another record of the same person.
contact-open-kept = Open that record
more-review = What changed
more-review-desc = Changes by mentors not yet reviewed, with old and new values.
review-title = What changed
review-intro = Changes not yet reviewed, newest first, in the order they were made. Times are as each device’s clock says.
review-place = Community
review-network = Network (events, companies, mentors …)
review-kind = Kind of record
review-mentor = Mentor
review-with-reviewed = Also show reviewed changes
review-unreviewed = { $count ->
    [one] 1 change not yet reviewed
   *[other] { $count } changes not yet reviewed
}
review-failed = The review mark could not be saved. Nothing was lost; please try again.
review-none = Nothing to review here.
review-mark-all = { $count ->
    [one] Mark 1 change reviewed
   *[other] Mark these { $count } changes reviewed
}
review-more = Show more
review-changed = changed
review-record-gone = a record that no longer exists
review-device-time = { $time } (device time)
review-clock-behind = This device’s clock seems to be behind: the change was made after the ones listed below it.
review-reviewed = Reviewed by
review-mark = Mark reviewed
change-became = changed to
history-field-merged-into = merged into
history-field-not-the-same = not the same person as
