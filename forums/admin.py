"""Django admin for the administrator: the panel and meeting types and their cadence (SPEC §1).

Sessions are shown read-only: every change to them goes through the services, so that it is
validated, attributed in history and told to the people concerned. Bookings name children, whom
the administrator does not see (permanence.access): they are not registered here.
"""

from django.contrib import admin

from forums.models import ForumSession, MeetingType


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "comes_back", "source", "is_active")
    list_filter = ("kind", "is_active")
    readonly_fields = ("code", "kind", "timescale_code", "comes_back")
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "purpose", "source", "is_active", "position")}),
        (
            "Cadence",
            {
                "fields": (
                    "cadence",
                    "timescale_code",
                    "comes_back",
                    "repeat_amount",
                    "repeat_unit",
                    "next_label",
                )
            },
        ),
    )

    @admin.display(description="comes back in")
    def comes_back(self, meeting_type: MeetingType) -> str:
        repeat = meeting_type.repeat
        if repeat is None:
            return "No rule"
        if meeting_type.timescale_code:
            return f"{repeat} (the timescale “{meeting_type.timescale_code}”)"
        return str(repeat)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.timescale_code:
            # Changed in one place only: the timescale itself.
            fields += ["repeat_amount", "repeat_unit"]
        return fields

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
