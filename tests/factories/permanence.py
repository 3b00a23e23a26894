"""Factories for the core domain: people, teams, children and episodes."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from permanence.models import (
    Child,
    ConnectedPersonApproval,
    Episode,
    Service,
    SiblingGroup,
    Team,
    User,
)
from permanence.roles import Role


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = "Children's Services"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service = factory.SubFactory(ServiceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff; `role=` puts them in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    team = factory.SubFactory(TeamFactory)
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles = extracted if isinstance(extracted, list | tuple) else [extracted]
            for role in roles:
                self.groups.add(Group.objects.get(name=Role(role).label))


class SiblingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiblingGroup

    name = factory.Sequence(lambda n: f"Sibling group {n}")


def _years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    child_id = factory.Sequence(lambda n: f"C{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: _years_ago(6))
    sex = Child.Sex.FEMALE
    ethnicity = "WBRI"
    team = factory.SubFactory(TeamFactory)
    social_worker = None
    iro = None


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    child = factory.SubFactory(ChildFactory)
    decom = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    rne = "S"
    legal_status = "C1"
    place = "U6"
    place_provider = "PR1"


class ConnectedPersonApprovalFactory(factory.django.DjangoModelFactory):
    """A connected person's temporary approval (CPPCR 2010 reg 24), not extended or ended."""

    class Meta:
        model = ConnectedPersonApproval

    child = factory.SubFactory(ChildFactory)
    placed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=4))
    carers = "Jean and Peter Smith (grandparents)"
    recorded_by = factory.SubFactory(UserFactory)
