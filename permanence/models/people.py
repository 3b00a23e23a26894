"""People: services, teams and staff, whose roles are groups (SPEC §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from permanence.roles import MANAGER_ROLES, Role


class Service(models.Model):
    """A children's service (e.g. Children in Care) whose managers see all of its teams."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmailAlerts(models.TextChoices):
    """How a member of staff wants their notifications by e-mail (issue 16); the app always has
    them all."""

    EACH = "each", "E-mail me each alert"
    DIGEST = "digest", "One e-mail a day (digest)"
    NONE = "none", "No e-mails"


class User(AbstractUser):
    """A member of staff. Roles are groups; the team places them in a service."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="For managers and central staff: the service whose children they oversee. "
        "Left blank, it is the service of the user's team.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    email_alerts = models.CharField(
        "notification e-mails",
        max_length=10,
        choices=EmailAlerts.choices,
        default=EmailAlerts.EACH,
        db_default=EmailAlerts.EACH,
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The user's roles, read once per request from their groups (or the shared cache)."""
        if not hasattr(self, "_roles_cache"):
            from permanence.authcache import remembered

            self._roles_cache = remembered(self, "roles", self._roles_from_groups)
        return self._roles_cache

    def _roles_from_groups(self) -> frozenset[str]:
        labels = {r.label: r.value for r in Role}
        names = self.groups.values_list("name", flat=True) if self.pk else []
        return frozenset(labels[n] for n in names if n in labels)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def oversight_service_id(self) -> int | None:
        """The service a manager oversees: their own, or their team's."""
        if self.service_id:
            return self.service_id
        return self.team.service_id if self.team_id else None

    @property
    def is_manager(self) -> bool:
        return bool(self.roles & MANAGER_ROLES)
