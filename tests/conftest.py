"""The cast every test uses.

Oakfield has a DSL, a deputy, a headteacher, a member of staff, an auditor and a member of staff
who will be granted a single incident. Riverside is another setting; its DSL must see nothing of
Oakfield's."""

import os

import pytest

from incidents.models import Membership
from incidents.services.incidents import incident_create
from tests.factories import (
    PASSWORD,
    InvolvementFactory,
    MembershipFactory,
    SettingFactory,
    UserFactory,
    YoungPersonFactory,
)
from tests.signin import sign_in_client

Role = Membership.Role


@pytest.fixture
def oakfield(db):
    return SettingFactory(name="Oakfield Academy")


@pytest.fixture
def riverside(db):
    return SettingFactory(name="Riverside College")


def _member(setting, username, role, first_name):
    user = UserFactory(username=username, first_name=first_name, last_name="Tester", phone="01632 960 111")
    MembershipFactory(setting=setting, user=user, role=role)
    return user


@pytest.fixture
def dsl(oakfield):
    return _member(oakfield, "dana", Role.DSL, "Dana")


@pytest.fixture
def deputy(oakfield):
    return _member(oakfield, "owen", Role.DEPUTY, "Owen")


@pytest.fixture
def head(oakfield):
    return _member(oakfield, "helen", Role.HEADTEACHER, "Helen")


@pytest.fixture
def staff(oakfield):
    return _member(oakfield, "sam", Role.STAFF, "Sam")


@pytest.fixture
def trusted_teacher(oakfield):
    return _member(oakfield, "tess", Role.STAFF, "Tess")


@pytest.fixture
def auditor(oakfield):
    return _member(oakfield, "alex", Role.AUDITOR, "Alex")


@pytest.fixture
def other_dsl(riverside):
    return _member(riverside, "rita", Role.DSL, "Rita")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def incident(oakfield, dsl):
    return incident_create(
        actor=dsl,
        setting=oakfield,
        summary="A Year 9 pupil told her tutor a picture of her is being passed round a group chat.",
        came_to_attention="young_person",
        owner=dsl,
    )


@pytest.fixture
def pupil(incident):
    """A young person involved in `incident` (modules that need another name define their own)."""
    person = YoungPersonFactory(setting=incident.setting, first_name="Ann", last_name="Lee", sex="female")
    InvolvementFactory(incident=incident, young_person=person)
    return person


@pytest.fixture
def other_incident(riverside, other_dsl):
    return incident_create(actor=other_dsl, setting=riverside, summary="Riverside's own incident.")


@pytest.fixture
def client_for(client):
    """Sign a user in on the test client: client_for(dsl).get(...)."""

    def sign_in(user):
        return sign_in_client(client, user)

    return sign_in


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, with the second factor a superuser must pass."""
    return sign_in_client(client, admin_user)


@pytest.fixture(scope="session")
def signing_key():
    """A self-signed key and certificate under the test run's var/ directory, for signed PDFs."""
    from django.core.management import call_command

    call_command("create_signing_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
