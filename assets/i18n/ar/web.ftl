# نصوص صفحات الويب: لوحة الموظف، لوحة المدير، صفحة التذكرة. لكل رسالة نظير في en/web.ftl.
# رموز الأخطاء وحالات التذاكر والشبابيك والأولويات وصيغ العد في queue.ftl.
# صيغ الجمع: الاختيار على $form، وهي فئة CLDR التي تحسبها الصفحة بـ Intl.PluralRules('ar').

## عام

app-name = طابور
lang-switch = English
lang-switch-title = Switch to English
conn-connecting = جارٍ الاتصال بالخادم…
conn-online = متصل
conn-offline = انقطع الاتصال — إعادة المحاولة خلال { $seconds } ث
error-unknown = حدث خطأ غير متوقع ({ $code }).
action-failed = تعذر تنفيذ «{ $action }»: { $reason }
dialog-cancel = إلغاء
dialog-confirm = تأكيد

## تسجيل الدخول

signin-title = تسجيل دخول الموظفين
signin-username = اسم المستخدم
signin-password = كلمة المرور
signin-submit = دخول
signin-busy = جارٍ الدخول…
signout = خروج
signed-in-as = { $name }
signin-again = انتهت جلستك أو أُغلقت. سجّل الدخول مرة أخرى.

## لوحة الموظف

clerk-title = لوحة الموظف
clerk-choose-counter = اختر شباكك
clerk-choose-hint = اضغط على شباك مغلق لفتحه والعمل عليه.
clerk-counter-taken = يعمل عليه { $clerk }
clerk-open = فتح
clerk-close-counter = إغلاق الشباك
clerk-pause = استراحة
clerk-resume = استئناف العمل
clerk-paused-note = الشباك في استراحة: لن يُنادى عليه أحد.
clerk-call-next = نداء التالي
clerk-shortcut = المفتاح { $key }
clerk-current = عند الشباك الآن
clerk-no-ticket = لا توجد تذكرة عند الشباك. اضغط «نداء التالي».
clerk-recall = إعادة النداء
clerk-no-show = لم يحضر
clerk-start = بدء الخدمة
clerk-finish = إنهاء الخدمة
clerk-transfer = تحويل
clerk-park = تعليق
clerk-return = إرجاع للشباك
clerk-at-counter-for = عند الشباك منذ { $time }
clerk-recalls = { $form ->
    [zero] لم يُعد النداء
    [one] أُعيد النداء مرة واحدة
    [two] أُعيد النداء مرتين
    [few] أُعيد النداء { $count } مرات
    [many] أُعيد النداء { $count } مرة
   *[other] أُعيد النداء { $count } مرة
}
clerk-waiting-title = ينتظرون هذا الشباك
clerk-waiting-empty = لا أحد ينتظر هذا الشباك.
clerk-waiting-more = { $form ->
    [zero] لا مزيد
    [one] وتذكرة أخرى لا تظهر هنا
    [two] وتذكرتان أخريان لا تظهران هنا
    [few] و{ $count } تذاكر أخرى لا تظهر هنا
    [many] و{ $count } تذكرة أخرى لا تظهر هنا
   *[other] و{ $count } تذكرة أخرى لا تظهر هنا
}
clerk-waited = ينتظر منذ { $time }
clerk-call-this = نداء
clerk-front = في المقدمة
clerk-reserved = محوّلة لهذا الشباك
clerk-transferred = محوّلة
clerk-parked-title = تذاكر معلقة
clerk-parked-empty = لا توجد تذاكر معلقة.
clerk-today-title = عملك اليوم
clerk-today-served = تمت خدمتهم
clerk-today-avg = متوسط مدة الخدمة
clerk-today-no-shows = لم يحضروا
clerk-today-none = —
clerk-called-toast = تم نداء { $label }
clerk-done-toast = تم
clerk-call-reason-title = نداء { $label } قبل دوره
clerk-call-reason-label = سبب النداء خارج الترتيب (يُسجَّل)
clerk-finish-title = إنهاء خدمة { $label }
clerk-outcome = نتيجة الخدمة
clerk-reference = رقم الطلب (اختياري)
clerk-reference-hint = الرقم الذي يتابع به المواطن طلبه.
clerk-transfer-title = تحويل { $label }
clerk-transfer-kind = التحويل إلى
clerk-transfer-to-service = خدمة
clerk-transfer-to-counter = شباك
clerk-position = المكان في الطابور
clerk-position-front = في المقدمة
clerk-position-back = في آخر الطابور
clerk-park-title = تعليق { $label }
clerk-park-note = ملاحظة (اختياري)
clerk-close-title = إغلاق { $name }؟
clerk-close-body = لن يُنادى على أحد لهذا الشباك حتى يُفتح مرة أخرى.

## لوحة المدير

manager-title = لوحة المدير
manager-signed-in = أنت مسجل الدخول كمدير.

## صفحة التذكرة

ticket-title = تذكرتك
ticket-service = الخدمة
ticket-issued = صدرت الساعة { $time }
ticket-ahead-label = أمامك
ticket-estimate-label = الانتظار المتوقع
ticket-go-to = توجه الآن إلى
ticket-serving-at = تُقدَّم لك الخدمة عند
ticket-parked-at = عد إلى
ticket-reference = رقم طلبك للمتابعة
ticket-live = تتحدث هذه الصفحة تلقائيًا — لا حاجة لتحديثها.
ticket-withdraw = إلغاء التذكرة
ticket-withdraw-confirm = هل تريد إلغاء تذكرتك؟ ستفقد دورك في الطابور.
ticket-withdraw-yes = نعم، ألغِ التذكرة
ticket-withdraw-no = لا، أبقِها
ticket-done-thanks = شكرًا لزيارتك.
ticket-unknown-title = لم يتم العثور على التذكرة
ticket-unknown-body = تأكد من الرابط أو امسح رمز QR المطبوع على التذكرة مرة أخرى. التذكرة صالحة في يوم إصدارها فقط.
ticket-loading = جارٍ تحميل تذكرتك…
ticket-alert-me = نبّهني عند ندائي
ticket-alert-hint = يصدر هاتفك صوتًا ويهتز عندما يحين دورك.
ticket-alert-on = سينبهك الهاتف بصوت واهتزاز عند ندائك.
ticket-alert-keep-open = اترك هذه الصفحة مفتوحة وارفع صوت الهاتف.
ticket-alert-off = إيقاف التنبيه
ticket-alert-title = 🔔 حان دورك { $label } — { $counter }

