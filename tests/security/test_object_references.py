"""Object references cannot be guessed into.

Every URL that names a record (by its code, or a username) is requested by someone of setting A who
may open A's record, once with setting B's record of that kind and once with a code that exists
nowhere. Both must answer 404 alike: same status, same templates, same length, same number of
database queries (so neither the page nor its timing tells whether B's record exists), and nothing
of B's record in the page."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.security.permission_matrix import expected
from tests.security.urlconf import REFUSED, kwarg_value, object_name, request_and_undo, url_for, url_patterns
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# Who of setting A opens a URL's own record, in order of preference.
OPENERS = ("dsl", "head", "deputy", "auditor", "staff", "granted")


def _opener(pattern) -> tuple[str, str] | None:
    get, post = expected(pattern.key, pattern.namespace)
    for role in OPENERS:
        for method, outcomes in (("GET", get), ("POST", post)):
            if outcomes[role] not in REFUSED:
                return role, method
    return None


def _nowhere(value: str) -> str:
    """A reference of the same shape and length as `value` that names nothing."""
    try:
        uuid.UUID(value)
    except ValueError:
        return "z" * len(value)
    return str(uuid.uuid4())


def _send(client, method, url):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method.lower())(url, {})
    return response, len(queries)


def _shape(response) -> tuple:
    return (response.status_code, [t.name for t in response.templates], len(response.content))


def test_another_settings_record_answers_exactly_like_one_that_does_not_exist(client_for):
    world = build_world()
    b_marks = ["Rhea", "Quinlan", "Riverside", "river-"]  # B's pupil, setting and usernames
    checked, problems = [], []
    for pattern in url_patterns():
        if pattern.namespace == "admin" or not pattern.kwargs:
            continue
        role, method = _opener(pattern)
        client = client_for(world.user(role))
        for kwarg in pattern.kwargs:
            theirs = kwarg_value(world.b, object_name(pattern.route, kwarg))
            nowhere = _nowhere(theirs)
            other_url = url_for(pattern, world, {kwarg: theirs})
            missing_url = url_for(pattern, world, {kwarg: nowhere})
            # The first refusal of a setting starts its access-log chain (a row of its own, once ever):
            # send one of each first, so that the measured pair compares like with like.
            _send(client, method, other_url)
            _send(client, method, missing_url)
            other, other_queries = _send(client, method, other_url)
            missing, missing_queries = _send(client, method, missing_url)
            where = f"{method} {pattern.key} with B's <{kwarg}> as A's {role}"
            checked.append(where)
            if other.status_code != 404:
                problems.append(f"{where}: answered {other.status_code}, not 404")
            if _shape(other) != _shape(missing):
                problems.append(f"{where}: {_shape(other)} differs from a record that does not exist {_shape(missing)}")
            if other_queries != missing_queries:
                problems.append(f"{where}: {other_queries} queries, but {missing_queries} for one that does not exist")
            body = other.content.decode()
            if leaked := [mark for mark in [theirs, *b_marks] if mark in body]:
                problems.append(f"{where}: the page shows {leaked}")
    assert len(checked) > 40  # every URL that names a record, one check per keyword
    assert not problems, "\n".join(problems)


def test_a_reference_that_is_not_a_code_at_all_is_not_found(client_for):
    """Anything typed into the address answers the same 404, never a 500."""
    world = build_world()
    client = client_for(world.a.users["dsl"])
    for junk in ["1", "' OR 1=1 --", "%00", "..%2F..%2Fetc%2Fpasswd"]:
        response = client.get(f"/incidents/{junk}/")
        assert response.status_code == 404, junk


def _absent_pk(model, like: int) -> int:
    """A primary key with as many digits as `like` that no row has."""
    digits = len(str(like))
    for candidate in range(10**digits - 1, 10 ** (digits - 1), -1):
        if not model.objects.filter(pk=candidate).exists():
            return candidate
    raise AssertionError(f"every {digits}-digit key of {model.__name__} is taken: choose a record with a longer key")


def _b_record(world, name):
    if name == "setting":
        return world.b.setting
    return world.b.users[name] if name in world.b.users else world.b.objects[name]


# Forms that choose a record by its key: another setting's is "not one of the choices", exactly like
# a key that exists nowhere. url name, method, who of A sends it, the field, which of B's records.
FORM_REFERENCES = [
    ("incidents:involvement_add", "POST", "dsl", "young_person", "young_person"),
    ("incidents:disclosure_merge", "POST", "dsl", "target", "incident"),
    ("incidents:grant_add", "POST", "dsl", "member", "granted"),
    ("incidents:device_add", "POST", "dsl", "seized_by", "auditor"),
    ("incidents:viewing_add", "POST", "dsl", "young_person", "young_person"),
    ("incidents:incident_create", "POST", "dsl", "setting", "setting"),
    ("incidents:young_person_create", "POST", "dsl", "setting", "setting"),
    ("incidents:statistics", "GET", "dsl", "setting", "setting"),
    ("incidents:audit_pack", "POST", "dsl", "setting", "setting"),
    ("incidents:training_create", "POST", "dsl", "attendees", "staff"),
    ("incidents:report", "POST", "staff", "setting", "setting"),
]


@pytest.mark.parametrize("name, method, role, field, record", FORM_REFERENCES)
def test_a_form_refuses_another_settings_record_like_one_that_does_not_exist(
    client_for, name, method, role, field, record
):
    world = build_world()
    pattern = next(p for p in url_patterns() if p.key == name)
    url = url_for(pattern, world)
    client = client_for(world.user(role))
    theirs = _b_record(world, record)
    absent = _absent_pk(type(theirs), theirs.pk)
    answers = []
    for value in (theirs.pk, absent, theirs.pk, absent):  # the first pair warms up (see above)
        result = None
        with CaptureQueriesContext(connection) as queries:
            result = request_and_undo(client, method, url, {field: value})
        answers.append((result, len(queries)))
    (other, other_queries), (missing, missing_queries) = answers[2:]
    assert other.outcome in ("200", "400", "403")  # the form again, or the report form's own refusal
    assert _shape(other.response) == _shape(missing.response)
    # The count, not the time: both answers run the same queries (rows counted around the request aside).
    assert other_queries == missing_queries
    assert not other.written
    form = other.response.context.get("form") if other.response.context else None
    if form is not None and field in form.fields:
        # A multiple choice names the key it refuses, whichever it is: compare with the key taken out.
        errors = [e.replace(str(theirs.pk), "KEY") for e in form.errors.get(field, [])]
        absent_errors = [e.replace(str(absent), "KEY") for e in missing.response.context["form"].errors.get(field, [])]
        assert errors, f"{field} accepted another setting's record"
        assert errors == absent_errors
    for mark in ("Rhea", "Quinlan", "Riverside", "river-"):
        assert mark not in other.response.content.decode()
