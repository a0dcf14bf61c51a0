## Receipt

receipt-your-number = Your number
receipt-wait = Estimated wait: { $wait }
receipt-documents = Please bring: { $list }
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
