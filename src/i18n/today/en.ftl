## today (en): the start page

today-hello = Hello,
today-quick-title = Quick entry
today-quick-tally = Tally an info session
today-quick-consultation = First consul­tation
today-quick-referral = Referral
today-save-failed = Could not save on this device. Please try again.
today-marked-done = Done:
today-undo = Undo
today-overdue = Overdue
today-due = Due today
today-nothing-due = Nothing due. Well done.
today-nothing-due-today = Nothing else is due today.
today-upcoming = Next events (14 days)
today-no-events = No events in the next 14 days.
today-kind-follow-up = Follow-up
today-kind-referral = Referral
today-mark-done = Done
today-show-more = { $count ->
    [one] Show 1 more
   *[other] Show { $count } more
}
today-later = A week later
today-marked-later = Put off a week:
today-whose = Whose reminders
today-mine = Mine
today-everyone = Everyone’s
today-no-person = no person
today-next-event = { $count ->
    [one] Next event
   *[other] Next of { $count } events
}
