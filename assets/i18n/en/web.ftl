# Strings of the web pages: the clerk's console, the manager's console, the ticket page.
# Each message exists in ar/web.ftl too (tested). Error codes, ticket and counter states,
# priorities and counted phrases are in queue.ftl.

## General

app-name = Tabour
lang-switch = العربية
lang-switch-title = التبديل إلى العربية
conn-connecting = Connecting to the server…
conn-online = Connected
conn-offline = Connection lost — retrying in { $seconds } s
error-unknown = Something unexpected went wrong ({ $code }).
action-failed = “{ $action }” failed: { $reason }
dialog-cancel = Cancel
dialog-confirm = Confirm

## Sign-in

signin-title = Staff sign-in
signin-username = Username
signin-password = Password
signin-submit = Sign in
signin-busy = Signing in…
signout = Sign out
signed-in-as = { $name }
signin-again = Your session ended. Please sign in again.

## Clerk console

clerk-title = Clerk console
clerk-choose-counter = Choose your window
clerk-choose-hint = Press a closed window to open it and work at it.
clerk-counter-taken = Open by { $clerk }
clerk-open = Open
clerk-close-counter = Close window
clerk-pause = Take a break
clerk-resume = Resume
clerk-paused-note = The window is on a break: nobody is called to it.
clerk-call-next = Call next
clerk-shortcut = key { $key }
clerk-current = At the window now
clerk-no-ticket = No ticket at the window. Press “Call next”.
clerk-recall = Recall
clerk-no-show = No-show
clerk-start = Start service
clerk-finish = Finish
clerk-transfer = Transfer
clerk-park = Park
clerk-return = Return to window
clerk-at-counter-for = At the window for { $time }
clerk-recalls = { $count ->
    [0] Not recalled
    [one] Recalled once
   *[other] Recalled { $count } times
}
clerk-waiting-title = Waiting for this window
clerk-waiting-empty = Nobody is waiting for this window.
clerk-waiting-more = { $count ->
    [0] No more
    [one] and 1 more ticket not shown
   *[other] and { $count } more tickets not shown
}
clerk-waited = Waiting for { $time }
clerk-call-this = Call
clerk-front = At the front
clerk-reserved = Sent to this window
clerk-transferred = Transferred
clerk-parked-title = Parked tickets
clerk-parked-empty = No parked tickets.
clerk-today-title = Your day
clerk-today-served = Served
clerk-today-avg = Average service time
clerk-today-no-shows = No-shows
clerk-today-none = —
clerk-called-toast = Called { $label }
clerk-done-toast = Done
clerk-call-reason-title = Call { $label } out of turn
clerk-call-reason-label = Reason for calling out of order (recorded)
clerk-finish-title = Finish { $label }
clerk-outcome = Outcome
clerk-reference = Request reference (optional)
clerk-reference-hint = The number the citizen uses to follow the request.
clerk-transfer-title = Transfer { $label }
clerk-transfer-kind = Transfer to
clerk-transfer-to-service = a service
clerk-transfer-to-counter = a window
clerk-position = Place in the queue
clerk-position-front = At the front
clerk-position-back = At the back
clerk-park-title = Park { $label }
clerk-park-note = Note (optional)
clerk-close-title = Close { $name }?
clerk-close-body = Nobody is called to this window until it is opened again.

## Manager console

manager-title = Manager console
manager-signed-in = You are signed in as a manager.

## Ticket page

ticket-title = Your ticket
ticket-service = Service
ticket-issued = Issued at { $time }
ticket-ahead-label = Ahead of you
ticket-estimate-label = Estimated wait
ticket-go-to = Please go now to
ticket-serving-at = You are being served at
ticket-parked-at = Go back to
ticket-reference = Your request reference
ticket-live = This page updates by itself — no need to reload it.
ticket-withdraw = Cancel my ticket
ticket-withdraw-confirm = Cancel your ticket? You will lose your place in the queue.
ticket-withdraw-yes = Yes, cancel it
ticket-withdraw-no = No, keep it
ticket-done-thanks = Thank you for your visit.
ticket-unknown-title = Ticket not found
ticket-unknown-body = Check the link, or scan the QR code printed on your ticket again. A ticket is valid on the day it was issued only.
ticket-loading = Loading your ticket…
ticket-alert-me = Alert me when I'm called
ticket-alert-hint = Your phone plays a sound and vibrates when it is your turn.
ticket-alert-on = Your phone will sound and vibrate when you are called.
ticket-alert-keep-open = Keep this page open and your phone's sound on.
ticket-alert-off = Turn the alert off
ticket-alert-title = 🔔 Your turn: { $label } — { $counter }

