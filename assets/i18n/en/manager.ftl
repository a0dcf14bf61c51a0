# The manager console (/manager): its page, and the audit lines and report files the server
# writes. Each message exists in ar/manager.ftl too; a test checks both files match.

## Audit log: one line per logged action (what happened; who and when are columns)

audit-actor-system = System
audit-catalog_loaded = Configuration loaded ({ $services } services, { $counters } counters)
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
report-by-counter = Counter
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
