# لوحة المدير (/manager): صفحتها، وسطور سجل التدقيق وملفات التقارير التي يكتبها الخادم.
# لكل رسالة هنا نظير في en/manager.ftl؛ اختبار يتحقق من تطابق الملفين.

## سجل التدقيق: سطر لكل إجراء مسجل (ماذا حدث؛ من ومتى في أعمدة مستقلة)

audit-actor-system = النظام
audit-catalog_loaded = تم تحميل الإعدادات (الخدمات: { $services }، الشبابيك: { $counters })
audit-day_started = بداية يوم جديد { $day }
audit-ticket_issued = إصدار التذكرة { $ticket } لخدمة { $service } ({ $priority })
audit-ticket_called = نداء التذكرة { $ticket } إلى { $counter }
audit-ticket_called_out_of_order = نداء التذكرة { $ticket } إلى { $counter } خارج الدور: «{ $reason }»
audit-ticket_recalled = إعادة نداء التذكرة { $ticket } إلى { $counter }
audit-service_started = بدء خدمة التذكرة { $ticket } في { $counter }
audit-ticket_finished = إنهاء التذكرة { $ticket } في { $counter }: { $outcome }
audit-ticket_no_show = صاحب التذكرة { $ticket } لم يحضر إلى { $counter }
audit-ticket_cancelled = إلغاء التذكرة { $ticket } ({ $reason })
audit-ticket_transferred = تحويل التذكرة { $ticket } إلى { $target }
audit-ticket_parked = تعليق التذكرة { $ticket } في { $counter }
audit-ticket_returned = استدعاء التذكرة المعلقة { $ticket } إلى { $counter }
audit-counter_opened = فتح { $counter } للموظف { $clerk }
audit-counter_closed = إغلاق { $counter }
audit-counter_paused = إيقاف { $counter } مؤقتًا
audit-counter_resumed = استئناف العمل في { $counter }
audit-service_availability_set = { $open ->
    [yes] فتح خدمة { $service } لتذاكر جديدة
   *[no] إغلاق خدمة { $service } أمام التذاكر الجديدة
}
audit-counter_profile_set = تعيين خدمات { $counter }: { $profile }
audit-message_set = تعيين رسالة الشاشات: «{ $text }»
audit-message_cleared = مسح رسالة الشاشات
audit-user_created = إنشاء حساب { $role } باسم { $username }
audit-password_reset = إعادة تعيين كلمة مرور { $username }
audit-user_disabled = تعطيل حساب { $username }
audit-user_enabled = تفعيل حساب { $username }
audit-device_paired = ربط جهاز { $role } باسم { $name }
audit-device_revoked = إلغاء ربط الجهاز { $name }
audit-printer_status_changed = طابعة { $device }: { $status } { $detail }
audit-reason-withdrawn = سحبها صاحبها أو الموظف
audit-reason-day_ended = انتهى اليوم
audit-reason-service_removed = حُذفت الخدمة
audit-front = أول الدور
audit-back = آخر الدور
role-clerk = موظف
role-manager = مدير
role-kiosk = كشك التذاكر
role-board = شاشة العرض

## التقارير (الصفحة والملفات المصدّرة)

report-by-day = اليوم
report-by-hour = الساعة
report-by-service = الخدمة
report-by-counter = الشباك
report-by-clerk = الموظف
report-total = الإجمالي
report-col-name = الاسم
report-col-tickets = التذاكر
report-col-served = تمت خدمتهم
report-col-no_shows = لم يحضروا
report-col-cancelled = ملغاة
report-col-wait_mean = متوسط الانتظار (دقيقة)
report-col-wait_p90 = الانتظار عند المئين ٩٠ (دقيقة)
report-col-service_mean = متوسط مدة الخدمة (دقيقة)
report-col-service_p90 = مدة الخدمة عند المئين ٩٠ (دقيقة)

## صفحة اللوحة

