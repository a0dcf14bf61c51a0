# نصوص نظام الطوابير المشتركة بين كل الأجهزة (الكشك، الشاشة، لوحات الموظفين، صفحة التذكرة).
# لكل رسالة هنا نظير في en/queue.ftl؛ اختبار يتحقق من تطابق الملفين.
# صيغ الجمع العربية (CLDR): zero ٠، one ١، two ٢، few (ن ٪ ١٠٠ = ٣–١٠)، many (ن ٪ ١٠٠ = ١١–٩٩)، other.
# الاختيار على $form (تحسبه الشيفرة وفق CLDR) لا على العدد نفسه: مكتبة intl_pluralrules 7.0.2
# تخطئ في العربية (تهمل باقي القسمة على ١٠٠، فتعطي ١٠٣ و١١١ الصيغة الخطأ).

## العد

people-ahead = { $form ->
    [zero] لا أحد أمامك
    [one] أمامك شخص واحد
    [two] أمامك شخصان
    [few] أمامك { $count } أشخاص
    [many] أمامك { $count } شخصًا
   *[other] أمامك { $count } شخص
}
waiting-count = { $form ->
    [zero] لا أحد في الانتظار
    [one] شخص واحد في الانتظار
    [two] شخصان في الانتظار
    [few] { $count } أشخاص في الانتظار
    [many] { $count } شخصًا في الانتظار
   *[other] { $count } شخص في الانتظار
}
wait-minutes = { $form ->
    [zero] أقل من دقيقة
    [one] حوالي دقيقة واحدة
    [two] حوالي دقيقتين
    [few] حوالي { $minutes } دقائق
    [many] حوالي { $minutes } دقيقة
   *[other] حوالي { $minutes } دقيقة
}
no-estimate = لا يوجد شباك يقدم هذه الخدمة الآن

## حالات التذكرة

ticket-state-waiting = في الانتظار
ticket-state-called = تم النداء — توجه إلى الشباك
ticket-state-serving = جارٍ تقديم الخدمة
ticket-state-parked = معلقة — عد إلى الشباك نفسه
ticket-state-done = انتهت
ticket-state-no_show = فاتتك (لم تكن حاضرًا عند النداء)
ticket-state-cancelled = ملغاة

## الأولوية

priority-normal = عادي
priority-elderly = كبار السن
priority-disabled = ذوو الهمم
priority-pregnant = سيدة حامل

## حالات الشباك

counter-state-closed = مغلق
counter-state-idle = مفتوح
counter-state-calling = ينادي
counter-state-serving = يقدم الخدمة
counter-state-paused = متوقف مؤقتًا

## نتيجة الخدمة

outcome-completed = تم استلام الطلب
outcome-incomplete_documents = المستندات غير مكتملة
outcome-referred = أحيل إلى جهة أخرى
outcome-rejected = مرفوض

## طابعات الإيصالات (حسب حالة report_printer)

printer-status-ready = الطابعة جاهزة
printer-status-paper_near_end = الورق أوشك على النفاد
printer-status-paper_out = نفد الورق
printer-status-cover_open = غطاء الطابعة مفتوح
printer-status-offline = الطابعة لا تستجيب

## الأخطاء (حسب رمز الخطأ في البروتوكول)

