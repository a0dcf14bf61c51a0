# The manager console (/manager): its page, and the audit lines and report files the server
# writes. Each message exists in ar/manager.ftl too; a test checks both files match.

## Audit log: one line per logged action (what happened; who and when are columns)

audit-actor-system = System
audit-catalog_loaded = Configuration loaded ({ $services } services, { $counters } windows)
audit-day_started = New day { $day }
audit-ticket_issued = Issued { $ticket } for { $service } ({ $priority })
audit-ticket_called = Called { $ticket } to { $counter }
audit-ticket_called_out_of_order = Called { $ticket } to { $counter } out of order: “{ $reason }”
audit-ticket_recalled = Called { $ticket } again to { $counter }
audit-service_started = Started serving { $ticket } at { $counter }
audit-ticket_finished = Finished { $ticket } at { $counter }: { $outcome }
audit-ticket_no_show = { $ticket } did not come to { $counter }
audit-ticket_cancelled = Cancelled { $ticket } ({ $reason })
audit-ticket_transferred = Transferred { $ticket } to { $target }
audit-ticket_parked = Set { $ticket } aside at { $counter }
audit-ticket_returned = Called { $ticket } back to { $counter }
audit-counter_opened = Opened { $counter } for { $clerk }
audit-counter_closed = Closed { $counter }
audit-counter_paused = Paused { $counter }
audit-counter_resumed = Resumed { $counter }
audit-service_availability_set = { $open ->
    [yes] Opened { $service } for new tickets
   *[no] Closed { $service } to new tickets
}
audit-counter_profile_set = Set the services of { $counter }: { $profile }
audit-message_set = Set the boards' message: “{ $text }”
audit-message_cleared = Cleared the boards' message
audit-user_created = Created the { $role } account { $username }
audit-password_reset = Reset the password of { $username }
audit-user_disabled = Disabled the account { $username }
audit-user_enabled = Enabled the account { $username }
audit-device_paired = Paired the { $role } { $name }
audit-device_revoked = Revoked the device { $name }
audit-printer_status_changed = Printer of { $device }: { $status } { $detail }
audit-reason-withdrawn = withdrawn
audit-reason-day_ended = the day ended
audit-reason-service_removed = service removed
audit-front = front of the queue
audit-back = back of the queue
role-clerk = clerk
role-manager = manager
role-kiosk = kiosk
role-board = board

## Reports (page and exported files)

report-by-day = Day
report-by-hour = Hour
report-by-service = Service
report-by-counter = Window
report-by-clerk = Clerk
report-total = Total
report-col-name = Name
report-col-tickets = Tickets
report-col-served = Served
report-col-no_shows = No-shows
report-col-cancelled = Cancelled
report-col-wait_mean = Mean wait (min)
report-col-wait_p90 = 90th percentile wait (min)
report-col-service_mean = Mean service (min)
report-col-service_p90 = 90th percentile service (min)

## The console's page

