# Messages of the device itself (kiosk and display board): pairing with a code shown on its
# own screen, and when a closed service opens next.

## Pairing

pair-title = This device is not registered yet
pair-kind-kiosk = Ticket kiosk
pair-kind-board = Display board
pair-code-label = Pairing code
pair-step-open = On the manager's console, open "Devices"
pair-step-enter = Enter this code and a name for the device, then press "Approve"
pair-renews = The code is valid for { $form ->
    [zero] less than a minute
    [one] one minute
   *[other] { $minutes } minutes
} and renews itself
pair-waiting-code = Asking the queue server for a code…
pair-server = Server: { $server }
pair-refused = The server refused this device's token (perhaps revoked); it must be registered again.
pair-approved = Registered as { $name }. Starting…

## Opening hours

opens-at-today = Opens today at { $time }
opens-at-tomorrow = Opens tomorrow at { $time }
opens-at-day = Opens { $day } at { $time }
opens-never = This service has no opening hours
