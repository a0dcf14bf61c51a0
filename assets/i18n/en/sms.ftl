# Text messages the center sends to citizens. Every message here has its twin in ar/sms.ftl.
# Only the GSM 03.38 alphabet (no dashes but "-", no curly quotes, no ellipsis): one character
# outside it sends the whole text as UCS-2, in two or three paid parts instead of one. The
# near-turn and called messages fit one part (160) with the sample center's English name.
# Near-turn: once per ticket, when the people ahead reach the service's threshold.
sms-near-turn = { $center }: ticket { $label }, { $form ->
    [zero] nobody is ahead of you now
    [one] 1 person is ahead of you
   *[other] { $count } people are ahead of you
}. Please come near the windows. Reply STOP to end messages.
sms-called = { $center }: it is your turn. Ticket { $label }, please go to { $counter } now.
sms-stopped = { $center }: you will get no more messages on this number.
sms-unknown-reference = { $center }: there is no request { $reference }. Type the number as it is on your receipt, e.g. HEL-26-004821.
sms-help = { $center }: text your request number as it is on your receipt (e.g. HEL-26-004821) to get its status, or STOP to stop messages.
sms-request = { $center }: { $status }
# A reference asked without the digits that show it is theirs.
sms-request-suffix = { $center }: to get the status of { $reference }, text it with the last four digits of your phone or national ID, e.g. { $reference } 1234.
# After service: the link to rate it, once; not sent if the citizen rated on the ticket page.
sms-feedback = { $center }: thank you. Rate your visit: { $link }