mgr-tab-dashboard = لوحة المتابعة
mgr-tab-services = الخدمات
mgr-tab-devices = الأجهزة
mgr-tab-staff = الموظفون
mgr-tab-reports = التقارير
mgr-tab-audit = سجل التدقيق
mgr-waiting-now = في الانتظار الآن
mgr-longest-wait = أطول انتظار
mgr-served-today = تمت خدمتهم اليوم
mgr-rating-today = تقييم المواطنين اليوم
mgr-rating-value = { $mean } من { $max }
mgr-rating-count = { $form ->
    [zero] لا تقييمات
    [one] تقييم واحد
    [two] تقييمان
    [few] { $count } تقييمات
    [many] { $count } تقييمًا
   *[other] { $count } تقييم
}
mgr-counters-open = الشبابيك المفتوحة
mgr-chart-waiting = المنتظرون لكل خدمة
mgr-chart-longest = أطول انتظار لكل خدمة (بالدقائق)
mgr-chart-empty = لا أحد في الانتظار.
mgr-counters = الشبابيك
mgr-col-counter = الشباك
mgr-col-state = الحالة
mgr-col-clerk = الموظف
mgr-col-ticket = التذكرة
mgr-col-since = منذ
mgr-col-queue = يمكنه نداء
mgr-col-services = الخدمات (الوزن)
mgr-col-service = الخدمة
mgr-col-waiting = في الانتظار
mgr-col-estimate = الانتظار المتوقع
mgr-col-serving = شبابيك تقدمها
mgr-col-issued = صدر اليوم
mgr-col-open = تستقبل تذاكر
mgr-col-name = الاسم
mgr-col-role = النوع
mgr-col-online = متصل
mgr-col-added = أضيف في
mgr-col-username = اسم المستخدم
mgr-col-active = مفعّل
mgr-col-when = متى
mgr-col-who = من
mgr-col-what = ماذا
mgr-edit-profile = الخدمات…
mgr-profile-title = خدمات { $counter }
mgr-profile-hint = اختر الخدمات التي ينادي عليها هذا الشباك وأعط كل خدمة وزنًا (أكبر من ٠ وحتى ١٠٠): الوزن الأعلى يقدّم نداء تلك الخدمة. يسري التغيير من النداء التالي للشباك.
mgr-profile-saved = تم حفظ خدمات { $counter }.
mgr-close-counter = إغلاق
mgr-closed-counter = تم إغلاق { $counter }.
mgr-message = رسالة شاشات العرض
mgr-message-placeholder = سطر يظهر متحركًا على كل الشاشات (فارغ: لا رسالة)
mgr-message-save = اعرض على الشاشات
mgr-message-saved = تم تحديث رسالة الشاشات.
mgr-service-open = مفتوحة
mgr-service-closed = مغلقة
mgr-open-service = افتح للتذاكر الجديدة
mgr-close-service = أغلق أمام التذاكر الجديدة
mgr-no-estimate = —
mgr-pairing-title = ربط كشك أو شاشة جديدة
mgr-pairing-hint = يعرض الكشك أو لوحة العرض غير المسجَّل رمزًا من ستة أرقام على شاشته. اكتب هذا الرمز (بمسافة أو بدونها) والاسم الذي تريده للجهاز، وسيبدأ الجهاز العمل تلقائيًا.
mgr-pairing-code = الرمز الظاهر على شاشة الجهاز
mgr-pairing-name = اسم الجهاز (مثل kiosk-3)
mgr-pairing-approve = اعتماد
mgr-paired = تم ربط { $name } وهو متصل الآن.
mgr-pending = أجهزة في انتظار الربط
mgr-pending-none = لا يوجد جهاز ينتظر الربط.
mgr-pending-line = الرمز { $code }: { $kind } «{ $name }»، حتى { $until }
mgr-devices = الأجهزة المسجلة
mgr-revoke = إلغاء الربط
mgr-revoke-confirm = إلغاء ربط { $name }؟ سيتوقف عن العمل فورًا ويلزم ربطه من جديد.
mgr-revoked = تم إلغاء ربط { $name }.
mgr-yes = نعم
mgr-no = لا
mgr-staff-new = حساب جديد
mgr-staff-username = اسم المستخدم (بحروف لاتينية، مثل mona.ali)
mgr-staff-display = الاسم الكامل
mgr-staff-role = الدور
mgr-staff-create = إنشاء
mgr-staff-password = كلمة مرور { $username }: { $password } — سلّمها له الآن؛ لن تظهر مرة أخرى.
mgr-reset-password = كلمة مرور جديدة
mgr-reset-confirm = إعطاء { $username } كلمة مرور جديدة؟ تنتهي جلساته الحالية.
mgr-disable = تعطيل
mgr-enable = تفعيل
mgr-disable-confirm = تعطيل حساب { $username }؟ سيُسجَّل خروجه فورًا.
mgr-you = (أنت)
mgr-report-from = من
mgr-report-to = إلى
mgr-report-by = التجميع حسب
mgr-report-show = عرض
mgr-report-csv = تنزيل CSV
mgr-report-xlsx = تنزيل Excel
mgr-report-empty = لا توجد تذاكر في هذه الأيام.
mgr-audit-actor = من (اسم المستخدم)
mgr-audit-kind = ماذا
mgr-audit-any = الكل
mgr-audit-filter = تصفية
mgr-audit-prev = الأحدث
mgr-audit-next = الأقدم
mgr-audit-page = { $from }–{ $to } من { $total }
mgr-audit-none = لا شيء يطابق.

