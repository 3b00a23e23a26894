from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_schedules(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from tracker.schedules import sync_schedules

    # A partial migrate may stop before django-celery-beat's tables exist.
    if "django_celery_beat_periodictask" in connections[using].introspection.table_names():
        sync_schedules(using=using)


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Deadlines, alerts and the tracker"

    def ready(self) -> None:
        from permanence.demo import register_seeder
        from permanence.navigation import (
            ALL_CASE_ROLES,
            Home,
            NavItem,
            register_home,
            register_nav_item,
        )
        from permanence.panels import ChildPanel, register_child_panel, register_open_deadlines
        from permanence.roles import MANAGER_ROLES, TRACKING_ROLES, Role
        from permanence.timescales import register_source as register_timescale_source
        from tracker import (
            dashboard,
            demo,
            lookups,  # noqa: F401  (registers `field__any_of`)
            selectors,
            signals,
        )
        from tracker.ssda903 import setup as ssda903_setup
        from tracker.timescale_source import rule_timescale

        signals.connect()
        register_seeder(demo.seed_tracker)
        register_timescale_source(rule_timescale)
        register_open_deadlines(selectors.children_with_open_deadline)
        dashboard.setup()
        ssda903_setup.register()
        # Beat's schedules follow tracker/schedules.py after every migrate.
        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="tracker-sync-schedules")
        register_nav_item(NavItem("Deadlines", "tracker:deadline-list", ALL_CASE_ROLES))
        # Each role starts where its work is (issue 16): the social worker on their tasks,
        # managers and those who track the plans on the tracker.
        register_nav_item(
            NavItem("Your tasks", "tracker:my-tasks", frozenset({Role.SOCIAL_WORKER})),
            before="permanence:child-list",
        )
        register_home(Home("tracker:my-tasks", frozenset({Role.SOCIAL_WORKER}), rank=10))
        register_home(Home("tracker:iro-reviews", frozenset({Role.IRO_MANAGER}), rank=60))
        register_home(Home("tracker:dashboard", MANAGER_ROLES | TRACKING_ROLES, rank=70))
        register_child_panel(
            ChildPanel(
                template="tracker/partials/_child_deadlines.html",
                context=selectors.child_panel_context,
                order=20,
            )
        )
