from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Permanency forums and panels"

    def ready(self) -> None:
        from forums import access, demo, selectors
        from forums.child_actions import forum_actions
        from forums.services import planning_meeting_book
        from permanence.access import register_grant
        from permanence.demo import register_seeder
        from permanence.meeting_booking import register_meeting_booker
        from permanence.navigation import Home, NavItem, register_home, register_nav_item
        from permanence.panels import ChildPanel, register_child_panel, register_plan_notes
        from permanence.roles import MANAGER_ROLES, Role

        register_grant(access.CHAIR_GRANT)
        register_grant(access.CPS_DUTY_GRANT)
        register_grant(access.MEETING_ACTION_GRANT)
        register_nav_item(
            NavItem(
                "Forums",
                "forums:home",
                frozenset({Role.SOCIAL_WORKER, Role.CPS_DUTY, Role.FORUM_CHAIR} | MANAGER_ROLES),
            )
        )
        register_nav_item(
            NavItem(
                "Meetings",
                "forums:meeting-list",
                frozenset(
                    {Role.SOCIAL_WORKER, Role.CPS_DUTY, Role.FORUM_CHAIR, Role.IRO} | MANAGER_ROLES
                ),
            )
        )
        register_nav_item(NavItem("Part 2 copies", "forums:part2-copies", frozenset({Role.IRO})))
        # Each role starts where its work is (issue 16): CPS duty at the forum desk, the
        # chair on the agenda of the next forum they chair.
        register_home(Home("forums:home", frozenset({Role.CPS_DUTY}), rank=20))
        register_nav_item(
            NavItem("Next agenda", "forums:next-agenda", frozenset({Role.FORUM_CHAIR})),
            before="permanence:child-list",
        )
        register_home(Home("forums:next-agenda", frozenset({Role.FORUM_CHAIR}), rank=30))
        register_child_panel(
            ChildPanel(
                template="forums/partials/_child_panel.html",
                context=selectors.child_panel_context,
                order=30,
                actions=forum_actions,
                lists=("disruptions",),
            )
        )
        register_seeder(demo.seed_forums)
        register_meeting_booker(planning_meeting_book)
        register_plan_notes(selectors.forum_advice_notes)
