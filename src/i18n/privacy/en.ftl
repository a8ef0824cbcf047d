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
