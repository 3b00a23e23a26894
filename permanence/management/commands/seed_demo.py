"""Load the synthetic demo authority (idempotent)."""

from django.core.management.base import BaseCommand

from permanence.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo authority: 3 teams, a user per role and about 40 children (idempotent)."

    def handle(self, *args, **options) -> None:
        context = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo authority ready: {len(context['teams'])} teams, "
                f"{len(context['users'])} users, "
                f"{len(context['children'])} children. Every demo user's password is "
                f"'{DEMO_PASSWORD}'."
            )
        )
