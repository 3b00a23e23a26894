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
        from permanence.navigation import ALL_CASE_ROLES, NavItem, register_nav_item
        from permanence.panels import ChildPanel, register_child_panel, register_open_deadlines
        from permanence.timescales import register_source as register_timescale_source
        from tracker import dashboard, demo, selectors, signals
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
        register_child_panel(
            ChildPanel(
                template="tracker/partials/_child_deadlines.html",
                context=selectors.child_panel_context,
                order=20,
            )
        )
