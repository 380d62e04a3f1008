from datetime import date, timedelta

import factory
from django.utils import timezone

from incidents.models import Incident, Involvement, Membership, Setting, User, YoungPerson

PASSWORD = "correct-horse-battery-staple"


class SettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Setting

    name = factory.Sequence(lambda n: f"Test School {n}")
    mash_phone = "01632 960 000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    setting = factory.SubFactory(SettingFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STAFF


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    setting = factory.SubFactory(SettingFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14 * 365))
    year_group = "Year 9"


class IncidentFactory(factory.django.DjangoModelFactory):
    """Builds rows directly for list and query tests; behaviour tests go through the services."""

    class Meta:
        model = Incident

    setting = factory.SubFactory(SettingFactory)
    reference = factory.Sequence(lambda n: f"YPSI-2026-{n + 1:04d}")
    summary = "A pupil told a teacher a picture of them is being shared."
    reported_at = factory.LazyFunction(timezone.now)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    incident = factory.SubFactory(IncidentFactory)
    young_person = factory.SubFactory(YoungPersonFactory, setting=factory.SelfAttribute("..incident.setting"))
    setting = factory.SelfAttribute("incident.setting")
    role = Involvement.Role.PICTURED


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)
