# رسائل الكشك (شاشة المواطن والإيصال المطبوع). الاختيار في صيغ العدد على $form (انظر queue.ftl).

## الكشك

kiosk-title = احجز دورك
kiosk-welcome = أهلاً بكم
kiosk-choose-language = المس لغتك للبدء
kiosk-language-name = العربية
kiosk-large-text = خط كبير
kiosk-normal-text = خط عادي
kiosk-back = رجوع
kiosk-home = البداية
kiosk-loading = جارٍ تحميل الخدمات…
kiosk-reconnecting = الجهاز غير متصل الآن… يمكنك الاطلاع على الخدمات، وتُصرف التذاكر فور عودة الاتصال.
kiosk-choose-category = ما نوع طلبك؟
kiosk-service-count = { $form ->
    [zero] لا خدمات
    [one] خدمة واحدة
    [two] خدمتان
    [few] { $count } خدمات
    [many] { $count } خدمة
   *[other] { $count } خدمة
}
kiosk-choose-service = اختر الخدمة
kiosk-previous-page = السابق
kiosk-next-page = خدمات أخرى
kiosk-page = صفحة { $page } من { $pages }
kiosk-closed-now = مغلقة الآن
kiosk-closed-today = هذه الخدمة لا تصرف تذاكر اليوم
kiosk-limit-reached = نفدت تذاكر هذه الخدمة لهذا اليوم. نرجو الحضور غدًا.
kiosk-opening-hours = مواعيد العمل
kiosk-hours = { $days }، { $open }–{ $close }
kiosk-every-day = كل يوم
kiosk-day-sat = السبت
kiosk-day-sun = الأحد
kiosk-day-mon = الاثنين
kiosk-day-tue = الثلاثاء
kiosk-day-wed = الأربعاء
kiosk-day-thu = الخميس
kiosk-day-fri = الجمعة
kiosk-fee = الرسوم
kiosk-fee-free = بدون رسوم
kiosk-fee-amount = { $amount } جنيه
kiosk-service-time = مدة الخدمة على الشباك
kiosk-people-waiting = المنتظرون الآن
kiosk-estimated-wait = الانتظار المتوقع
kiosk-documents = المستندات المطلوبة
kiosk-no-documents = لا يلزم أي مستند
kiosk-bring = أحضر
kiosk-take-ticket = احجز تذكرة
kiosk-offline-no-ticket = تُصرف التذاكر فور عودة اتصال الجهاز.
kiosk-priority-question = هل تحتاج إلى أولوية في الخدمة؟
kiosk-priority-none = لا، تذكرة عادية
kiosk-priority-note = قد يطلب الموظف ما يثبت الأولوية.
kiosk-priority = الأولوية
kiosk-confirm-title = من فضلك راجع اختيارك
kiosk-print-ticket = اطبع تذكرتي
kiosk-print-anyway = اطبع تذكرتي رغم ذلك
kiosk-unserved = لا يوجد شباك يقدم هذه الخدمة الآن: تنتظر تذكرتك حتى يُفتح شباك لها.
kiosk-key-erase = مسح
kiosk-key-enter = تم
kiosk-issuing = جارٍ حجز تذكرتك…
kiosk-please-wait = انتظر لحظة من فضلك.
kiosk-your-number = رقمك
kiosk-ahead = دورك
kiosk-scan-to-follow = امسح الرمز لمتابعة دورك على هاتفك.
kiosk-printing = جارٍ طباعة الإيصال…
kiosk-take-receipt = تفضل بأخذ الإيصال من أسفل الشاشة.
kiosk-print-paper-out = نفد الورق من الطابعة. تذكرتك صالحة: صوّر الرمز أو احفظ رقمك. تم إبلاغ الموظفين.
kiosk-print-cover-open = غطاء الطابعة مفتوح. تذكرتك صالحة: صوّر الرمز أو احفظ رقمك. تم إبلاغ الموظفين.
kiosk-print-offline = الطابعة لا تعمل. تذكرتك صالحة: صوّر الرمز أو احفظ رقمك. تم إبلاغ الموظفين.
kiosk-listen-for-call = انتظر في الصالة: سيظهر رقمك ورقم الشباك على الشاشة ويُنادى عليه.
kiosk-done = تم
kiosk-no-ticket = لم تُحجز تذكرة
kiosk-offline = انقطع اتصال الجهاز الآن، ولم تُحجز أي تذكرة بعد. حاول مرة أخرى بعد لحظات.
kiosk-try-again = حاول مرة أخرى
kiosk-ask-staff = إذا تكرر ذلك، من فضلك اسأل أحد الموظفين.
kiosk-technician = الفني
kiosk-enter-pin = أدخل الرقم السري للفني
kiosk-wrong-pin = رقم سري خاطئ
kiosk-cancel = إلغاء