## تصفية سجل التدقيق: أنواع الإجراءات

audit-kind-ticket_issued = إصدار تذكرة
audit-kind-ticket_called = نداء تذكرة
audit-kind-ticket_recalled = إعادة نداء
audit-kind-service_started = بدء الخدمة
audit-kind-ticket_finished = إنهاء تذكرة
audit-kind-ticket_no_show = عدم حضور
audit-kind-ticket_cancelled = إلغاء تذكرة
audit-kind-ticket_transferred = تحويل تذكرة
audit-kind-ticket_parked = تعليق تذكرة
audit-kind-ticket_returned = استدعاء تذكرة معلقة
audit-kind-counter_opened = فتح شباك
audit-kind-counter_closed = إغلاق شباك
audit-kind-counter_paused = إيقاف شباك مؤقتًا
audit-kind-counter_resumed = استئناف شباك
audit-kind-service_availability_set = فتح أو إغلاق خدمة
audit-kind-counter_profile_set = تعيين خدمات شباك
audit-kind-message_set = رسالة الشاشات
audit-kind-day_started = يوم جديد
audit-kind-catalog_loaded = تحميل الإعدادات
audit-kind-printer_status_changed = حالة الطابعة
audit-kind-user_created = إنشاء حساب
audit-kind-password_reset = إعادة تعيين كلمة مرور
audit-kind-user_disabled = تعطيل حساب
audit-kind-user_enabled = تفعيل حساب
audit-kind-device_paired = ربط جهاز
audit-kind-device_revoked = إلغاء ربط جهاز

## لوحة المتابعة: طابعات الأكشاك (issue 14)
mgr-printers = طابعات الأكشاك
mgr-printers-ok = كل طابعات الأكشاك جاهزة.
mgr-col-kiosk = الكشك
mgr-col-printer = الطابعة
mgr-col-detail = تفاصيل
mgr-printer-since = { $time } ({ $duration })

## المسألة ١٤: السجل المحمي من التلاعب، قفل تسجيل الدخول، رقم الطلب في سطر الإنهاء

audit-ticket_finished_ref = إنهاء التذكرة { $ticket } في { $counter }: { $outcome }، رقم الطلب { $reference }
mgr-no-public-url = لم يُضبط العنوان العام للمركز.
mgr-no-public-url-what = رمز QR على الإيصالات يشير إلى عنوان لا تصل إليه هواتف المواطنين. اضبط public_url في القسم [access] من ملف المركز (docs/deploy.md).
audit-account_locked = قفل تسجيل الدخول إلى { $username } من الجهاز { $source } (كلمات مرور خاطئة متتالية: { $failures }؛ المدة بالدقائق: { $minutes })
audit-account_unlocked = فتح قفل تسجيل الدخول إلى { $username }
audit-chain_break_accepted = بدء التشغيل على سجل لم يجتز الفحص ({ $chain }، السطر { $row }): { $problem }
audit-kind-account_locked = قفل حساب
audit-kind-account_unlocked = فتح قفل حساب
audit-kind-chain_break_accepted = قبول سجل غير سليم
audit-chain_break_found = تغيّر السجل خارج الخادم قبل آخر تشغيل ({ $chain }، السطر { $row }): { $problem }
audit-kind-chain_break_found = اكتشاف تغيير في السجل
mgr-chain-break = تغيّر السجل خارج الخادم: { $chain ->
        [events] سجل الأحداث
       *[other] سجل الإدارة
    }، السطر { $row }.
mgr-chain-break-what = شغّل queue-server verify وأبلغ عنه؛ التفاصيل في سجل التدقيق.
audit-snapshot_refused = لم تُستخدم لقطة الحالة (الحدث { $seq }) عند التشغيل: { $reason ->
        [data_hash] بياناتها لا تطابق بصمتها
       *[other] لا تطابق السجل عند حدثها
    }؛ أُعيد تشغيل السجل بدلًا منها
