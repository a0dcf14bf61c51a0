# The national console (central/web). Plural forms select on $form, the CLDR category the page
# computes with Intl.PluralRules.

nat-title = National console
nat-signin-title = Sign in to the national console
nat-username = Username
nat-password = Password
nat-signin = Sign in
nat-nation = Egypt
nat-national-viewer = National viewer
nat-governorate-viewer = Governorate viewer: { $name }
nat-waiting-now = Waiting now
nat-served-today = Served today
nat-revenue-today = Revenue today
nat-sites-online = Sites online
nat-alerts = Alerts
nat-governorates = Governorates
nat-sites = Sites
nat-col-name = Name
nat-col-kind = Type
nat-col-sites = Sites online
nat-col-waiting = Waiting
nat-col-longest = Longest wait
nat-col-counters = Windows open
nat-col-served = Served
nat-col-wait-mean = Mean wait
nat-col-service-mean = Mean service
nat-col-revenue = Revenue
nat-col-status = Status
nat-col-last-event = Last event
nat-col-alerts = Alerts
nat-col-tickets = Tickets
nat-col-no-shows = No-shows
nat-kind-center = Center
nat-kind-office = Governorate office
nat-kind-van = Mobile van
nat-online = Online
nat-offline-since = { $form ->
    [one] Offline since { $time }, last seen with { $count } waiting
   *[other] Offline since { $time }, last seen with { $count } waiting
}
nat-never-heard = Never heard from
nat-egp = { $amount } EGP
nat-minutes = { $form ->
    [one] { $count } min
   *[other] { $count } min
}
nat-ago = { $form ->
    [zero] just now
    [one] { $count } min ago
   *[other] { $count } min ago
}
nat-alert-long-wait = { $site }: someone has waited { $duration }
nat-alert-silent = { $site }: open, but no event for { $duration }
nat-alert-offline = { $site }: { $status }
nat-no-alerts = No alerts.
nat-slowest = Longest mean wait today
nat-busiest = Most served today
nat-back-nation = All governorates
nat-site-today = Today at this site
nat-by-service = By service
nat-by-clerk = By clerk
nat-by-hour = By hour
nat-reports = Reports
nat-from = From
nat-to = To
nat-by = Group by
nat-group-center = Site
nat-group-governorate = Governorate
nat-group-service = Service
nat-group-clerk = Clerk
nat-group-day = Day
nat-group-hour = Hour
nat-show = Show
nat-csv = Download CSV
nat-xlsx = Download Excel
nat-last-commit = Figures as of { $time }
nat-error-not_signed_in = Please sign in.
nat-error-session_expired = Your session has ended; please sign in again.
nat-error-bad_credentials = Wrong username or password.
nat-error-other_governorate = That is outside your governorate.
nat-error-storage_failure = The national store is not answering; the figures will come back.
nat-error-bad_range = Choose a range of at most a year, the start before the end.
nat-error-bad_grouping = Choose a grouping.
nat-error-export_failed = The file could not be made.
nat-error-no_such_site = No such site.
nat-alert-closing-mismatch = { $site }: the closing hash it sent for { $day } does not match its events held here
nat-closings = Days' closing hashes
nat-closing-day = Day
nat-closing-hash = Hash
nat-closing-verdict = Check
nat-closing-match = Matches the national store's events
nat-closing-mismatch = Does not match: the site's log changed, or events are missing
nat-closing-pending = Waiting for the day's events to arrive
nat-no-closings = No closing hash from this site yet.
nat-loading = Loading the figures…
