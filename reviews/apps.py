from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "IRO and looked-after reviews"

    def ready(self) -> None:
        from permanence.access import register_grant
        from permanence.demo import register_seeder
        from permanence.navigation import NavItem, register_nav_item
        from permanence.panels import ChildPanel, register_child_date, register_child_panel
        from permanence.roles import Role
        from reviews.access import PPN1_MANAGERS_GRANT
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
        register_child_panel(
            ChildPanel(
                template="reviews/partials/_reviews_panel.html",
                context=child_reviews_panel,
                order=20,
            )
        )
        register_seeder(seed_plans_and_reviews)
        register_child_date("second_review", second_review_date)
        register_child_date("first_review_held", first_review_held_date)
