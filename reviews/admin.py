"""Read-only admin for the IRO's records: changes go through the services, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import IroAllocation, Ppn1, RatificationCheck, Review, SgoReferral


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IroAllocation)
class IroAllocationAdmin(ReadOnlyAdmin):
    list_display = ("child", "iro", "allocated_on", "ended_on")
    list_filter = ("iro",)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("child", "sequence", "kind", "due_on", "held_on", "participation", "cancelled")
    list_filter = ("kind", "cancelled", "participation")
    date_hierarchy = "due_on"


@admin.register(RatificationCheck)
class RatificationCheckAdmin(ReadOnlyAdmin):
    list_display = ("review", "plan", "outcome", "recorded_by", "recorded_at")
    list_filter = ("outcome",)


@admin.register(Ppn1)
class Ppn1Admin(ReadOnlyAdmin):
    list_display = ("child", "completed_on", "route", "meeting_on")


@admin.register(SgoReferral)
class SgoReferralAdmin(ReadOnlyAdmin):
    list_display = ("child", "review", "sent_on", "sent_to", "sent_by")
    date_hierarchy = "sent_on"
