## report (en): the funders' report of a period

more-report = Report
more-report-desc = The quarter's figures for the funders: tables, charts, CSV and XLSX downloads.
report-title = Report for the funders
report-period-label = Period
report-period-range = From … to …
report-from = From
report-to = To
report-quarter = Q{ $quarter } { $year }
report-range = { $from } to { $to }
report-as-of = Computed from the data on this device, as of { $date }. Entries that have not reached this device yet are not counted.
report-bad-from = The start date is missing or not a date: pick a day.
report-bad-to = The end date is missing or not a date: pick a day.
report-ends-before-start = The period ends on { $to }, before it starts on { $from }: swap the two dates.
report-bad-year = The year { $year } is out of range: pick a year from 1 to 9999.
report-bad-period = This is not a period: pick a quarter, or a start and an end date.
report-download-all = Download the whole report (CSV)
report-download-csv = CSV
report-download-all-xlsx = Download the whole report (XLSX)
report-download-xlsx = XLSX
report-col-figure = Figure
report-col-value = Value
report-overview-from = Period from
report-overview-to = Period to
report-overview-as-of = Data as of
report-overview-median-days = Median days from first consultation to training
report-table-overview = Overview
report-download-failed = The file could not be saved. Try again, or use another browser.

report-fig-first-consultations = First consultations
report-fig-consultations = Consultations
report-fig-referrals = Referrals
report-fig-events = Events
report-fig-attendance = Attendance
report-fig-companies-joined = Companies newly training
report-fig-places-acquired = Training places acquired
report-fig-places-filled = Training places filled
report-fig-active-mentors = Active mentors
report-fig-placed = Placed after a referral
report-fig-median-days = { PLURAL($count) ->
    [one] median { $count } day from first consultation
   *[other] median { $count } days from first consultation
}
report-fig-median-none = nobody placed yet

report-chart-consultations = Consultations by community
report-chart-attendance = Attendance at events by target group

report-table-first-consultations = First consultations by community and target group
report-table-consultations = Consultations by community and target group
report-table-referrals = Referrals by community and target group
report-table-referrals-by-institution = Referrals by institution and status
report-table-events = Events by kind
report-table-events-by-community = Events by community
report-table-companies = Companies
report-table-training-places = Training places acquired, by status now
report-table-active-mentors = Active mentors
report-table-measures = Action plan
report-table-placements = Placed in training after a referral
report-table-placements-unlinked = Filled places not counted as placements

report-col-community = Community
report-col-institution = Institution
report-col-event-kind = Kind of event
report-col-events = Events
report-col-in-network = Companies in the network
report-col-in-network-licensed = of them licensed to train
report-col-joined = Newly joined
report-col-joined-licensed = of them licensed to train
report-col-places-acquired = Places acquired
report-col-active-mentors = Active mentors
report-col-action-field = Field of action
report-col-measure = Measure
report-col-owner = Responsible
report-col-metric = Counted
report-col-year = Year
report-col-target = Target
report-col-done-period = In the period
report-col-done-to-date = In the year to date
report-col-percent = % of target
report-col-median-days = Median days to placement
report-col-reason = Reason
report-col-places = Places
report-col-no-group = No target group
report-col-total = Total
report-col-attendance-parent = Attendance: parents
report-col-attendance-youth = Attendance: young people
report-col-attendance-self-employed = Attendance: self-employed
report-col-attendance = Attendance
report-row-total = Total
report-row-no-community = No community (whole network)
report-unlinked-unknown-person = Person not named or not on this device
report-unlinked-not-referred = No referral before the placement
report-unlinked-referral-without-consultation = Referral without an earlier consultation
report-complete-after-end = { $synced } of { $active } active { $active ->
        [one] device
       *[other] devices
    } synced after the end of the period.
report-complete-today = { $synced } of { $active } active { $active ->
        [one] device
       *[other] devices
    } synced today; the period is still running.
report-complete-unknown = How complete the report is shows once this device has read the network’s devices (after being online).
report-late-device = { $who } last synced on { $time }
report-late-never = { $who } has not reported a sync yet
report-overview-devices-active = Active devices
report-overview-devices-synced = Devices synced after the end of the period
report-overview-devices-synced-today = Devices synced today
report-overview-late = Last sync of the other devices
report-overview-device = Device
