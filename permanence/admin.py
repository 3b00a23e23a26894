"""Django admin for the administrator: users, teams, services and SSDA903 code lists (SPEC §1).

The administrator sees no child (permanence.access), so no model holding case data is registered
here: children, episodes and approvals are seen and changed on the service's own pages, through
the services, by those who may see each child.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from permanence.models import Code, LadderRule, Service, Team, User


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


@admin.register(LadderRule)
class LadderRuleAdmin(SimpleHistoryAdmin):
    """Which options must be ruled out, with the reason recorded, before each route: the
    authority's own ladder. No child is shown; routes are neither added nor removed here."""

    list_display = ("__str__",)
    fieldsets = (
        (None, {"fields": ("route",)}),
        (
            "Options to be ruled out, with the reason recorded, before a plan takes this route",
            {
                "fields": (
                    "rule_out_return_home",
                    "rule_out_connected_person",
                    "rule_out_sgo_cao",
                    "rule_out_long_term_fostering",
                    "rule_out_adoption",
                )
            },
        ),
    )
    readonly_fields = ("route",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
