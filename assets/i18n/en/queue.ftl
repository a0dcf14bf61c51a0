# Strings of the queue system shared by every client (kiosk, board, consoles, ticket page).
# Each message exists in ar/queue.ftl too; a test checks both files have the same messages.

## Counting

people-ahead = { $count ->
    [0] Nobody is ahead of you
    [one] 1 person is ahead of you
   *[other] { $count } people are ahead of you
}
waiting-count = { $count ->
    [0] Nobody waiting
    [one] 1 person waiting
   *[other] { $count } people waiting
}
wait-minutes = { $minutes ->
    [0] less than a minute
    [one] about 1 minute
   *[other] about { $minutes } minutes
}
no-estimate = No window is serving this service right now

## Ticket states

ticket-state-waiting = Waiting
ticket-state-called = Called — please go to the window
ticket-state-serving = Being served
ticket-state-parked = Parked — come back to the same window
ticket-state-done = Done
ticket-state-no_show = Missed (not present when called)
ticket-state-cancelled = Cancelled

## Priorities

priority-normal = Regular
priority-elderly = Senior citizen
priority-disabled = Person with a disability
priority-pregnant = Pregnant woman

## Counter states

counter-state-closed = Closed
counter-state-idle = Open
counter-state-calling = Calling
counter-state-serving = Serving
counter-state-paused = Paused

## Outcomes

outcome-completed = Request received
outcome-incomplete_documents = Documents incomplete
outcome-referred = Referred to another office
outcome-rejected = Rejected

## Receipt printers (by report_printer status)

printer-status-ready = Printer ready
printer-status-paper_near_end = Paper running low
printer-status-paper_out = Out of paper
printer-status-cover_open = Printer cover open
printer-status-offline = Printer not responding

## Errors (by protocol error code)

error-bad_frame = The message could not be understood.
error-frame_too_large = The message is too large.
error-hello_required = The connection has not introduced itself.
error-unsupported_version = This device needs an update to talk to the server.
error-unauthenticated = Please sign in first.
error-forbidden = You are not allowed to do this.
error-bad_credentials = Wrong username, password or device token.
error-session_expired = Your session has ended. Please sign in again.
error-unknown_service = This service does not exist.
error-unknown_counter = This window does not exist.
error-unknown_ticket = No ticket was found.
error-service_closed = This service is closed today.
error-outside_hours = This service is outside its opening hours.
error-daily_limit_reached = All of today's tickets for this service have been issued.
error-counter_closed = The window is closed.
error-counter_busy = The window is busy with another ticket.
error-counter_not_yours = This window was opened by another clerk.
error-clerk_has_counter = You already have another window open.
error-counter_has_parked = Tickets are still parked at this window.
error-queue_empty = Nobody is waiting.
error-wrong_ticket_state = The ticket is not in a state that allows this.
error-reason_required = Please give a reason.
error-invalid_profile = The window's services are not valid.
error-message_too_long = The message is too long.
error-ticket_closed = This ticket is already finished.
error-unknown_pairing = No device is waiting with this code, or the code has expired.
error-unknown_device = This device is not registered.
error-unknown_user = This account does not exist.
error-user_exists = An account or device with this name already exists.
error-invalid_name = The name is not valid.
error-invalid_range = The date range is not valid.
error-storage_failure = The server could not save this. Please try again.
error-shutting_down = The server is restarting. Please try again in a moment.
error-connection_lost = The connection was lost before the answer came.
error-not_connected = Not connected to the server.
error-internal = Something went wrong on the server.

## Errors of issue 14 (idempotency, sign-in)

error-key_conflict = This request number was already used for another ticket.
error-outside_hall = Staff and devices sign in only from the center's own network.
error-no_printer = This counter has no slip printer: print from the browser.
error-account_locked = This account is locked after too many wrong passwords. Try again later or ask the manager.
error-too_many_attempts = Too many attempts. Please wait a moment before trying again.
error-busy = The server is busy. Please try again in a moment.
error-invalid_phone = This is not an Egyptian mobile number. Type 11 digits starting 010, 011, 012 or 015.
error-sms_unavailable = This center does not send text messages now.

