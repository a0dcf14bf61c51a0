# The kiosk's messages (the citizen's screens and the printed receipt). Counted phrases select
# on $form for Arabic (see queue.ftl).

## Kiosk

kiosk-title = Take a ticket
kiosk-welcome = Welcome
kiosk-choose-language = Touch your language to begin
kiosk-language-name = English
kiosk-large-text = Large text
kiosk-normal-text = Normal text
kiosk-back = Back
kiosk-home = Start over
kiosk-loading = Loading the services…
kiosk-reconnecting = This kiosk is offline for now… you can read the services; tickets can be taken as soon as it is back.
kiosk-choose-category = What is your request about?
kiosk-service-count = { $count ->
    [one] 1 service
   *[other] { $count } services
}
kiosk-choose-service = Choose your service
kiosk-previous-page = Previous
kiosk-next-page = More services
kiosk-page = Page { $page } of { $pages }
kiosk-closed-now = Closed now
kiosk-closed-today = This service is not taking tickets today
kiosk-limit-reached = Today's tickets for this service have all been given out. Please come back tomorrow.
kiosk-opening-hours = Opening hours
kiosk-hours = { $days }, { $open }–{ $close }
kiosk-every-day = Every day
kiosk-day-sat = Sat
kiosk-day-sun = Sun
kiosk-day-mon = Mon
kiosk-day-tue = Tue
kiosk-day-wed = Wed
kiosk-day-thu = Thu
kiosk-day-fri = Fri
kiosk-fee = Fee
kiosk-fee-free = Free
kiosk-fee-amount = { $amount } EGP
kiosk-service-time = Time at the window
kiosk-people-waiting = Waiting now
kiosk-estimated-wait = Estimated wait
kiosk-documents = Documents to bring
kiosk-no-documents = No documents needed
kiosk-bring = Bring
kiosk-take-ticket = Take a ticket
kiosk-offline-no-ticket = Tickets can be taken again as soon as the kiosk is back online.
kiosk-priority-question = Do you need priority service?
kiosk-priority-none = No, a regular ticket
kiosk-priority-note = Staff may ask to see proof of priority.
kiosk-priority = Priority
kiosk-confirm-title = Please check your choice
kiosk-print-ticket = Print my ticket
kiosk-print-anyway = Print my ticket anyway
kiosk-unserved = No window is serving this service right now: your ticket waits until one opens for it.
kiosk-key-erase = Delete
kiosk-key-enter = OK
kiosk-issuing = Taking your ticket…
kiosk-please-wait = Please wait a moment.
kiosk-your-number = Your number
kiosk-ahead = Your turn
kiosk-scan-to-follow = Scan the code to follow your turn on your phone.
kiosk-printing = Printing your receipt…
kiosk-take-receipt = Please take your receipt below the screen.
kiosk-print-paper-out = The printer is out of paper. Your ticket is valid: photograph the code or remember your number. Staff have been told.
kiosk-print-cover-open = The printer is open. Your ticket is valid: photograph the code or remember your number. Staff have been told.
kiosk-print-offline = The printer is not working. Your ticket is valid: photograph the code or remember your number. Staff have been told.
kiosk-listen-for-call = Wait in the hall: your number and window will be shown and announced.
kiosk-done = Done
kiosk-no-ticket = No ticket was taken
kiosk-offline = This kiosk lost its connection, and no ticket was taken yet. Try again in a moment.
kiosk-try-again = Try again
kiosk-ask-staff = If this keeps happening, please ask a member of staff.
kiosk-technician = Technician
kiosk-enter-pin = Enter the technician PIN
kiosk-wrong-pin = Wrong PIN
kiosk-cancel = Cancel

## Technician panel

panel-title = Kiosk settings
panel-server = Queue server
panel-token = Device token
panel-printer = Printer: tcp://HOST:PORT, usb:/dev/usb/lp0 or file:PATH
panel-paper = Paper width
panel-connection = Connection
panel-connected = Connected
panel-disconnected = Not connected
panel-printer-status = Printer
panel-token-refused = The server refused this kiosk's token
panel-save = Save and apply
panel-saved = Saved.
panel-not-saved = Not saved
panel-bad-printer = The printer address is not valid: use tcp://HOST:PORT, usb:/dev/usb/lp0 or file:PATH.
panel-test-print = Test print
panel-printing = Printing a test receipt…
panel-check-printer = Check printer
panel-close = Close
panel-test-printed = The test receipt was printed.
panel-test-failed = The test print failed

## Receipt

receipt-your-number = Your number
receipt-wait = Estimated wait: { $wait }
receipt-documents-title = Please bring:
receipt-fee = Fee: { $amount }
receipt-qr-hint = Scan to follow your turn on your phone
receipt-printed-at = { $date } at { $time }
receipt-keep = Keep this receipt until your number is called
receipt-cmd-issued = Ticket { $label } issued ({ $service }).
receipt-cmd-printed = Receipt printed on { $target }.
receipt-cmd-written = Receipt written to { $path }.
receipt-cmd-png = Receipt image saved to { $path }.
receipt-cmd-not-printed = Ticket { $label } was issued but its receipt was not printed: { $status }.
receipt-cmd-no-server = Cannot reach the queue server at { $url }.
receipt-cmd-refused = No ticket was issued: { $error }
receipt-cmd-setup = Cannot start: { $detail }

## Request slip (printed at the counter when a request is handed in)

slip-title = Request receipt
slip-submitted = Handed in { $when }
slip-expected = Expected ready on
slip-hint = Scan to follow your request on your phone
slip-hint-sms = Scan to follow your request, or text the reference to { $number }
slip-keep = Keep this receipt to collect your request

## Text messages about the ticket, and following a request (issue 12)
kiosk-phone-offer = A text message when your turn is near
kiosk-phone-title = Your mobile number
kiosk-phone-help = You get a message when your turn is near and when you are called, a link to rate the service after it, and news of your request if you hand one in. We delete the number once your request is finished.
kiosk-phone-invalid = This is not an Egyptian mobile number: 11 digits starting 010, 011, 012 or 015.
kiosk-phone-kept = Messages will go to { $masked }.
kiosk-phone-consent = Optional: we use the number only for messages about this ticket and your request, then delete it.
kiosk-phone-will = Messages will go to { $masked }
kiosk-phone-change = Touch to change or remove the number
kiosk-follow-request = Follow a request you handed in
kiosk-follow-title = Follow a request
kiosk-follow-reference = Type the digits of your reference as on the receipt
kiosk-follow-suffix = Then the last four digits of your phone or national ID
kiosk-follow-incomplete = Type all the digits, then press OK.
kiosk-follow-bring = Please bring: { $documents }
kiosk-follow-reason = Reason: { $reason }
kiosk-follow-ready = Your request is ready: go to the pickup window with your receipt.
kiosk-follow-expected = Expected ready on
kiosk-follow-finished = This request is finished.
kiosk-follow-offline = This kiosk lost its connection. Press OK to try again.
