from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "IRO and looked-after reviews"

    def ready(self) -> None:
        from permanence.access import register_grant
        from permanence.demo import register_seeder
        from permanence.navigation import Home, NavItem, register_home, register_nav_item
        from permanence.panels import ChildPanel, register_child_date, register_child_panel
        from permanence.roles import Role
        from reviews.access import PPN1_MANAGERS_GRANT
        from reviews.child_actions import review_actions
        from reviews.demo import seed_plans_and_reviews
        from reviews.selectors import (
            child_reviews_panel,
            first_review_held_date,
            second_review_date,
        )

        register_grant(PPN1_MANAGERS_GRANT)
        register_nav_item(
            NavItem("My reviews", "reviews:iro-dashboard", frozenset({Role.IRO})),
            before="permanence:child-list",
        )
        # Each role starts where its work is (issue 16): the IRO on the reviews due, the
        # designated admin officer on the PPN1s sent to them (002 §8).
        register_home(Home("reviews:iro-dashboard", frozenset({Role.IRO}), rank=40))
        register_nav_item(
            NavItem("PPN1s sent to you", "reviews:ppn1-list", frozenset({Role.ADMIN_OFFICER})),
            before="permanence:child-list",
        )
        register_home(Home("reviews:ppn1-list", frozenset({Role.ADMIN_OFFICER}), rank=50))
        register_child_panel(
            ChildPanel(
                template="reviews/partials/_reviews_panel.html",
                context=child_reviews_panel,
                order=20,
                actions=review_actions,
                lists=("iro_allocations",),
            )
        )
        register_seeder(seed_plans_and_reviews)
        register_child_date("second_review", second_review_date)
        register_child_date("first_review_held", first_review_held_date)
