## events (en): events and their head counts

events-title = Events
events-count = { $count ->
    [one] 1 event
   *[other] { $count } events
}
events-search = Search by title or school
events-filters = Filters
events-filter-kind = Kind
events-filter-all-kinds = All kinds
events-filter-community = Community
events-filter-all-communities = All communities
events-filter-period = Period
events-period-all = All time
events-period-upcoming = From today
events-period-month = This month
events-period-quarter = This quarter
events-period-year = This year
events-filter-reset = Reset filters
events-empty = No events yet. After an info session, tap “New event”.
events-none-found = No event matches the search and filters.
events-show-more = { $count ->
    [one] Show 1 more
   *[other] Show { $count } more
}
events-add = New event
events-attendance = { $count ->
    [one] 1 person
   *[other] { $count } people
}

event-form-new = New event
event-form-edit = Event
event-form-what = What and when
event-form-kind = Kind of event
event-form-date = Date
event-form-time = Time
event-form-place = Place
event-form-tally = Who came?
event-form-tally-hint = No names are recorded here: people who have not given consent are only counted. Tap + once for each person.
event-form-tally-parent = Parents
event-form-tally-youth = Young people
event-form-tally-self-employed = Business owners
event-form-tally-minus = one person fewer
event-form-tally-plus = one person more
event-form-tally-total = { $count ->
    [one] Total: 1 person
   *[other] Total: { $count } people
}
event-form-tally-unsaved = The tally is not saved yet. Tap “Save” when you are done.
event-form-details = Details
event-form-school = School
event-form-title = Title
event-form-title-hint = Optional, e.g. “Parent evening: apprenticeships in the trades”
event-form-company = Company
event-form-no-company = No company selected
event-form-partner = Partner organisation (co-host)
event-form-no-partner = None
event-form-community = Community
event-form-no-community = All communities (network-wide)
events-period-past = Past
events-show-past = Show past events
events-show-upcoming = Show upcoming events
