"""The service navigation each role sees, and where each role starts (SPEC §1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from permanence.roles import MANAGER_ROLES, TRACKING_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    admin_only: bool = False


ALL_CASE_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.IRO, Role.CPS_DUTY, Role.FORUM_CHAIR} | MANAGER_ROLES | TRACKING_ROLES
)

# Other apps' pages join this list as they are built; an item whose URL does not exist yet is
# left out rather than breaking every page.
NAV_ITEMS: list[NavItem] = [
    NavItem("Children", "permanence:child-list", ALL_CASE_ROLES),
]


def register_nav_item(item: NavItem, *, before: str | None = None) -> None:
    if item in NAV_ITEMS:
        return
    if before:
        for i, existing in enumerate(NAV_ITEMS):
            if existing.url_name == before:
                NAV_ITEMS.insert(i, item)
                return
    NAV_ITEMS.append(item)


def nav_for(user, current_path: str) -> list[dict]:
    """The navigation links for this user, the current one marked."""
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if not (user.roles & item.roles or (item.admin_only and user.is_staff)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "current": current_path.startswith(url)})
    if user.is_staff:
        items.append({"label": "Administration", "url": reverse("admin:index"), "current": False})
    return items


def home_url_for(user) -> str:
    """The first page of the user's navigation, or the caseload."""
    for item in nav_for(user, ""):
        return item["url"]
    return reverse("permanence:child-list")