error-bad_frame = تعذر فهم الرسالة.
error-frame_too_large = الرسالة أكبر من المسموح.
error-hello_required = لم يعرّف الجهاز نفسه بعد.
error-unsupported_version = يحتاج هذا الجهاز إلى تحديث ليتصل بالخادم.
error-unauthenticated = يرجى تسجيل الدخول أولًا.
error-forbidden = غير مسموح لك بهذا الإجراء.
error-bad_credentials = اسم المستخدم أو كلمة المرور أو رمز الجهاز غير صحيح.
error-session_expired = انتهت جلستك. يرجى تسجيل الدخول مرة أخرى.
error-unknown_service = هذه الخدمة غير موجودة.
error-unknown_counter = هذا الشباك غير موجود.
error-unknown_ticket = لم يتم العثور على التذكرة.
error-service_closed = هذه الخدمة مغلقة اليوم.
error-outside_hours = هذه الخدمة خارج مواعيد العمل.
error-daily_limit_reached = نفدت تذاكر اليوم لهذه الخدمة.
error-counter_closed = الشباك مغلق.
error-counter_busy = الشباك مشغول بتذكرة أخرى.
error-counter_not_yours = فتح هذا الشباكَ موظفٌ آخر.
error-clerk_has_counter = لديك شباك آخر مفتوح بالفعل.
error-counter_has_parked = ما زالت هناك تذاكر معلقة على هذا الشباك.
error-queue_empty = لا أحد في الانتظار.
error-wrong_ticket_state = حالة التذكرة لا تسمح بهذا الإجراء.
error-reason_required = يرجى ذكر السبب.
error-invalid_profile = خدمات الشباك غير صحيحة.
error-message_too_long = الرسالة طويلة جدًا.
error-ticket_closed = هذه التذكرة انتهت بالفعل.
error-unknown_pairing = لا يوجد جهاز ينتظر بهذا الرمز، أو انتهت صلاحية الرمز.
error-unknown_device = هذا الجهاز غير مسجل.
error-unknown_user = هذا الحساب غير موجود.
error-user_exists = يوجد حساب أو جهاز بهذا الاسم بالفعل.
error-invalid_name = الاسم غير صالح.
error-invalid_range = نطاق التاريخ غير صالح.
error-storage_failure = تعذر على الخادم حفظ هذا. يرجى المحاولة مرة أخرى.
error-shutting_down = الخادم يعيد التشغيل. يرجى المحاولة بعد لحظات.
error-connection_lost = انقطع الاتصال قبل وصول الرد.
error-not_connected = لا يوجد اتصال بالخادم.
error-internal = حدث خطأ في الخادم.

## أخطاء المسألة ١٤ (تكرار الطلب، تسجيل الدخول)

error-key_conflict = رقم هذا الطلب استُخدم من قبل لتذكرة أخرى.
error-outside_hall = يسجل الموظفون والأجهزة الدخول من شبكة المركز فقط.
error-no_printer = لا توجد طابعة إيصالات عند هذا الشباك: اطبع من المتصفح.
error-account_locked = هذا الحساب مقفل بعد محاولات كثيرة بكلمة مرور خاطئة. حاول لاحقًا أو اطلب من المدير.
error-too_many_attempts = محاولات كثيرة. يرجى الانتظار قليلًا ثم المحاولة مرة أخرى.
error-busy = الخادم مشغول. يرجى المحاولة مرة أخرى بعد قليل.
error-invalid_phone = هذا ليس رقم محمول مصريًا. اكتب ١١ رقمًا تبدأ بـ ٠١٠ أو ٠١١ أو ٠١٢ أو ٠١٥.
error-sms_unavailable = هذا المركز لا يرسل رسائل SMS الآن.

## شاشة القاعة

board-now-serving = الرقم الحالي
board-counter = الشباك
board-recent = آخر الأرقام
board-waiting = في الانتظار
# أطول انتظار حالي لتذكرة تؤخذ الآن في الفئة، بعد عددها على الشاشة.
board-wait-up-to = { $form ->
    [zero] أقل من دقيقة
    [one] حتى دقيقة واحدة
    [two] حتى دقيقتين
    [few] حتى { $minutes } دقائق
    [many] حتى { $minutes } دقيقة
   *[other] حتى { $minutes } دقيقة
}
board-reconnecting = جارٍ إعادة الاتصال بالخادم… تظهر آخر الأرقام المعروفة
board-no-calls = يرجى انتظار رقمك

## الانتظار المتوقع مدى: من المئين العاشر إلى التسعين في نموذج الطابور، بالدقائق الكاملة
## ($low و$high؛ الصيغة على $high). يظهر في الكشك والإيصال وصفحة التذكرة.
wait-range = { $form ->
    [few] { $low }–{ $high } دقائق
   *[other] { $low }–{ $high } دقيقة
}
estimate-pending = جارٍ حساب الانتظار…

## أخطاء الطلبات والتقييم (القضية 12)

error-unknown_request = لا يوجد طلب بهذا الرقم.
error-request_transition = لا يمكن نقل الطلب إلى هذه الحالة من حالته الحالية.
error-suffix_required = أدخل آخر أربعة أرقام من هاتف المواطن أو رقمه القومي.
error-wrong_suffix = هذه الأرقام لا تطابق الطلب.
error-feedback_exists = تم تقييم هذه التذكرة بالفعل.
error-invalid_feedback = اختر تقييمًا من 1 إلى 5 (وتعليقًا لا يزيد عن 500 حرف).

## الطلبات (القضية 12)