## Display board

board-now-serving = Now serving
board-counter = Window
board-recent = Recent calls
board-waiting = Waiting
# A category's longest current wait for a ticket taken now, after its count on the board.
board-wait-up-to = { $minutes ->
    [0] under a minute
    [one] up to 1 minute
   *[other] up to { $minutes } minutes
}
board-reconnecting = Reconnecting to the server… showing the last known calls
board-no-calls = Please wait for your number

## Estimated waits as a range: the queue model's 10th to 90th percentile, in whole minutes
## ($low, $high). Shown on the kiosk, the receipt and the ticket page.
wait-range = { $low }–{ $high } min
estimate-pending = Working out the wait…

## Errors of issue 12 (requests, feedback)

error-unknown_request = No request was found with this reference.
error-request_transition = The request cannot move to this state from its current one.
error-suffix_required = Enter the last four digits of the citizen's phone or national ID.
error-wrong_suffix = These digits do not match the request.
error-feedback_exists = Feedback was already given for this ticket.
error-invalid_feedback = Choose a rating from 1 to 5 (a comment of at most 500 characters).

## Requests (issue 12)

outcome-request_submitted = Request submitted (receipt with a reference)
request-state-received = Received
request-state-under_review = Under review
request-state-needs_documents = Documents needed
request-state-ready_for_pickup = Ready for pickup
request-state-delivered = Delivered
request-state-rejected = Rejected
request-status = Request { $reference } ({ $service }): { $state }.
request-status-documents = Please bring: { $documents }.
request-status-reason = Reason: { $reason }.
request-status-expected = Expected ready on { $date }.

## Request status page (/r/REFERENCE)

status-page-title = Follow your request
status-page-suffix = Last four digits of your phone number or national ID
status-page-show = Show the status
status-page-hint = The digits you gave at the window when you handed in the request.
status-page-service = Service
status-page-submitted = Handed in
status-page-expected = Expected ready on
status-page-documents = Documents still needed
status-page-pickup = Your request is ready: bring your receipt and ID to the pickup window.
status-page-history = History

## Dates, times and durations (hall_core::format and web/js/format.js, table assets/format-cases.json)

# "Wednesday 2 December 2026": never ISO on a citizen's surface.
date-long = { $weekday } { $day } { $month } { $year }
date-day-sat = Saturday
date-day-sun = Sunday
date-day-mon = Monday
date-day-tue = Tuesday
date-day-wed = Wednesday
date-day-thu = Thursday
date-day-fri = Friday
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
duration-seconds = { $form ->
    [zero] under a second
    [one] 1 second
   *[other] { $count } seconds
}
duration-minutes = { $form ->
    [zero] under a minute
    [one] 1 minute
   *[other] { $count } minutes
}
duration-hours = { $form ->
    [one] 1 hour
   *[other] { $count } hours
}
# "about 1 hour 20 minutes": a long wait in hours and minutes.
wait-about = about { $duration }
# "3 of 4": a part of a whole, in reading order.
ratio-of = { $part } of { $whole }
date-at = { $date } at { $time }
# "1 hour 20 minutes"
duration-hours-minutes = { $hours } { $minutes }

## The service guide /c (queue-server/src/guide.rs): what the QR code on the center's door opens

guide-title = Service guide
guide-intro = Documents, fees, opening hours and the wait now for every service, before you come.
guide-search = Search by service name
guide-search-button = Search
guide-no-match = No service has that name.
guide-all-services = All services
guide-updated = Waits as of { $time }
guide-services = { $form ->
    [one] 1 service
   *[other] { $count } services
}
guide-processing = Processing time
guide-working-days = { $form ->
    [one] 1 working day
   *[other] { $count } working days
}
guide-same-day = The same day
guide-limit-reached = Today's tickets for this service are all taken
guide-service-link = This service's page
guide-take-ticket = Take your number from the ticket machine at the center's entrance.

## The poster (queue-server poster): on the center's door and its pages

poster-title = Service guide
poster-scan = Scan the code with your phone's camera: documents, fees, opening hours and the wait now for every service.
poster-no-app = No app, no sign-up: it opens in any phone's browser
