"""Every URL pattern x every role x GET and POST answers as tests/security/permission_matrix.py says."""

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import AccessLogEntry
from tests.factories import UserFactory
from tests.security.permission_matrix import MATRIX, OUTCOMES, ROLES, WHOLE_SITES, expected
from tests.security.urlconf import REFUSED, request_and_undo, url_for, url_patterns
from tests.security.world import build_world

HOW_TO_ADD = (
    "Decide who may use it and add a row to MATRIX in tests/security/permission_matrix.py: its name, then "
    "one line of eight outcomes for GET and one for POST, in the order {roles} (see the module's "
    "docstring; named lines such as INCIDENT_EDIT cover the usual cases)."
).format(roles=", ".join(ROLES))


def test_every_url_pattern_has_a_row():
    missing = [p for p in url_patterns() if expected(p.key, p.namespace) is None]
    assert not missing, "\n".join(
        f"The URL pattern {p.key!r} ({p.route}) is not in the permission matrix." for p in missing
    ) + "\n" + HOW_TO_ADD


def test_the_matrix_has_no_stale_rows():
    keys = {p.key for p in url_patterns()}
    namespaces = {p.namespace for p in url_patterns()}
    stale = sorted(set(MATRIX) - keys) + sorted(set(WHOLE_SITES) - namespaces)
    assert not stale, f"These rows of the permission matrix name no URL pattern any more: remove them: {stale}"


def test_every_row_has_an_outcome_for_each_role_and_method():
    for key, lines in [*MATRIX.items(), *WHOLE_SITES.items()]:
        assert len(lines) == 2, f"{key}: give one line for GET and one for POST"
        for line in lines:
            assert len(line.split()) == len(ROLES), f"{key}: {line!r} needs one outcome per role {ROLES}"
            assert set(line.split()) <= OUTCOMES, f"{key}: {line!r} has an outcome not in {sorted(OUTCOMES)}"


@pytest.mark.django_db
def test_every_page_answers_every_role_as_the_matrix_says(client_for, signing_key):
    """One world for the whole walk: every request is rolled back, so none sees another's writes."""
    world = build_world()
    patterns = [p for p in url_patterns() if expected(p.key, p.namespace) is not None]
    problems = []
    for role in ROLES:
        user = world.user(role)
        client = Client() if user is None else client_for(user)
        for pattern in patterns:
            url = url_for(pattern, world)
            for method, outcomes in zip(("GET", "POST"), expected(pattern.key, pattern.namespace), strict=True):
                want = outcomes[role]
                result = request_and_undo(client, method, url)
                where = f"{method} {url} ({pattern.key}) as {role}"
                if result.outcome != want:
                    problems.append(f"{where}: expected {want}, got {result.outcome}")
                if want in REFUSED and result.written:
                    problems.append(f"{where}: refused, yet it wrote {result.written}")
                if want in REFUSED and set(result.logged) - {AccessLogEntry.Action.REFUSED}:
                    problems.append(f"{where}: refused, yet the access log says {result.logged}")
    assert not problems, f"{len(problems)} answers differ from the permission matrix:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_admin_is_open_to_active_superusers_only(client_for):
    index = reverse("admin:index")
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client_for(superuser).get(index).status_code == 200
    # Django's own "staff status" is not enough: only superusers set up settings and accounts.
    staff_flag = UserFactory(username="clerk", is_staff=True)
    response = client_for(staff_flag).get(index)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    superuser.is_active = False
    superuser.save()
    response = Client().get(index)
    assert response.status_code == 302
