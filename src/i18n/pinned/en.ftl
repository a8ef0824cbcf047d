## pinned (en): earlier exports of a report, counted again from their data

kind-exports = Report export
pinned-title = Earlier exports of this period
pinned-none = Nothing of this period has been downloaded yet. Each download is kept here with the data it was counted from.
pinned-whole = Whole report
pinned-format-csv = CSV
pinned-format-xlsx = XLSX
pinned-counting = Counting the report again from the data it was exported from …
pinned-stopped = The report could not be counted again: the app restarted. Open the export again.
pinned-missing = This device does not hold all the data this export was counted from yet. Once it has synced, open the export again.
pinned-unreadable = This export cannot be read: it was recorded by another version of the app.
pinned-same = Counted again from the data it was exported from: the same figures as exported.
pinned-not-same = Counted again from the data it was exported from, the figures differ from those recorded. Export the report again.
pinned-unchanged = No figure has changed since: late entries did not alter this period.
pinned-changed = { PLURAL($count) ->
    [one] { $count } figure differs today, through entries that arrived after the export:
   *[other] { $count } figures differ today, through entries that arrived after the export:
}
pinned-col-figure = Figure
pinned-col-exported = Exported
pinned-col-now = Today
pinned-col-change = Change
pinned-later = { PLURAL($count) ->
    [one] { $count } entry reached this device after the export, written on { $first }.
   *[other] { $count } entries reached this device after the export, written between { $first } and { $last }.
}
