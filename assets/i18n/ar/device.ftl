# رسائل الجهاز نفسه (الكشك ولوحة العرض): تسجيل الجهاز برمز يظهر على شاشته، وموعد فتح خدمة مغلقة.

## تسجيل الجهاز

pair-title = هذا الجهاز غير مسجَّل بعد
pair-kind-kiosk = كشك التذاكر
pair-kind-board = لوحة العرض
pair-code-label = رمز التسجيل
pair-step-open = على شاشة المدير، افتح «الأجهزة»
pair-step-enter = أدخل هذا الرمز واسمًا للجهاز، ثم اضغط «اعتماد»
pair-renews = الرمز صالح لمدة { $form ->
    [zero] أقل من دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
    [many] { $minutes } دقيقة
   *[other] { $minutes } دقيقة
} ويتجدد تلقائيًا
pair-waiting-code = جارٍ طلب رمز من خادم التذاكر…
pair-server = الخادم: { $server }
pair-refused = رفض الخادم رمز هذا الجهاز (ربما أُلغي)؛ يلزم تسجيله من جديد.
pair-approved = تم التسجيل باسم { $name }. جارٍ البدء…

## موعد الفتح

opens-at-today = تفتح اليوم الساعة { $time }
opens-at-tomorrow = تفتح غدًا الساعة { $time }
opens-at-day = تفتح يوم { $day } الساعة { $time }
opens-never = لا مواعيد لهذه الخدمة
