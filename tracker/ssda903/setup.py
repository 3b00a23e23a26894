"""What the SSDA903 pages add to the rest of the product; `register()` is called from
`TrackerConfig.ready()`."""

from permanence.navigation import NavItem, register_nav_item
from permanence.roles import Role

NAV_ITEM = NavItem("SSDA903 return", "tracker:ssda903-return", frozenset({Role.ADMINISTRATOR}))


def register() -> None:
    """Administrators get an "SSDA903 return" link in the service navigation; the demo
    authority gets the rows of the return's other tables its case system would give."""
    from permanence.demo import register_seeder
    from tracker.ssda903.demo import seed_return_rows

    register_nav_item(NAV_ITEM)
    register_seeder(seed_return_rows)
