"""The Permanence Tracker dashboard, the child's chronology and the measures for managers
(SPEC §6; seeds 002 §12 and 004).

`setup()` is called once from `TrackerConfig.ready()`: it registers the navigation, the section
on the child's page and the plan trigger. Nothing is imported here at module level, so that
`tracker.models` can import the dashboard's models without a cycle.
"""


def setup() -> None:
    """Register the dashboard's navigation items, child-page section and signal handlers."""
    from permanence.navigation import NavItem, register_nav_item
    from permanence.panels import ChildPanel, register_child_panel, register_next_steps
    from permanence.roles import MANAGER_ROLES, TRACKING_ROLES, Role
    from tracker.dashboard import selectors, signals

    # The IRO manager oversees the IROs' reviews and the plans' ratification (002 §9, §12):
    # their page comes first in their navigation, so it is where they start.
    register_nav_item(
        NavItem("IROs' reviews", "tracker:iro-reviews", frozenset({Role.IRO_MANAGER})),
        before="permanence:child-list",
    )
    # The adoption, fostering services and IRO managers track all the plans (002 §12).
    register_nav_item(NavItem("Tracker", "tracker:dashboard", MANAGER_ROLES | TRACKING_ROLES))
    # An IRO monitors the plan between reviews to prevent drift (seed 004), so the IRO has the
    # caseload view too: the children allocated to them.
    register_nav_item(
        NavItem(
            "My caseload tracker",
            "tracker:dashboard-mine",
            frozenset({Role.SOCIAL_WORKER, Role.IRO}),
        )
    )
    # Each child's family-finding stage, for the family finder, CPS duty and the adoption and
    # fostering managers (issue 14).
    from tracker.dashboard.family_finding_views import FAMILY_FINDING_ROLES

    register_nav_item(NavItem("Family finding", "tracker:family-finding", FAMILY_FINDING_ROLES))
    # The family finder starts on it: their children and the stage each has reached.
    from permanence.navigation import Home, register_home

    register_home(Home("tracker:family-finding", frozenset({Role.FAMILY_FINDER}), rank=65))
    register_child_panel(
        ChildPanel(
            template="tracker/dashboard/partials/_child_panel.html",
            context=selectors.child_panel_context,
            order=12,
        )
    )
    register_next_steps(selectors.next_steps_for)
    signals.connect()
