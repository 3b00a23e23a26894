"""Django admin for the administrator: the panel and meeting types and their cadence (SPEC §1).

Sessions and bookings are shown read-only: every change to them goes through the services, so
that it is validated, attributed in history and told to the people concerned.
"""

from django.contrib import admin

from forums.models import Booking, ForumSession, MeetingType


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "repeat_amount", "repeat_unit", "source", "is_active")
    list_filter = ("kind", "is_active")
    readonly_fields = ("code", "kind")
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "purpose", "source", "is_active", "position")}),
        (
            "Cadence",
            {"fields": ("cadence", "repeat_amount", "repeat_unit", "next_label")},
        ),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Meetings refer to their type; retire a type with "is active" instead.
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ForumSession)
class ForumSessionAdmin(ReadOnlyAdmin):
    list_display = ("forum_date", "start_time", "venue", "chair", "slot_count")
    date_hierarchy = "forum_date"


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("session", "slot_number", "child", "status")
    list_filter = ("status",)
    list_select_related = ("session", "child")
