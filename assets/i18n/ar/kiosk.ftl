## Receipt

receipt-your-number = رقمك
receipt-wait = الانتظار المتوقع: { $wait }
receipt-documents = المستندات المطلوبة: { $list }
receipt-qr-hint = امسح الرمز لمتابعة دورك على هاتفك
receipt-printed-at = { $date }  الساعة { $time }
receipt-keep = احتفظ بهذا الإيصال حتى يُنادى رقمك
receipt-cmd-issued = صدرت التذكرة { $label } ({ $service }).
receipt-cmd-printed = طُبع الإيصال على { $target }.
receipt-cmd-written = كُتب الإيصال في { $path }.
receipt-cmd-png = حُفظت صورة الإيصال في { $path }.
receipt-cmd-not-printed = صدرت التذكرة { $label } لكن إيصالها لم يُطبع: { $status }.
receipt-cmd-no-server = تعذر الوصول إلى خادم الطوابير على { $url }.
receipt-cmd-refused = لم تصدر التذكرة: { $error }
receipt-cmd-setup = لا يمكن البدء: { $detail }
