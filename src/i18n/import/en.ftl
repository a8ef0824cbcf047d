## import (en): contacts and companies from a CSV file

import-action = Import from a CSV file
import-title-contacts = Import contacts from a CSV file
import-title-companies = Import companies from a CSV file
import-coordinators-only = Only coordinators import lists from files.
import-intro = A CSV file from a spreadsheet, separated by commas or semicolons. The first row names the columns. You see what will be imported first; nothing is saved until you confirm.
import-columns = Columns: { $columns }
import-column-required = { $column } (required)
import-consent-note = Every person needs a consent: a date in “Consent given on” and, in “Consent covers”, “Advice only” or “Advice and referral to institutions”. Rows without consent are not imported. You are recorded as the one who recorded it.
import-template = Download a template (CSV)
import-community = Community for rows without one
import-file = Choose a CSV file
import-summary = Rows read: { $rows } – to import: { $good }, with errors: { $bad }.
import-read-as-windows-1252 = The file is not UTF-8; it was read as Windows-1252 (how Excel saves “CSV”). Check the accents below.
import-ignored = Lotse does not know these columns; they are not imported: { $columns }
import-errors-title = Rows with errors – they are not imported
import-good-title = These rows will be imported
import-row = Row { $row }
import-field-error = { $column }: { $message }
import-more = { $count ->
    [one] and one more
   *[other] and { $count } more
}
import-save-contacts = { $count ->
    [one] Import one contact
   *[other] Import { $count } contacts
}
import-save-companies = { $count ->
    [one] Import one company
   *[other] Import { $count } companies
}
import-saving = Saving on this device …
import-saved = { $count ->
    [one] One entry saved.
   *[other] { $count } entries saved.
}
import-saved-before-failure = { $count ->
    [one] One entry was saved, the rest was not.
   *[other] { $count } entries were saved, the rest was not.
}
import-saved-nothing = Nothing was saved.
import-open-contacts = Go to the contacts
import-open-companies = Go to the companies
import-error-required = Empty: please fill it in.
import-error-consent-missing = No consent: nobody is imported without the date of their consent.
import-error-bad-date = “{ $value }” is not a date: write it as 05.03.2026 or 2026-03-05.
import-error-bad-phone = “{ $value }” is not a phone number: 6 to 15 digits; only +, spaces, - / ( ) besides.
import-error-too-long = Too long: at most 200 characters, 5000 for notes.
import-error-unknown-choice = “{ $value }” is none of the choices. Write one of: { $choices }.
import-error-other = “{ $value }” does not fit here.
import-error-too-many-fields = The row has { $found } fields, the header only { $expected }: a separator too many, or a quote missing.
import-error-empty = The file is empty.
import-error-unclosed-quote = From row { $row } on, a field in quotes never ends: a closing " is missing.
import-error-no-rows = The file has a header row but no rows below it.
import-error-missing-columns = The file lacks columns: { $columns }. Add them to the first row (the template has them all).
import-error-twice-named = Columns { $first } and { $second } both mean “{ $column }”: keep one.
import-error-read = The file could not be read. Choose it again.

import-col-name = Name
import-col-target-group = Target group
import-col-phone = Phone
import-col-languages = Languages
import-col-district = District
import-col-community = Community
import-col-consent-date = Consent given on
import-col-consent-scope = Consent covers
import-col-trade = Trade
import-col-chamber = Chamber
import-col-licence = Training licence
import-col-contact-person = Contact person
import-col-member-since = In the network since
import-col-notes = Notes
