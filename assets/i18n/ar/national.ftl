# اللوحة القومية (central/web). صيغ الجمع: الاختيار على $form، وهي فئة CLDR التي تحسبها الصفحة
# بـ Intl.PluralRules('ar').

nat-title = اللوحة القومية
nat-signin-title = تسجيل الدخول إلى اللوحة القومية
nat-username = اسم المستخدم
nat-password = كلمة المرور
nat-signin = دخول
nat-nation = مصر
nat-national-viewer = متابع على المستوى القومي
nat-governorate-viewer = متابع محافظة: { $name }
nat-waiting-now = في الانتظار الآن
nat-served-today = تمت خدمتهم اليوم
nat-revenue-today = إيرادات اليوم
nat-sites-online = المواقع المتصلة
nat-alerts = التنبيهات
nat-governorates = المحافظات
nat-sites = المواقع
nat-col-name = الاسم
nat-col-kind = النوع
nat-col-sites = المواقع المتصلة
nat-col-waiting = في الانتظار
nat-col-longest = أطول انتظار
nat-col-counters = الشبابيك المفتوحة
nat-col-served = تمت خدمتهم
nat-col-wait-mean = متوسط الانتظار
nat-col-service-mean = متوسط الخدمة
nat-col-revenue = الإيرادات
nat-col-status = الحالة
nat-col-last-event = آخر حدث
nat-col-alerts = التنبيهات
nat-col-tickets = التذاكر
nat-col-no-shows = لم يحضروا
nat-kind-center = مركز
nat-kind-office = مكتب المحافظة
nat-kind-van = سيارة متنقلة
nat-online = متصل
nat-offline-since = { $form ->
    [zero] غير متصل منذ { $time }، وآخر ما عُرف: لا أحد في الانتظار
    [one] غير متصل منذ { $time }، وآخر ما عُرف: شخص واحد في الانتظار
    [two] غير متصل منذ { $time }، وآخر ما عُرف: شخصان في الانتظار
    [few] غير متصل منذ { $time }، وآخر ما عُرف: { $count } أشخاص في الانتظار
    [many] غير متصل منذ { $time }، وآخر ما عُرف: { $count } شخصًا في الانتظار
   *[other] غير متصل منذ { $time }، وآخر ما عُرف: { $count } شخص في الانتظار
}
nat-never-heard = لم يتصل بعد
nat-egp = { $amount } جنيه
nat-minutes = { $form ->
    [zero] أقل من دقيقة
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $count } دقائق
    [many] { $count } دقيقة
   *[other] { $count } دقيقة
}
nat-ago = { $form ->
    [zero] الآن
    [one] منذ دقيقة
    [two] منذ دقيقتين
    [few] منذ { $count } دقائق
    [many] منذ { $count } دقيقة
   *[other] منذ { $count } دقيقة
}
nat-alert-long-wait = { $site }: مواطن ينتظر منذ { $duration }
nat-alert-silent = { $site }: مفتوح ولا حدث منذ { $duration }
nat-alert-offline = { $site }: { $status }
nat-no-alerts = لا توجد تنبيهات.
nat-slowest = أطول متوسط انتظار اليوم
nat-busiest = الأكثر خدمة اليوم
nat-back-nation = كل المحافظات
nat-site-today = اليوم في هذا الموقع
nat-by-service = حسب الخدمة
nat-by-clerk = حسب الموظف
nat-by-hour = حسب الساعة
nat-reports = التقارير
nat-from = من
nat-to = إلى
nat-by = التجميع حسب
nat-group-center = الموقع
nat-group-governorate = المحافظة
nat-group-service = الخدمة
nat-group-clerk = الموظف
nat-group-day = اليوم
nat-group-hour = الساعة
nat-show = عرض
nat-csv = تنزيل CSV
nat-xlsx = تنزيل Excel
nat-last-commit = الأرقام حتى { $time }
nat-error-not_signed_in = يرجى تسجيل الدخول.
nat-error-session_expired = انتهت الجلسة؛ يرجى تسجيل الدخول مرة أخرى.
nat-error-bad_credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
nat-error-other_governorate = هذا خارج محافظتك.
nat-error-storage_failure = المخزن القومي لا يستجيب؛ ستعود الأرقام.
nat-error-bad_range = اختر مدة لا تزيد على سنة، بدايتها قبل نهايتها.
nat-error-bad_grouping = اختر طريقة التجميع.
nat-error-export_failed = تعذر إنشاء الملف.
nat-error-no_such_site = لا يوجد موقع بهذا الرمز.
nat-alert-closing-mismatch = { $site }: بصمة إغلاق يوم { $day } التي أرسلها الموقع لا تطابق أحداثه المحفوظة هنا
nat-closings = بصمات إغلاق الأيام
nat-closing-day = اليوم
nat-closing-hash = البصمة
nat-closing-verdict = المطابقة
nat-closing-match = مطابقة لأحداث المخزن القومي
nat-closing-mismatch = لا تطابق: سجل الموقع تغيّر أو نقصت أحداث
nat-closing-pending = في انتظار وصول أحداث اليوم
nat-no-closings = لم تصل بصمة إغلاق من هذا الموقع بعد.
nat-loading = جارٍ تحميل الأرقام…