## لوحة الفني

panel-title = إعدادات الكشك
panel-server = خادم الطابور
panel-token = رمز الجهاز
panel-printer = الطابعة: tcp://HOST:PORT أو usb:/dev/usb/lp0 أو file:PATH
panel-paper = عرض الورق
panel-connection = الاتصال
panel-connected = متصل
panel-disconnected = غير متصل
panel-printer-status = الطابعة
panel-token-refused = رفض الخادم رمز هذا الكشك
panel-save = حفظ وتطبيق
panel-saved = تم الحفظ.
panel-not-saved = لم يُحفظ
panel-bad-printer = عنوان الطابعة غير صالح: استخدم tcp://HOST:PORT أو usb:/dev/usb/lp0 أو file:PATH.
panel-test-print = طباعة تجريبية
panel-printing = جارٍ طباعة إيصال تجريبي…
panel-check-printer = فحص الطابعة
panel-close = إغلاق
panel-test-printed = طُبع الإيصال التجريبي.
panel-test-failed = فشلت الطباعة التجريبية

## Receipt

receipt-your-number = رقمك
receipt-wait = الانتظار المتوقع: { $wait }
receipt-documents-title = المستندات المطلوبة:
receipt-fee = الرسوم: { $amount }
receipt-qr-hint = امسح الرمز لمتابعة دورك على هاتفك
receipt-printed-at = { $date } الساعة { $time }
receipt-keep = احتفظ بهذا الإيصال حتى يُنادى رقمك
receipt-cmd-issued = صدرت التذكرة { $label } ({ $service }).
receipt-cmd-printed = طُبع الإيصال على { $target }.
receipt-cmd-written = كُتب الإيصال في { $path }.
receipt-cmd-png = حُفظت صورة الإيصال في { $path }.
receipt-cmd-not-printed = صدرت التذكرة { $label } لكن إيصالها لم يُطبع: { $status }.
receipt-cmd-no-server = تعذر الوصول إلى خادم الطوابير على { $url }.
receipt-cmd-refused = لم تصدر التذكرة: { $error }
receipt-cmd-setup = لا يمكن البدء: { $detail }

## Request slip (printed at the counter when a request is handed in)

slip-title = إيصال طلب
slip-submitted = قُدِّم { $when }
slip-expected = موعد الجاهزية المتوقع:
slip-hint = امسح الرمز لمتابعة طلبك على هاتفك
slip-hint-sms = امسح الرمز لمتابعة طلبك، أو أرسل رقم الطلب في رسالة إلى { $number }
slip-keep = احتفظ بهذا الإيصال لاستلام طلبك

## رسائل نصية عن التذكرة، ومتابعة طلب (المسألة ١٢)
kiosk-phone-offer = رسالة على هاتفك حين يقترب دورك
kiosk-phone-title = رقم هاتفك المحمول
kiosk-phone-help = تصلك رسالة حين يقترب دورك وحين يُنادى عليك، ورابط لتقييم الخدمة بعدها، وأخبار طلبك إن قدّمته. نحذف الرقم بعد انتهاء طلبك.
kiosk-phone-invalid = هذا ليس رقم محمول مصريًا: ١١ رقمًا يبدأ بـ ٠١٠ أو ٠١١ أو ٠١٢ أو ٠١٥.
kiosk-phone-kept = ستصلك الرسائل على { $masked }.
kiosk-phone-consent = اختياري: نستخدم الرقم لرسائل هذه التذكرة وطلبك فقط، ثم نحذفه.
kiosk-phone-will = ستصلك الرسائل على { $masked }
kiosk-phone-change = المس لتغيير الرقم أو حذفه
kiosk-follow-request = تابع طلبًا قدّمته
kiosk-follow-title = متابعة طلب
kiosk-follow-reference = اكتب أرقام طلبك كما على الإيصال
kiosk-follow-suffix = ثم آخر أربعة أرقام من هاتفك أو رقمك القومي
kiosk-follow-incomplete = أكمل الأرقام ثم اضغط «تم».
kiosk-follow-bring = يرجى إحضار: { $documents }
kiosk-follow-reason = السبب: { $reason }
kiosk-follow-ready = طلبك جاهز: تفضل إلى شباك الاستلام ومعك الإيصال.
kiosk-follow-expected = موعد الجاهزية المتوقع
kiosk-follow-finished = انتهى هذا الطلب.
kiosk-follow-offline = انقطع اتصال الجهاز الآن. اضغط «تم» للمحاولة مرة أخرى.
