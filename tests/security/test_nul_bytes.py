"""A NUL byte anywhere a user can type (every form field, every query parameter) is refused cleanly:
PostgreSQL cannot store one, and Django's forms refuse it, but text read straight from the request
would reach the database and answer 500. This sweep covers every page, so pages added later are too."""

import pytest
from django.forms import BaseForm
from django.test import Client

from tests.security.permission_matrix import expected
from tests.security.urlconf import REFUSED, request_and_undo, url_for, url_patterns
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
# Query parameters the pages read (filters, search, paging, CSV, the policy prompt's return address).
QUERY = {name: NUL for name in ("q", "page", "format", "setting", "start", "end", "status", "next", "for_governors")}
PREFERRED = ("dsl", "head", "deputy", "auditor", "staff", "granted", "anon")


def _forms(response) -> list[BaseForm]:
    if not response.context:
        return []
    found = {}
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, BaseForm):
                found[id(value)] = value
    return list(found.values())


def test_a_nul_byte_in_any_field_or_parameter_never_answers_500(client_for):
    world = build_world()
    failures = []
    for pattern in url_patterns():
        if pattern.namespace == "admin":
            continue
        get, post = expected(pattern.key, pattern.namespace)
        for method, outcomes in (("GET", get), ("POST", post)):
            role = next((r for r in PREFERRED if outcomes[r] not in REFUSED), None)
            if role is None:
                continue
            user = world.user(role)
            client = Client() if user is None else client_for(user)
            url = url_for(pattern, world)
            if method == "GET":
                data = QUERY
            else:
                page = client.get(url) if get[role] not in REFUSED else None
                fields = {name for form in (_forms(page) if page else []) for name in form.fields}
                data = {name: NUL for name in fields or {"text", "password", "comments", "reason"}}
            try:
                result = request_and_undo(client, method, url, data)
            except Exception as error:  # noqa: BLE001 - any exception here is the 500 a user would get
                failures.append(f"{method} {pattern.key} as {role}: {type(error).__name__}: {error}")
                continue
            if result.outcome == "500":
                failures.append(f"{method} {pattern.key} as {role}: 500")
    assert not failures, "\n".join(failures)