mgr-tab-dashboard = Dashboard
mgr-tab-services = Services
mgr-tab-devices = Devices
mgr-tab-staff = Staff
mgr-tab-reports = Reports
mgr-tab-audit = Audit log
mgr-waiting-now = Waiting now
mgr-longest-wait = Longest wait
mgr-served-today = Served today
mgr-rating-today = Citizens' rating today
mgr-rating-value = { $mean } of { $max }
mgr-rating-count = { $form ->
    [one] one rating
   *[other] { $count } ratings
}
mgr-counters-open = Windows open
mgr-chart-waiting = Waiting per service
mgr-chart-longest = Longest wait per service (minutes)
mgr-chart-empty = Nobody is waiting.
mgr-counters = Windows
mgr-col-counter = Window
mgr-col-state = State
mgr-col-clerk = Clerk
mgr-col-ticket = Ticket
mgr-col-since = Since
mgr-col-queue = Can call
mgr-col-services = Services (weight)
mgr-col-service = Service
mgr-col-waiting = Waiting
mgr-col-estimate = Estimated wait
mgr-col-serving = Windows serving
mgr-col-issued = Issued today
mgr-col-open = Taking tickets
mgr-col-name = Name
mgr-col-role = Role
mgr-col-online = Connected
mgr-col-added = Added
mgr-col-username = Username
mgr-col-active = Active
mgr-col-when = When
mgr-col-who = Who
mgr-col-what = What
mgr-edit-profile = Services…
mgr-profile-title = Services of { $counter }
mgr-profile-hint = Tick the services this window calls and give each a weight (above 0, at most 100): a higher weight calls that service sooner. It takes effect at the window's next call.
mgr-profile-saved = The services of { $counter } were saved.
mgr-close-counter = Close
mgr-closed-counter = { $counter } was closed.
mgr-message = Boards' message line
mgr-message-placeholder = A line every board scrolls (empty: none)
mgr-message-save = Show on the boards
mgr-message-saved = The boards' message was updated.
mgr-service-open = Open
mgr-service-closed = Closed
mgr-open-service = Open to new tickets
mgr-close-service = Close to new tickets
mgr-no-estimate = —
mgr-pairing-title = Pair a new kiosk or board
mgr-pairing-hint = A kiosk or board without a token shows a six-digit code on its own screen. Type that code (with or without the space) and the name to give the device; it goes on by itself.
mgr-pairing-code = Code on the device's screen
mgr-pairing-name = Device name (e.g. kiosk-3)
mgr-pairing-approve = Approve
mgr-paired = { $name } is paired and connected.
mgr-pending = Devices waiting
mgr-pending-none = No device is waiting to be paired.
mgr-pending-line = Code { $code }: { $kind } “{ $name }”, until { $until }
mgr-devices = Registered devices
mgr-revoke = Revoke
mgr-revoke-confirm = Revoke { $name }? It stops working at once and must be paired again.
mgr-revoked = { $name } was revoked.
mgr-yes = Yes
mgr-no = No
mgr-staff-new = New account
mgr-staff-username = Username (Latin letters, e.g. mona.ali)
mgr-staff-display = Full name
mgr-staff-role = Role
mgr-staff-create = Create
mgr-staff-password = Password of { $username }: { $password } — give it to them now; it is not shown again.
mgr-reset-password = New password
mgr-reset-confirm = Give { $username } a new password? Their current sessions end.
mgr-disable = Disable
mgr-enable = Enable
mgr-disable-confirm = Disable { $username }? They are signed out at once.
mgr-you = (you)
mgr-report-from = From
mgr-report-to = To
mgr-report-by = Group by
mgr-report-show = Show
mgr-report-csv = Download CSV
mgr-report-xlsx = Download Excel
mgr-report-empty = No tickets in these days.
mgr-audit-actor = Who (username)
mgr-audit-kind = What
mgr-audit-any = Anything
mgr-audit-filter = Filter
mgr-audit-prev = Newer
mgr-audit-next = Older
mgr-audit-page = { $from }–{ $to } of { $total }
mgr-audit-none = Nothing matches.

## Audit log filter: kinds of action

audit-kind-ticket_issued = Ticket issued
audit-kind-ticket_called = Ticket called
audit-kind-ticket_recalled = Ticket called again
audit-kind-service_started = Service started
audit-kind-ticket_finished = Ticket finished
audit-kind-ticket_no_show = No-show
audit-kind-ticket_cancelled = Ticket cancelled
audit-kind-ticket_transferred = Ticket transferred
audit-kind-ticket_parked = Ticket set aside
audit-kind-ticket_returned = Ticket called back
audit-kind-counter_opened = Window opened
audit-kind-counter_closed = Window closed
audit-kind-counter_paused = Window paused
audit-kind-counter_resumed = Window resumed
audit-kind-service_availability_set = Service opened or closed
audit-kind-counter_profile_set = Window services set
audit-kind-message_set = Boards' message
audit-kind-day_started = New day
audit-kind-catalog_loaded = Configuration loaded
audit-kind-printer_status_changed = Printer status
audit-kind-user_created = Account created
audit-kind-password_reset = Password reset
audit-kind-user_disabled = Account disabled
audit-kind-user_enabled = Account enabled
audit-kind-device_paired = Device paired
audit-kind-device_revoked = Device revoked

## Dashboard: the kiosks' printers (issue 14)
mgr-printers = Kiosk printers
mgr-printers-ok = Every kiosk's printer is ready.
mgr-col-kiosk = Kiosk
mgr-col-printer = Printer
mgr-col-detail = Detail
mgr-printer-since = { $time } ({ $duration })

## Issue 14: the tamper-evident log, sign-in locks, the finish line's reference

