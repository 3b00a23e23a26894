"""The administrator's timescales (SPEC §1, §5): every number changeable without a code change.

A rule is never added or deleted here: the registry in code decides which rules exist. Deadlines
and alerts are shown read-only, to see what the sweep did, without naming any child.
"""

from django import forms
from django.contrib import admin
from django.core.validators import MinValueValidator
from simple_history.admin import SimpleHistoryAdmin

from tracker import services
from tracker.deadlines import registry, sources
from tracker.models import Alert, Deadline, DeadlineRule, Ssda903Import


class DeadlineRuleForm(forms.ModelForm):
    """Numbers are checked by the rule itself (DeadlineRule.clean), so that the same clear
    message comes from the admin and from the service; only a negative number is caught here,
    before the database field's generic "greater than or equal to 0"."""

    class Meta:
        model = DeadlineRule
        fields = [
            "name",
            "active",
            "applies_from",
            "counts_from",
            "amount",
            "unit",
            "counts_start_day",
            "due_time",
            "extension_amount",
            "met_by",
            "warning_days",
            "owner_role",
            "copy_role",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("amount", "extension_amount", "warning_days"):
            field = self.fields.get(name)
            if field is not None:
                # The database field's own minimum would answer first, less clearly.
                field.min_value = None
                field.validators = [
                    v for v in field.validators if not isinstance(v, MinValueValidator)
                ]
                field.widget.attrs.pop("min", None)

    def _not_negative(self, name: str, message: str):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise forms.ValidationError(message)
        return value

    def clean_amount(self):
        return self._not_negative(
            "amount",
            "Enter a timescale of at least 1: it cannot be negative. To count backwards "
            "from the event (as for Part 1), the rule's direction does that",
        )

    def clean_extension_amount(self):
        return self._not_negative(
            "extension_amount", "Enter an extension of 0 or more: it cannot be negative"
        )

    def clean_warning_days(self):
        return self._not_negative(
            "warning_days", "Enter a warning of 0 days or more: it cannot be negative"
        )


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    form = DeadlineRuleForm
    list_display = ("name", "timescale", "warning_days", "owner_role", "active", "event_source")
    list_filter = ("active", "owner_role", "unit")
    readonly_fields = ("code", "source", "direction", "event_source", "once_achieved")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "source",
                    "event_source",
                    "once_achieved",
                    "active",
                    "applies_from",
                )
            },
        ),
        (
            "Timescale",
            {
                "fields": (
                    "counts_from",
                    "direction",
                    "amount",
                    "unit",
                    "counts_start_day",
                    "due_time",
                    "extension_amount",
                    "met_by",
                )
            },
        ),
        ("Alerts", {"fields": ("warning_days", "owner_role", "copy_role")}),
    )

    @admin.display(description="timescale")
    def timescale(self, rule: DeadlineRule) -> str:
        return rule.describe()

    @admin.display(description="event source")
    def event_source(self, rule: DeadlineRule) -> str:
        spec = registry.spec_for(rule.code)
        if spec is None:
            return "No calculation in the code: not yet applicable"
        read = "; ".join(sources.SOURCES[name].description for name in spec.needs)
        return f"Recorded in the service: {read}" if read else "Recorded in the service"

    @admin.display(description="once permanence is achieved")
    def once_achieved(self, rule: DeadlineRule) -> str:
        if registry.ends_when_achieved(rule.code):
            return (
                "Ends: it leads to permanence, so an open deadline stops being tracked once the "
                "child's plan is achieved (kept as missed if it was already overdue that day)"
            )
        return "Goes on after the plan is achieved, while the child is looked after"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        # Through the service: validated, kept in history, and every deadline follows.
        services.deadline_rule_update(
            rule=obj, by=request.user, reason="Changed in the administration pages", **changes
        )


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(_ReadOnly):
    """What the sweep stored, by rule and status: the administrator sees no child, so the rows
    show their own number, never the child's name or identifier (permanence.access)."""

    # Several instances per child and rule are kept: "current" narrows to the one the tracker
    # works to now, the others being past instances with how they turned out.
    list_display = (
        "pk",
        "rule",
        "instance",
        "current",
        "anchor_on",
        "due",
        "status",
        "met_on",
        "outcome",
        "days_late",
    )
    list_filter = ("current", "status", "outcome", "rule")
    list_select_related = ("rule",)
    fields = (
        "rule",
        "instance",
        "current",
        "anchor_on",
        "due",
        "due_at",
        "status",
        "met_on",
        "outcome",
        "days_late",
        "updated_at",
    )


@admin.register(Alert)
class AlertAdmin(_ReadOnly):
    """Alerts the sweep raised, without the child (as for deadlines)."""

    list_display = ("pk", "rule", "due", "level", "raised_at", "escalated_at", "closed_at")
    list_filter = ("level", "rule", "close_reason")
    list_select_related = ("rule",)
    fields = (
        "rule",
        "due",
        "anchor_on",
        "level",
        "raised_at",
        "notified_level",
        "notified_at",
        "escalated_at",
        "closed_at",
        "close_reason",
    )


@admin.register(Ssda903Import)
class Ssda903ImportAdmin(_ReadOnly):
    """Imports started from the SSDA903 page, to see what a worker did with one."""

    list_display = (
        "created_at",
        "started_by",
        "dry_run",
        "status",
        "children_imported",
        "children_rejected",
        "finished_at",
    )
    list_filter = ("status", "dry_run")
    list_select_related = ("started_by",)
    # The problems found name children's identifiers: they are read on the import's own page.
    exclude = ("rejections", "notices", "file")
