### Lotse, English. Glossary for translators; keep the terms the same in every string:
### Ausbildung: vocational training (dual: a company and a vocational school), never just "education".
### German institutions keep their German name, with a gloss where a sentence needs one:
### Handwerkskammer (chamber of crafts), IHK (chamber of industry and commerce),
### Agentur für Arbeit (Federal Employment Agency), Jobcenter (job and benefits office),
### Jugendmigrationsdienst (youth migration service).
### Relay: the sync server of the service centre; in the texts "the server", and "shared" for synced. Lotse: a name, never translated.

app-name = Lotse
app-tagline = The parent mentors' notebook

nav-contacts = Contacts
nav-device = This device

sync-offline = Offline
sync-connecting = Connecting…
sync-syncing = Sharing…
sync-synced = All shared at { $time }
sync-pending = Saved on this phone, not yet shared

setup-title = Set up this device
setup-intro = Your entries stay on this phone and are shared, encrypted, with your community's mentors.
setup-mentor-name = Your name
setup-community-name = Your community
setup-community-hint = For example: Turkish-speaking families Osnabrück
setup-save = Start
setup-join-hint = Invited by your coordinator? Open the invitation link you received.

join-title = Join your community
join-intro = This device will share the contacts of { $community }.
join-intro-coordinator = You are invited as a coordinator of the network: this device starts with { $community } and gets the keys of every community once a coordinator has been online.
join-save = Join
join-error = This join link is broken or incomplete. Ask your coordinator for a new invitation.

contacts-title = Contacts
contacts-search = Search by name, phone, district or language
contacts-add = Add contact
contacts-empty = No contacts yet. Add the first one after a conversation.
contacts-none-found = No contact matches “{ $query }”.
contacts-count = { $count ->
    [one] 1 contact
   *[other] { $count } contacts
}

group-parent = Parent
group-youth = Young person
group-self-employed = Business owner

contact-new = New contact
contact-edit = Edit contact
contact-consent-section = Consent
contact-consent-given = The person agreed that I store their details
contact-consent-date = Consent given on
contact-consent-scope = Consent covers
scope-advice = Advice only
scope-advice-referral = Advice and referral to institutions
contact-details-section = Details
contact-target-group = Target group
contact-name = Name
contact-phone = Phone
contact-languages = Languages
contact-languages-hint = Separated by commas, e.g. Turkish, German
contact-district = District
contact-household = Household (id, optional)
contact-notes = Notes
contact-notes-warning = Do not record health, religion or residence status.
contact-save = Save
contact-cancel = Cancel
contact-saved = Saved on this device.
save-failed-full = Not saved: this phone's storage is full. Your entry is still in the form; free some space and try again.
save-failed-refused = Not saved: this browser does not let Lotse store data here (a private window?). Your entry is still in the form; try again.
save-failed = Could not save on this device. Your entry is still in the form; try again.

error-required = Please fill this in.
error-bad-phone = A phone number has 6 to 15 digits; only +, spaces, - / ( ) besides.
error-bad-date = Please give a real date.
error-bad-time = Please give a time such as 18:30.
error-consent-missing = Record the person's consent first: without it no name or number may be stored.
error-not-an-id = This is not a household id.
error-too-long = This is too long.
error-unknown-choice = Please pick one of the options.
form-has-errors = Please fix the fields marked below.

device-title = This device
device-mentor = Mentor
device-community = Community
device-language = Language
device-storage = Storage
storage-persisted = Kept: the browser will not clear Lotse's data on its own.
storage-not-persisted = Not guaranteed: the browser may clear data when space runs low. Install Lotse to the home screen.
storage-unknown = Checking…
device-copy = Copy link
device-copied = Copied.
device-problems = Sharing problems

update-available = A new version of Lotse is available.
update-reload = Reload

problem-undecryptable = An entry from the server could not be decrypted and was skipped.
problem-not-automerge = An entry from the server was damaged and was skipped.
problem-unsigned = An entry from the server was not written by a member of the network (or was written after their device was removed) and was skipped.
problem-relay = The server refused a message: { $message }

store-full = This phone's storage is full. Free some space, then reload Lotse.
store-refused = The browser does not let Lotse store data here (a private window?). Open Lotse in a normal window or install it to the home screen.
store-failed = Lotse could not open its storage on this device. Reload the page; if that does not help, restart the browser.
engine-restarting = Lotse is restarting its storage service. Everything saved is kept.
part-missing = This part of Lotse is not on the device yet and could not be loaded. Try again once you have a connection. Everything saved is kept.
part-retry = Try again
engine-outdated = A new version of Lotse is here. Reload the page.
setup-save-failed = Could not save the settings on this device. Free some space or leave private browsing, then try again.

# A date written out in full (Today, events), as the browser writes it
# (Intl, dateStyle "full"), whose formatter costs a phone a tenth of a
# start to make. Weekdays from Monday; months in the form a date uses.
date-full = { $weekday }, { $month } { $day }, { $year }
date-weekday-1 = Monday
date-weekday-2 = Tuesday
date-weekday-3 = Wednesday
date-weekday-4 = Thursday
date-weekday-5 = Friday
date-weekday-6 = Saturday
date-weekday-7 = Sunday
date-month-1 = January
date-month-2 = February
date-month-3 = March
date-month-4 = April
date-month-5 = May
date-month-6 = June
date-month-7 = July
date-month-8 = August
date-month-9 = September
date-month-10 = October
date-month-11 = November
date-month-12 = December