## خانة رسائل SMS في صفحة التذكرة (المسألة ١٢).
phone-title = تصلك رسالة نصية حين يقترب دورك
phone-help = رقم محمول مصري. نستخدمه لهذه التذكرة فقط، ومرة بعدها لرابط تقييم الخدمة، ثم نحذفه.
phone-save = أرسلوا لي الرسائل
phone-kept = ستصل رسائل هذه التذكرة إلى { $masked }.
clerk-phone = رقم للرسائل
clerk-phone-title = رسائل نصية عن { $label }
clerk-phone-number = رقم محمول المواطن
clerk-phone-lang = لغة الرسائل
clerk-phone-lang-ar = العربية
clerk-phone-lang-en = الإنجليزية
clerk-phone-kept = ستصل الرسائل إلى { $masked }.
## الطلبات عند الشباك (القضية 12)

clerk-request-hint = يعطي الخادم الطلب رقمه. اسأل المواطن عن آخر أربعة أرقام من هاتفه و/أو رقمه القومي: تُطلب في صفحة متابعة الطلب.
clerk-phone-suffix = آخر 4 أرقام من الهاتف
clerk-id-suffix = آخر 4 أرقام من الرقم القومي
clerk-slip-title = إيصال الطلب — احتفظ بهذا الرقم
clerk-slip-expected = موعد الجاهزية المتوقع { $date }
clerk-slip-hint = امسح الرمز أو افتح العنوان لمتابعة الطلب.
clerk-slip-print = طباعة
clerk-slip-close = إغلاق
clerk-slip-printing = جارٍ الطباعة على طابعة الشباك…
clerk-slip-printed = طُبع الإيصال على طابعة الشباك.
clerk-slip-not-printed = لم يُطبع الإيصال: { $reason }. اطبع من المتصفح، أو أصلح الطابعة واطبع مرة أخرى.
clerk-slip-print-counter = اطبع مرة أخرى
clerk-slip-lang = لغة الإيصال المطبوع

## المكتب الخلفي (/office)

office-title = المكتب الخلفي
office-find = ابحث عن طلب برقمه
office-find-submit = بحث
office-overdue-count = متأخرة: { $count }
office-filter-state = الحالة
office-filter-open = لم تنته
office-filter-overdue = متأخرة
office-filter-all = الكل
office-filter-service = الخدمة
office-filter-age = العمر
office-age-week = هذا الأسبوع (7 أيام أو أقل)
office-age-older = أقدم من 7 أيام
office-refresh = تحديث
office-none = لا يوجد طلب مطابق.
office-col-reference = رقم الطلب
office-col-service = الخدمة
office-col-state = الحالة
office-col-age = العمر
office-col-expected = موعد الجاهزية
office-col-changed = آخر تغيير
office-overdue = متأخر
office-age-days = { $form ->
    [zero] اليوم
    [one] يوم واحد
    [two] يومان
    [few] { $count } أيام
    [many] { $count } يومًا
   *[other] { $count } يوم
}
office-ticket = التذكرة { $label }
office-expected = موعد الجاهزية المتوقع { $date }
office-final = انتهى هذا الطلب.
office-close = إغلاق
office-to-under_review = بدء المراجعة
office-to-needs_documents = طلب مستندات
office-to-ready_for_pickup = جاهز للاستلام
office-to-delivered = تم التسليم للمواطن
office-to-rejected = رفض
office-to-received = تم الاستلام
office-documents = المستندات المطلوبة من المواطن (مستند في كل سطر)
office-documents-hint = يرى المواطن هذه القائمة في صفحة متابعة الطلب.
office-reason = سبب الرفض (يراه المواطن)
office-note = ملاحظة للسجل (للموظفين فقط)
office-change-title = { $reference }: { $state }
office-changed = أصبح { $reference }: { $state }

## صفحة التذكرة: التقييم (القضية 12)

feedback-title = كيف كانت الخدمة؟
feedback-rating = تقييمك
feedback-star = { $form ->
    [one] نجمة واحدة
    [two] نجمتان
    [few] { $count } نجوم
   *[other] { $count } نجمة
}
feedback-comment = تعليق (اختياري)
feedback-send = إرسال
feedback-thanks = شكرًا على تقييمك.
ticket-request-reference = رقم طلبك: { $reference }
ticket-request-follow = تابع طلبك

## شباك الاستلام (المسألة ١٢)
clerk-pickup = تسليم طلب
clerk-pickup-title = تسليم طلب جاهز
clerk-pickup-reference = رقم الطلب كما على إيصال المواطن
clerk-pickup-find = بحث
clerk-pickup-documents = المستندات المطلوبة: { $documents }
clerk-pickup-not-ready = هذا الطلب ليس جاهزًا للاستلام بعد؛ أخبر المواطن بحالته.
clerk-pickup-deliver = تم التسليم للمواطن
clerk-pickup-done = سُلِّم الطلب { $reference }.
