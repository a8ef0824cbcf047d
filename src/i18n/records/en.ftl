## records (en): names of the closed lists, shared by every page

error-not-a-number = Please give a whole number.
error-out-of-range = This number or date is outside what is possible here.

topic-orientation = Vocational orientation
topic-training-place = Finding a training place
topic-applications = Applications
topic-internships = Internships
topic-recognition = Recognition of foreign qualifications
topic-training-licence = Training licence for a business
topic-funding = Funding

outcome-informed = Informed
outcome-referred = Referred to an institution
outcome-follow-up = Follow-up agreed
outcome-place-found = Training place found
outcome-no-need = No further need

referral-status-open = Open
referral-status-contacted = Contacted
referral-status-done = Done
referral-status-no-show = No show

role-mentor = Parent mentor
role-coordinator = Coordinator

institution-kind-career-guidance = Career guidance
institution-kind-jobcenter = Jobcenter
institution-kind-hwk = Chamber of crafts (HWK)
institution-kind-ihk = Chamber of commerce (IHK)
institution-kind-youth-migration = Youth migration service
institution-kind-adult-migration = Migration advice for adults
institution-kind-school = School
institution-kind-other = Other

event-kind-school-info = School info session
event-kind-open-day = Open day
event-kind-company-visit = Company visit
event-kind-parent-evening = Parent evening
event-kind-network-meeting = Network meeting
event-kind-mentor-training = Mentor training

chamber-hwk = HWK (crafts)
chamber-ihk = IHK (commerce and industry)

licence-none = No training licence
licence-in-preparation = Licence in preparation
licence-has = Has a training licence

place-status-acquired = Acquired
place-status-offered = Offered
place-status-filled = Filled

action-field-school-to-work = School-to-work transition
action-field-self-employed = Support for the self-employed
action-field-network = Network work

metric-events = Events held
metric-attendance = People reached at events
metric-consultations = Consultations
metric-referrals = Referrals
metric-companies-joined = Companies joining the network
metric-companies-licensed = Companies with a training licence
metric-places-acquired = Training places acquired
metric-places-filled = Training places filled

record-not-found = This entry does not exist on this device.
form-notes = Notes
nav-today = Today
nav-consultations = Advice
nav-events = Events
nav-more = More
draft-restored = Your unfinished entry is back. Check it and save.

demo-title = Demo data
demo-working = Filling this device with a fictional network: communities, mentors, a year of consultations and events…
demo-failed = The demo data could not be written on this device. Reload to try again.
demo-fictional = Every person, family, association and business in the demo is made up.
demo-try = Try it with demo data
record-edit = Edit
list-download-label = Download the list
list-download-csv = Download the list as CSV
list-download-xlsx = Download the list as XLSX
