"""Who has accessed an incident: every read, download and refusal is logged and shown to the DSL and head."""

import pytest
from django.urls import reverse

from incidents.models import AccessLogEntry
from incidents.services.audit import verify_audit_trail

pytestmark = pytest.mark.django_db


def _url(incident):
    return reverse("incidents:incident_access_log", args=[incident.code])


@pytest.mark.parametrize("who", ["dsl", "head"])
def test_the_dsl_and_the_headteacher_see_who_has_accessed(client_for, request, incident, staff, head, who):
    client_for(head).get(incident.get_absolute_url())
    client_for(staff).get(incident.get_absolute_url())  # refused: staff have no grant

    response = client_for(request.getfixturevalue(who)).get(_url(incident))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Viewed incident" in text
    assert "Refused" in text
    assert "Sam Tester" in text  # the refused member of staff
    assert "Headteacher" in text
    assert "127.0.0.1" in text


@pytest.mark.parametrize("who", ["deputy", "auditor"])
def test_other_case_roles_are_refused_and_the_refusal_is_logged(client_for, request, incident, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(_url(incident)).status_code == 403
    entry = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REFUSED).get()
    assert (entry.user, entry.incident) == (user, incident)


def test_staff_and_other_settings_get_404(client_for, incident, staff, other_dsl):
    assert client_for(staff).get(_url(incident)).status_code == 404
    assert client_for(other_dsl).get(_url(incident)).status_code == 404


def test_viewing_the_log_is_itself_logged_and_the_times_are_utc(client_for, dsl, incident):
    client_for(dsl).get(_url(incident))
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW_ACCESS_LOG)
    assert (entry.user, entry.role, entry.incident) == (dsl, "dsl", incident)
    assert "(UTC)" in client_for(dsl).get(_url(incident)).content.decode()


def test_the_incident_page_links_to_the_log_only_for_those_who_may_see_it(client_for, dsl, deputy, incident):
    assert _url(incident) in client_for(dsl).get(incident.get_absolute_url()).content.decode()
    assert _url(incident) not in client_for(deputy).get(incident.get_absolute_url()).content.decode()


def test_reads_keep_the_chain_intact(client_for, dsl, head, incident):
    for user in (dsl, head, dsl):
        client_for(user).get(incident.get_absolute_url())
    assert verify_audit_trail()[1] == []


def test_the_log_page_has_a_fixed_query_budget(client_for, dsl, head, incident, django_assert_max_num_queries):
    client = client_for(dsl)
    client.get(_url(incident))
    with django_assert_max_num_queries(99) as one:
        client.get(_url(incident))
    budget = len(one.captured_queries)
    for _ in range(10):
        client_for(head).get(incident.get_absolute_url())
    client = client_for(dsl)
    client.get(_url(incident))
    with django_assert_max_num_queries(budget):
        client.get(_url(incident))