audit-kind-snapshot_refused = لقطة مرفوضة
mgr-closing-title = بصمة الإغلاق لكل يوم
mgr-closing-note = قيمة واحدة تثبت كل حدث وكل تغيير في الحسابات حتى نهاية اليوم: احفظها خارج المركز (اطبعها)؛ أي تاريخ يُعاد كتابته بعد ذلك لا يعطيها.
mgr-closing-upto = حتى الحدث { $seq }
report-col-transferred = المحوّلة
mgr-locked-until = تسجيل الدخول مقفل حتى { $time }
mgr-unlock = فتح القفل
report-closing = بصمة الإغلاق { $day }
report-closing-provisional = بصمة الإغلاق حتى الآن { $day } (مؤقتة: اليوم لم ينتهِ)
mgr-closing-provisional = حتى الآن (مؤقتة: اليوم لم ينتهِ)

## مستشار التوزيع (js/staffing.js): للاسترشاد فقط
mgr-tab-staffing = توزيع الشبابيك
mgr-staff-intro = نصيحة من نموذج الطابور: كم شباكًا يبقي أطول انتظار تحت الحد الذي تحدده. لا يغيّر شيئًا بنفسه.
mgr-staff-target = أطول انتظار (بالدقائق)
mgr-staff-advise = انصحني
mgr-staff-method = الطريقة: قاعدة التوجيه تُمثَّل إلى الأمام بأزمنة الخدمة والوصول المتعلَّمة (الآن)، ومحاكاة لكل ساعة من الغد يُنادى فيها ٩٠٪ من التذاكر داخل الحد، ومعادلة إرلانج سي بجانبها للتحقق.
mgr-staff-now = الآن، للساعة القادمة
mgr-staff-now-ok = بالشبابيك المفتوحة الآن لن ينتظر أحد أكثر من { $target } د في الساعة القادمة (أطول انتظار متوقع: { $longest } د).
mgr-staff-now-open = { $form ->
    [one] ليبقى كل انتظار تحت { $target } د في الساعة القادمة، افتح شباكًا واحدًا آخر:
    [two] ليبقى كل انتظار تحت { $target } د في الساعة القادمة، افتح شباكين آخرين:
    [few] ليبقى كل انتظار تحت { $target } د في الساعة القادمة، افتح { $count } شبابيك أخرى:
   *[other] ليبقى كل انتظار تحت { $target } د في الساعة القادمة، افتح { $count } شباكًا آخر:
}
mgr-staff-now-after = بها يكون أطول انتظار متوقع: { $longest } د.
mgr-staff-now-short = حتى مع فتح كل الشبابيك سيبلغ أطول انتظار نحو { $longest } د.
mgr-staff-over = فوق الحد الآن: { $list }
mgr-staff-tomorrow = الغد ({ $day }): الشبابيك اللازمة لكل ساعة
mgr-staff-chart = الشبابيك اللازمة لكل ساعة غدًا
mgr-staff-legend = الأعمدة: الشبابيك اللازمة بالمحاكاة؛ الخط الأحمر: إرلانج سي.
mgr-staff-no-history = لا يوجد سجل كافٍ بعد لتخطيط الغد: يتعلّم المستشار وصول كل يوم من أيام الأسبوع من السجل.
mgr-staff-col-hour = الساعة
mgr-staff-col-arrivals = التذاكر المتوقعة
mgr-staff-col-counters = الشبابيك (محاكاة)
mgr-staff-col-erlang = الشبابيك (إرلانج سي)
mgr-staff-col-services = لكل خدمة

## The national service's report exports (central/, docs/network.md)
report-by-center = الموقع
report-by-governorate = المحافظة
report-col-revenue = الإيرادات (جنيه)

## الطلبات والتقييم (القضية 12)

audit-request_created = قُدّم الطلب { $reference } بالتذكرة { $ticket } لخدمة { $service }، موعد الجاهزية المتوقع { $date }
audit-request_state_changed = الطلب { $reference }: { $state } { $detail }
audit-feedback_given = تقييم { $rating }/5 للتذكرة { $ticket }
audit-kind-request_created = تقديم طلب
audit-kind-request_state_changed = تغيير حالة طلب
audit-kind-feedback_given = تقييم المواطن
role-back_office = المكتب الخلفي
report-col-requests = الطلبات المقدمة
report-col-ratings = التقييمات
report-col-rating_mean = متوسط التقييم (1–5)
report-requests = الطلبات
report-req-reference = رقم الطلب
report-req-service = الخدمة
report-req-counter = الشباك
report-req-clerk = الموظف
report-req-created = تاريخ التقديم
report-req-expected = موعد الجاهزية المتوقع
report-req-state = الحالة
report-req-changed = آخر تغيير
report-req-changed_by = بواسطة
