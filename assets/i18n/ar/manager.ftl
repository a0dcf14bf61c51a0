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
