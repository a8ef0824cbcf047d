## network (en): more, companies, training places, institutions, network, action plan

net-all = All
net-period-month = this month
net-period-quarter = this quarter
net-period-year = this year
net-filters = Filters
net-filters-on = { $count ->
    [one] Filters (1 on)
   *[other] Filters ({ $count } on)
}
net-show-more = { $count ->
    [one] Show 1 more
   *[other] Show { $count } more
}

more-title = More
more-referrals = Referrals
more-referrals-desc = Who was referred to which institution, and what is still open.
more-companies = Companies
more-companies-desc = The network of training business owners and their apprenticeship places.
more-institutions = Institutions
more-institutions-desc = Career guidance, Jobcenter, chambers, advice services: where people are referred.
more-network = Network
more-network-desc = Communities, mentors and migrant organisations.
more-action-plan = Action plan
more-action-plan-desc = This year's measures and how far they have come.
more-device = This device
more-device-desc = Your name, language, storage and invitations for new mentors.

companies-title = Companies
companies-intro = Businesses run by owners with a migration background who train apprentices or want to.
companies-count = { $count ->
    [one] 1 company
   *[other] { $count } companies
}
companies-search = Search by name, trade or contact person
companies-search-placeholder = Name, trade, contact person
companies-filter-chamber = Chamber
companies-filter-licence = Training licence
companies-filter-community = Community
companies-filter-period = Joined the network
companies-empty = No companies in the network yet. Add the first one.
companies-none-found = No company matches the search and filters.
companies-places = Apprenticeship places:
companies-add = Add company

company-new = New company
company-edit = Edit company
company-name = Company name
company-trade = Trade
company-chamber = Chamber
company-licence = Training licence (AEVO)
company-contact-person = Contact person
company-phone = Phone
company-community = Community
company-no-community = No community
company-member-since = In the network since
company-places = Apprenticeship places
company-places-count = { $count ->
    [one] 1 place
   *[other] { $count } places
}
company-places-empty = No apprenticeship places recorded yet.
company-place-start = Starts:
company-place-filled-by = Filled by:
company-add-place = Add apprenticeship place

training-place-new = New apprenticeship place
training-place-edit = Edit apprenticeship place
training-place-company = Company
training-place-pick-company = Choose a company
training-place-occupation = Occupation (Ausbildungsberuf)
training-place-start = Training starts
training-place-status = Status
training-place-acquired = Acquired on
training-place-filled-by = Filled by
training-place-youth-hint = The name stays in the community; the network only learns that the place is filled.
training-place-other-community = a person from another community

institutions-title = Institutions
institutions-intro = The bodies mentors refer people to. Every device sees the same list.
institutions-count = { $count ->
    [one] 1 institution
   *[other] { $count } institutions
}
institutions-empty = No institutions yet.
institutions-referrals = { $count ->
    [one] 1 referral
   *[other] { $count } referrals
}
institutions-add = Add institution

institution-form-new = New institution
institution-form-edit = Edit institution
institution-form-name = Name
institution-form-kind = Kind
institution-form-address = Address
institution-form-phone = Phone

network-title = Network
network-intro = Who works in the network: communities, mentors, coordinators and migrant organisations.
network-communities = Communities
network-communities-count = { $count ->
    [one] 1 community
   *[other] { $count } communities
}
network-mentors-count = { $count ->
    [one] 1 mentor
   *[other] { $count } mentors
}
network-contacts-count = { $count ->
    [one] 1 contact
   *[other] { $count } contacts
}
network-add-community = Add community
network-mentors = Mentors and coordinators
network-inactive = not active
network-add-mentor = Add person
network-partners = Migrant organisations
network-partners-count = { $count ->
    [one] 1 organisation
   *[other] { $count } organisations
}
network-partners-empty = No migrant organisations yet.
network-add-partner = Add organisation

community-form-new = New community
community-form-edit = Edit community
community-form-new-hint = The new community then appears in the network list. Mentors share its contacts through a join link from a device that holds the community.
community-form-name = Name
community-form-name-hint = For example: Arabic-speaking families Osnabrück
community-form-languages = Languages
community-form-languages-hint = Separated by commas, e.g. Arabic, Kurdish

profile-new = New person in the network
profile-edit = Edit person
profile-new-hint = Anyone who uses Lotse on a device of their own appears here by themselves. Add people without a device of their own here.
profile-name = Name
profile-role = Role
profile-community = Community
profile-no-community = No community
profile-languages = Languages
profile-languages-hint = Separated by commas, e.g. Turkish, German
profile-active = Active in the network

partner-new = New migrant organisation
partner-edit = Edit migrant organisation
partner-name = Name of the organisation
partner-community = Community
partner-no-community = No community
partner-contact-person = Contact person
partner-phone = Phone

plan-title = Action plan
plan-intro = The year's measures with their target figures; progress is counted from the records.
plan-year = Year
plan-measures-count = { $count ->
    [one] 1 measure
   *[other] { $count } measures
}
plan-field-empty = No measures for this year yet.
plan-progress = Progress:
plan-of = of
plan-met = Target reached
plan-add = Add measure

measure-new = New measure
measure-edit = Edit measure
measure-field = Field of action
measure-title = Title
measure-owner = Responsible
measure-target = Target figure
measure-year = Year
measure-metric = What is counted
measure-event-kind = Kind of event
measure-any-kind = All kinds
measure-counts-hint = Lotse counts the progress from this year's records in all communities on this device.
