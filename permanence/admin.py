"""Django admin for the administrator: users, teams, services and SSDA903 code lists (SPEC §1).

Children and their episodes are not edited here: every change to case data goes through the
services so that it is validated and attributed in history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from permanence.models import Code, ConnectedPersonApproval, Service, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "first_name", "last_name", "email", "team", "is_active")
    list_filter = ("groups", "team", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Work", {"fields": ("team", "job_title")}),
    )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name",)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "service")
    list_filter = ("service",)


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ("list_name", "code", "description", "retired_from")
    list_filter = ("list_name",)
    search_fields = ("code", "description")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Code.forget_cached()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Code.forget_cached()


@admin.register(ConnectedPersonApproval)
class ConnectedPersonApprovalAdmin(SimpleHistoryAdmin):
    """Read only: approvals are recorded on the child's page, through the services."""

    list_display = ("child", "placed_on", "carers", "extended_on", "outcome", "resolved_on")
    list_filter = ("outcome",)
    search_fields = ("child__child_id", "child__last_name", "carers")
    list_select_related = ("child",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