outcome-request_submitted = تم تقديم طلب (إيصال برقم متابعة)
request-state-received = تم الاستلام
request-state-under_review = قيد المراجعة
request-state-needs_documents = مطلوب مستندات
request-state-ready_for_pickup = جاهز للاستلام
request-state-delivered = تم التسليم
request-state-rejected = مرفوض
request-status = الطلب { $reference } ({ $service }): { $state }.
request-status-documents = يرجى إحضار: { $documents }.
request-status-reason = السبب: { $reason }.
request-status-expected = موعد الجاهزية المتوقع { $date }.

## صفحة متابعة الطلب (/r/REFERENCE)

status-page-title = متابعة طلبك
status-page-suffix = آخر أربعة أرقام من رقم هاتفك أو رقمك القومي
status-page-show = اعرض الحالة
status-page-hint = الأرقام التي ذكرتها عند الشباك عند تقديم الطلب.
status-page-service = الخدمة
status-page-submitted = تاريخ التقديم
status-page-expected = موعد الجاهزية المتوقع
status-page-documents = المستندات المطلوبة
status-page-pickup = طلبك جاهز: أحضر الإيصال وبطاقتك إلى شباك التسليم.
status-page-history = سجل الطلب

## التواريخ والأوقات والمدد (hall_core::format و web/js/format.js، الجدول assets/format-cases.json)

# "الأربعاء ٢ ديسمبر ٢٠٢٦": كما يقرأ المصريون التاريخ، لا ISO على أي شاشة للمواطن.
date-long = { $weekday } { $day } { $month } { $year }
date-day-sat = السبت
date-day-sun = الأحد
date-day-mon = الاثنين
date-day-tue = الثلاثاء
date-day-wed = الأربعاء
date-day-thu = الخميس
date-day-fri = الجمعة
date-month-1 = يناير
date-month-2 = فبراير
date-month-3 = مارس
date-month-4 = أبريل
date-month-5 = مايو
date-month-6 = يونيو
date-month-7 = يوليو
date-month-8 = أغسطس
date-month-9 = سبتمبر
date-month-10 = أكتوبر
date-month-11 = نوفمبر
date-month-12 = ديسمبر
duration-seconds = { $form ->
    [zero] أقل من ثانية
    [one] ثانية واحدة
    [two] ثانيتان
    [few] { $count } ثوانٍ
    [many] { $count } ثانية
   *[other] { $count } ثانية
}
duration-minutes = { $form ->
    [zero] أقل من دقيقة
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $count } دقائق
    [many] { $count } دقيقة
   *[other] { $count } دقيقة
}
duration-hours = { $form ->
    [one] ساعة
    [two] ساعتان
    [few] { $count } ساعات
    [many] { $count } ساعة
   *[other] { $count } ساعة
}
# "حوالي ساعة و٢٠ دقيقة": a long wait in hours and minutes.
wait-about = حوالي { $duration }
# "٣ من ٤": a part of a whole, in reading order (never "٣ / ٤").
ratio-of = { $part } من { $whole }
date-at = { $date } الساعة { $time }
# "ساعة و٢٠ دقيقة"
duration-hours-minutes = { $hours } و{ $minutes }

## دليل الخدمات /c (queue-server/src/guide.rs): ما يفتحه رمز QR على باب المركز

guide-title = دليل الخدمات
guide-intro = المستندات والرسوم ومواعيد العمل والانتظار الآن لكل خدمة، قبل أن تأتي.
guide-search = ابحث باسم الخدمة
guide-search-button = بحث
guide-no-match = لا توجد خدمة بهذا الاسم.
guide-all-services = كل الخدمات
guide-updated = الانتظار كما كان الساعة { $time }
guide-services = { $form ->
    [one] خدمة واحدة
    [two] خدمتان
    [few] { $count } خدمات
    [many] { $count } خدمة
   *[other] { $count } خدمة
}
guide-processing = مدة التنفيذ
guide-working-days = { $form ->
    [one] يوم عمل واحد
    [two] يوما عمل
    [few] { $count } أيام عمل
    [many] { $count } يوم عمل
   *[other] { $count } يوم عمل
}
guide-same-day = في نفس اليوم
guide-limit-reached = انتهت تذاكر اليوم لهذه الخدمة
guide-service-link = صفحة هذه الخدمة
guide-take-ticket = خذ رقمك من جهاز التذاكر عند مدخل المركز.

## الملصق (queue-server poster): على باب المركز وصفحاته

poster-title = دليل خدمات المركز
poster-scan = امسح الرمز بكاميرا هاتفك: المستندات والرسوم ومواعيد العمل والانتظار الآن لكل خدمة.
poster-no-app = بلا تطبيق ولا تسجيل: تفتح في متصفح أي هاتف