## The ticket page's text-message box (issue 12).
phone-title = Get a text message when your turn is near
phone-help = An Egyptian mobile number. We use it only for this ticket, and once after it for a link to rate the service, then delete it.
phone-save = Send me messages
phone-kept = Messages about this ticket will go to { $masked }.
clerk-phone = Phone for messages
clerk-phone-title = Text messages about { $label }
clerk-phone-number = The citizen's mobile number
clerk-phone-lang = Messages in
clerk-phone-lang-ar = Arabic
clerk-phone-lang-en = English
clerk-phone-kept = Messages will go to { $masked }.
## Requests at the window (issue 12)

clerk-request-hint = The server gives the request its reference. Ask the citizen for the last four digits of their phone and/or national ID: they are asked on the status page.
clerk-phone-suffix = Last 4 digits of the phone
clerk-id-suffix = Last 4 digits of the national ID
clerk-slip-title = Request receipt — keep this reference
clerk-slip-expected = Expected ready on { $date }
clerk-slip-hint = Scan the code or open the address to follow the request.
clerk-slip-print = Print
clerk-slip-close = Close
clerk-slip-printing = Printing on the counter's printer…
clerk-slip-printed = The slip was printed on the counter's printer.
clerk-slip-not-printed = The slip was not printed: { $reason }. Print from the browser, or fix the printer and print again.
clerk-slip-print-counter = Print again
clerk-slip-lang = Language of the printed slip

## Back-office console (/office)

office-title = Back office
office-find = Find a request by its reference
office-find-submit = Find
office-overdue-count = Overdue: { $count }
office-filter-state = State
office-filter-open = Not finished
office-filter-overdue = Overdue
office-filter-all = All
office-filter-service = Service
office-filter-age = Age
office-age-week = This week (7 days or less)
office-age-older = Older than 7 days
office-refresh = Refresh
office-none = No request matches.
office-col-reference = Reference
office-col-service = Service
office-col-state = State
office-col-age = Age
office-col-expected = Expected ready
office-col-changed = Last change
office-overdue = Overdue
office-age-days = { $count ->
    [0] today
    [one] 1 day
   *[other] { $count } days
}
office-ticket = ticket { $label }
office-expected = expected ready on { $date }
office-final = This request is finished.
office-close = Close
office-to-under_review = Start review
office-to-needs_documents = Ask for documents
office-to-ready_for_pickup = Ready for pickup
office-to-delivered = Delivered to the citizen
office-to-rejected = Reject
office-to-received = Received
office-documents = Documents the citizen must bring (one a line)
office-documents-hint = The citizen sees this list on the status page.
office-reason = Why it is rejected (the citizen sees this)
office-note = Note for the history (staff only)
office-change-title = { $reference }: { $state }
office-changed = { $reference } is now: { $state }

## Ticket page: feedback (issue 12)

feedback-title = How was your service?
feedback-rating = Your rating
feedback-star = { $count ->
    [one] 1 star
   *[other] { $count } stars
}
feedback-comment = A comment (optional)
feedback-send = Send
feedback-thanks = Thank you for your feedback.
ticket-request-reference = Your request reference: { $reference }
ticket-request-follow = Follow your request

## The pickup window (issue 12)
clerk-pickup = Hand over a request
clerk-pickup-title = Hand over a ready request
clerk-pickup-reference = The reference as on the citizen's receipt
clerk-pickup-find = Find
clerk-pickup-documents = Documents needed: { $documents }
clerk-pickup-not-ready = This request is not ready for pickup yet; tell the citizen its state.
clerk-pickup-deliver = Delivered to the citizen
clerk-pickup-done = Request { $reference } handed over.
