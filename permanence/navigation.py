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
    {Role.SOCIAL_WORKER, Role.IRO, Role.CPS_DUTY, Role.FORUM_CHAIR, Role.FAMILY_FINDER}
    | MANAGER_ROLES
    | TRACKING_ROLES
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


@dataclass(frozen=True)
class Home:
    """Where people with one of ROLES start: the page of their next job (issue 16)."""

    url_name: str
    roles: frozenset[str]
    # A person with several roles starts at the home with the lowest rank.
    rank: int = 100


_homes: list[Home] = []


def register_home(home: Home) -> None:
    """Let an app say where a role starts (called from AppConfig.ready)."""
    if home not in _homes:
        _homes.append(home)
        _homes.sort(key=lambda h: h.rank)


def home_url_for(user) -> str:
    """Each role's own work page; else the first page of the user's navigation, or the
    caseload."""
    if user.is_authenticated:
        for home in _homes:
            if user.roles & home.roles:
                try:
                    return reverse(home.url_name)
                except NoReverseMatch:
                    continue
    for item in nav_for(user, ""):
        return item["url"]
    return reverse("permanence:child-list")