audit-ticket_finished_ref = Finished { $ticket } at { $counter }: { $outcome }, reference { $reference }
mgr-no-public-url = The center's public address is not set.
mgr-no-public-url-what = The QR code on receipts points at an address citizens' phones cannot reach. Set public_url in the [access] section of the center's file (docs/deploy.md).
audit-account_locked = Locked sign-in to { $username } from { $source } (wrong passwords in a row: { $failures }; minutes: { $minutes })
audit-account_unlocked = Unlocked sign-in to { $username }
audit-chain_break_accepted = Started on a log that failed its check ({ $chain }, row { $row }): { $problem }
audit-kind-account_locked = Account locked
audit-kind-account_unlocked = Account unlocked
audit-kind-chain_break_accepted = Broken log accepted
audit-chain_break_found = The log was changed outside the server before the last start ({ $chain }, row { $row }): { $problem }
audit-kind-chain_break_found = Changed log found
mgr-chain-break = The log was changed outside the server: { $chain ->
        [events] the event log
       *[other] the admin log
    }, row { $row }.
mgr-chain-break-what = Run queue-server verify and report it; the audit log has the details.
audit-snapshot_refused = A snapshot of the state (event { $seq }) was not used at start: { $reason ->
        [data_hash] its data does not match its hash
       *[other] it does not match the log at its event
    }; the log was replayed instead
audit-kind-snapshot_refused = Snapshot refused
mgr-closing-title = Closing hash of each day
mgr-closing-note = One value fixing every event and account change up to the end of the day: keep it outside the center (print it); a history rewritten later no longer gives it.
mgr-closing-upto = up to event { $seq }
report-col-transferred = Transferred
mgr-locked-until = Sign-in locked until { $time }
mgr-unlock = Unlock
report-closing = Closing hash { $day }
report-closing-provisional = Closing hash so far { $day } (provisional: the day is not over)
mgr-closing-provisional = so far (provisional: the day is not over)

## Staffing advisor (js/staffing.js): advisory only
mgr-tab-staffing = Staffing
mgr-staff-intro = Advice from the queue model: how many windows keep the longest wait under your target. It changes nothing by itself.
mgr-staff-target = Longest wait (minutes)
mgr-staff-advise = Advise
mgr-staff-method = Method: the routing rule played forward with the learned service times and arrivals (now), a simulation of each hour of tomorrow with 90% of tickets called within the target, and Erlang C beside it as a cross-check.
mgr-staff-now = Now, for the next hour
mgr-staff-now-ok = With the windows open now, no one should wait more than { $target } min in the next hour (longest expected: { $longest } min).
mgr-staff-now-open = { $count ->
    [one] To keep every wait under { $target } min for the next hour, open 1 more window:
   *[other] To keep every wait under { $target } min for the next hour, open { $count } more windows:
}
mgr-staff-now-after = With them, the longest wait expected: { $longest } min.
mgr-staff-now-short = Even with every window open, the longest wait would be about { $longest } min.
mgr-staff-over = Over the target now: { $list }
mgr-staff-tomorrow = Tomorrow ({ $day }): windows needed per hour
mgr-staff-chart = Windows needed per hour tomorrow
mgr-staff-legend = Bars: windows needed by simulation; red line: Erlang C.
mgr-staff-no-history = Not enough history yet to plan tomorrow: the advisor learns the arrivals of each weekday from the log.
mgr-staff-col-hour = Hour
mgr-staff-col-arrivals = Tickets expected
mgr-staff-col-counters = Windows (simulation)
mgr-staff-col-erlang = Windows (Erlang C)
mgr-staff-col-services = Per service

## The national service's report exports (central/, docs/network.md)
report-by-center = Site
report-by-governorate = Governorate
report-col-revenue = Revenue (EGP)

## Requests and feedback (issue 12)

audit-request_created = Request { $reference } handed in with { $ticket } for { $service }, expected ready { $date }
audit-request_state_changed = Request { $reference }: { $state } { $detail }
audit-feedback_given = Rating { $rating }/5 for { $ticket }
audit-kind-request_created = Request handed in
audit-kind-request_state_changed = Request state changed
audit-kind-feedback_given = Citizen's rating
role-back_office = back office
report-col-requests = Requests handed in
report-col-ratings = Ratings
report-col-rating_mean = Mean rating (1–5)
report-requests = Requests
report-req-reference = Reference
report-req-service = Service
report-req-counter = Window
report-req-clerk = Clerk
report-req-created = Handed in
report-req-expected = Expected ready
report-req-state = State
report-req-changed = Last change
report-req-changed_by = Changed by
