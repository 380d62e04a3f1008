"""The pages of the initial review, risk assessment, referral, decisions and sign-off, per role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import access, rules
from incidents.forms.decisions import ReviseDecisionForm
from incidents.models import Decision, Incident, ReviewMeeting, SignOff
from incidents.services import decisions as svc
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory, YoungPersonFactory, years_ago

Outcome = Decision.Outcome
Status = Decision.Status

REVIEW_POST = {
    "held_at": "",
    "ages": "14",
    "classification": "experimental",
    "immediate_risk": "no",
    "spread": "contained",
    "removal": "now",
    "contact_others": "no",
    "tell_parents": "yes",
    "other_attendees": "Pat Jones, social worker",
}


@pytest.fixture
def pupil(oakfield, incident):
    person = YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(14, days=30))
    InvolvementFactory(incident=incident, young_person=person)
    return person


def now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def review_post(**extra):
    return {**REVIEW_POST, "held_at": now_local(), **extra}


def record_review(incident, dsl, **kw) -> Decision:
    return svc.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now(),
        attendees=[dsl],
        other_attendees=[],
        answers={
            "immediate_risk": "no",
            "spread": "contained",
            "removal": "now",
            "contact_others": "no",
            "tell_parents": "yes",
        },
        facts=kw.pop("facts", rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL)),
        outcome=kw.pop("outcome", Outcome.MANAGE_IN_SETTING),
        reason=kw.pop("reason", "Consensual between two 14-year-olds; deleted."),
        **kw,
    )


@pytest.fixture
def waiting(incident, pupil, dsl):
    return record_review(incident, dsl)


# --- The initial review page ---------------------------------------------------------------


def test_the_review_form_is_prefilled_from_dates_of_birth(client_for, dsl, incident, pupil):
    response = client_for(dsl).get(reverse("incidents:review_create", args=[incident.code]))

    assert response.status_code == 200
    assert response.context["form"].initial["ages"] == "14"
    assert b"Show what the rules say" in response.content
    assert b"Record the review and decision" not in response.content


def test_the_rules_result_is_shown_before_the_decision_can_be_recorded(client_for, dsl, incident, pupil):
    client = client_for(dsl)
    url = reverse("incidents:review_create", args=[incident.code])

    response = client.post(url, review_post(action="check"))

    assert response.status_code == 200
    assert response.context["result"]["recommendation"] == rules.MANAGE_IN_SETTING
    assert "Manage in the setting" in response.content.decode()
    assert not ReviewMeeting.objects.exists()
    checked = response.context["form"].data["checked"]

    response = client.post(
        url,
        review_post(action="record", checked=checked, outcome="manage_in_setting", reason="Consensual; deleted."),
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.status == Status.AWAITING_SIGN_OFF
    assert decision.review_meeting.other_attendees == [{"name": "Pat Jones", "role": "social worker"}]


def test_recording_without_having_read_the_result_for_these_facts_is_refused(client_for, dsl, incident, pupil):
    response = client_for(dsl).post(
        reverse("incidents:review_create", args=[incident.code]),
        review_post(action="record", checked="stale", outcome="manage_in_setting", reason="x"),
    )

    assert response.status_code == 200
    assert "The facts have changed" in response.content.decode()
    assert not Decision.objects.exists()


def test_departing_from_the_rules_needs_a_justification_and_keeps_the_typed_text(client_for, dsl, incident, pupil):
    client = client_for(dsl)
    url = reverse("incidents:review_create", args=[incident.code])
    data = review_post(classification="aggravated", malicious_intent="on", action="check")
    checked = client.post(url, data).context["form"].data["checked"]

    response = client.post(
        url, {**data, "action": "record", "checked": checked, "outcome": "manage_in_setting", "reason": "My reason"}
    )

    assert response.status_code == 200
    assert "Explain why you are deciding otherwise" in response.content.decode()
    assert "My reason" in response.content.decode()
    assert not Decision.objects.exists()


def test_not_referring_without_a_reason_is_refused(client_for, dsl, incident, pupil):
    client = client_for(dsl)
    url = reverse("incidents:review_create", args=[incident.code])
    checked = client.post(url, review_post(action="check")).context["form"].data["checked"]

    response = client.post(url, review_post(action="record", checked=checked, outcome="manage_in_setting"))

    assert "Give the reason for not referring" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_bad_age_is_a_clear_error(client_for, dsl, incident, pupil):
    response = client_for(dsl).post(
        reverse("incidents:review_create", args=[incident.code]), review_post(ages="14, 19", action="check")
    )

    assert "Record anyone aged 18 or over as an adult" in response.content.decode()


def test_ticking_sextortion_shows_the_fast_path(client_for, dsl, incident, pupil):
    response = client_for(dsl).post(
        reverse("incidents:review_create", args=[incident.code]), review_post(financial_sextortion="on", action="check")
    )

    content = response.content.decode()
    assert response.context["result"]["recommendation"] == rules.REFER_IMMEDIATELY
    assert "Report Remove" in content
    assert 'id="sextortion-fast-path" class="alert alert-danger"' in content


@pytest.mark.parametrize("who,status", [("deputy", 200), ("head", 403), ("auditor", 403), ("staff", 404)])
def test_only_the_safeguarding_team_records_a_review(client_for, request, incident, who, status):
    response = client_for(request.getfixturevalue(who)).get(reverse("incidents:review_create", args=[incident.code]))

    assert response.status_code == status


def test_another_settings_dsl_sees_nothing(client_for, other_dsl, incident, waiting):
    client = client_for(other_dsl)
    for url in (
        reverse("incidents:review_create", args=[incident.code]),
        reverse("incidents:risk_assessment_create", args=[incident.code]),
        reverse("incidents:refer_now", args=[incident.code]),
        reverse("incidents:decision_detail", args=[waiting.code]),
        reverse("incidents:decision_sign_off", args=[waiting.code]),
        reverse("incidents:decision_revise", args=[waiting.code]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_member_of_staff_granted_the_incident_does_not_see_its_decisions(
    client_for, dsl, trusted_teacher, incident, waiting
):
    access.grant_view(trusted_teacher, incident)
    client = client_for(trusted_teacher)

    assert client.get(reverse("incidents:decision_detail", args=[waiting.code])).status_code == 404
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200
    assert b"Initial review and decisions" not in page.content


# --- The incident page ----------------------------------------------------------------------


def test_the_incident_page_shows_the_current_decision_and_the_actions(client_for, dsl, incident, waiting):
    content = client_for(dsl).get(incident.get_absolute_url()).content.decode()

    assert "Initial review and decisions" in content
    assert "Awaiting the headteacher&#x27;s sign-off" in content
    assert reverse("incidents:refer_now", args=[incident.code]) in content
    assert reverse("incidents:risk_assessment_create", args=[incident.code]) in content


def test_the_auditor_reads_the_decision_but_has_no_actions(client_for, auditor, incident, waiting):
    client = client_for(auditor)
    content = client.get(incident.get_absolute_url()).content.decode()

    assert "Current decision" in content
    assert reverse("incidents:refer_now", args=[incident.code]) not in content
    assert client.get(reverse("incidents:decision_detail", args=[waiting.code])).status_code == 200
    assert client.get(reverse("incidents:refer_now", args=[incident.code])).status_code == 403


def test_the_incident_page_has_a_fixed_query_budget(
    client_for, dsl, head, incident, waiting, django_assert_max_num_queries
):
    client = client_for(dsl)
    client.get(incident.get_absolute_url())
    with django_assert_max_num_queries(99) as one:
        client.get(incident.get_absolute_url())
    svc.decision_return(actor=head, decision=waiting, comments="Say what the parents were told.")
    svc.decision_revise(actor=dsl, decision=waiting, outcome=Outcome.MANAGE_IN_SETTING, reason="Parents told.")
    svc.risk_assessment_record(
        actor=dsl,
        incident=incident,
        answers={
            "why_shared": "romantic",
            "coerced": "no",
            "who_shared": "Two pupils",
            "where_shared": "Snapchat",
            "with_knowledge": "yes",
            "adults_involved": "no",
            "impact": "some",
            "additional_vulnerabilities": "no",
            "understands_consent": "yes",
            "done_before": "no",
            "risk_level": "low",
        },
    )

    # More decisions and risk assessments must not add queries.
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(incident.get_absolute_url())


# --- Risk assessment ------------------------------------------------------------------------

RISK_POST = {
    "why_shared": "romantic",
    "coerced": "no",
    "who_shared": "The two pupils only.",
    "where_shared": "Snapchat.",
    "with_knowledge": "yes",
    "adults_involved": "no",
    "impact": "some",
    "additional_vulnerabilities": "no",
    "understands_consent": "yes",
    "done_before": "no",
    "risk_level": "low",
}


def test_a_risk_assessment_is_recorded_and_shown_with_the_rules_result(client_for, dsl, incident, waiting):
    client = client_for(dsl)

    response = client.post(reverse("incidents:risk_assessment_create", args=[incident.code]), RISK_POST)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "The rules recommend: Manage in the setting" in page.content.decode()
    assert "The rules now recommend a referral" not in page.content.decode()


def test_a_risk_assessment_that_says_refer_shows_it_at_once(client_for, dsl, incident, waiting):
    client = client_for(dsl)

    response = client.post(
        reverse("incidents:risk_assessment_create", args=[incident.code]),
        {**RISK_POST, "adults_involved": "yes", "risk_level": "high"},
        follow=True,
    )

    content = response.content.decode()
    assert "The rules now recommend a referral" in content
    assert reverse("incidents:refer_now", args=[incident.code]) in content


def test_a_risk_assessment_with_missing_answers_keeps_what_was_typed(client_for, dsl, incident, waiting):
    response = client_for(dsl).post(
        reverse("incidents:risk_assessment_create", args=[incident.code]),
        {**RISK_POST, "coerced": "", "who_shared": "Typed by the DSL"},
    )

    assert response.status_code == 200
    assert "Typed by the DSL" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_the_risk_assessment_page_is_not_for_the_headteacher_to_fill_in(client_for, head, incident, waiting):
    assert client_for(head).get(reverse("incidents:risk_assessment_create", args=[incident.code])).status_code == 403


# --- Refer now ------------------------------------------------------------------------------


def test_refer_now_from_a_waiting_decision(client_for, dsl, incident, waiting):
    response = client_for(dsl).post(
        reverse("incidents:refer_now", args=[incident.code]),
        {"outcome": "refer_mash", "reason": "She has now disclosed threats."},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.SUPERSEDED
    assert svc.current_decision(incident).outcome == Outcome.REFER_MASH
    incident.refresh_from_db()
    assert incident.status == Incident.Status.REFERRED


def test_refer_now_needs_a_reason(client_for, dsl, incident, waiting):
    response = client_for(dsl).post(reverse("incidents:refer_now", args=[incident.code]), {"outcome": "refer_mash"})

    assert response.status_code == 200
    assert svc.current_decision(incident) == waiting


# --- Sign-off -------------------------------------------------------------------------------


def test_the_headteacher_sees_the_queue_in_the_nav_and_on_the_dashboard(client_for, head, waiting):
    client = client_for(head)

    dashboard = client.get(reverse("incidents:dashboard")).content.decode()
    queue = client.get(reverse("incidents:sign_off_queue"))

    assert reverse("incidents:sign_off_queue") in dashboard
    assert reverse("incidents:decision_sign_off", args=[waiting.code]) in dashboard
    assert list(queue.context["waiting"]) == [waiting]


@pytest.mark.parametrize("who", ["dsl", "deputy", "auditor", "staff"])
def test_only_headteachers_have_a_queue(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("incidents:sign_off_queue")).status_code == 403


def test_the_dsl_sees_waiting_decisions_on_the_dashboard_but_no_queue_link(client_for, dsl, waiting):
    content = client_for(dsl).get(reverse("incidents:dashboard")).content.decode()

    assert reverse("incidents:decision_detail", args=[waiting.code]) in content
    assert reverse("incidents:sign_off_queue") not in content


def test_the_queue_has_a_fixed_query_budget(client_for, head, dsl, oakfield, waiting, django_assert_max_num_queries):
    client = client_for(head)
    with django_assert_max_num_queries(99) as one:
        client.get(reverse("incidents:sign_off_queue"))
    for number in range(3):
        incident = Incident.objects.create(setting=oakfield, reference=f"Q-{number}", summary="Another incident.")
        record_review(incident, dsl, facts=rules.Facts(ages=(), classification=rules.EXPERIMENTAL))

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("incidents:sign_off_queue"))
    assert len(response.context["waiting"]) == 4


def test_the_headteacher_signs_off_with_their_password(client_for, head, password, incident, waiting):
    client = client_for(head)
    url = reverse("incidents:decision_sign_off", args=[waiting.code])
    page = client.get(url)
    assert page.context["digest"] == waiting.content_sha256()

    response = client.post(url, {"action": "sign", "password": password})

    assert response.status_code == 302
    sign_off = SignOff.objects.get()
    assert sign_off.decision == waiting
    assert sign_off.decision_sha256 == page.context["digest"]
    detail = client.get(reverse("incidents:decision_detail", args=[waiting.code])).content.decode()
    assert sign_off.decision_sha256 in detail
    assert "the decision still matches it" in detail


def test_a_wrong_password_signs_nothing(client_for, head, waiting):
    response = client_for(head).post(
        reverse("incidents:decision_sign_off", args=[waiting.code]), {"action": "sign", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "That is not your password. Nothing has been signed" in response.content.decode()
    assert not SignOff.objects.exists()


def test_the_headteacher_returns_a_decision_with_comments(client_for, head, dsl, waiting):
    client = client_for(head)
    url = reverse("incidents:decision_sign_off", args=[waiting.code])
    refused = client.post(url, {"action": "return", "comments": " "})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_SIGN_OFF

    response = client.post(url, {"action": "return", "comments": "Say what the parents were told."})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.RETURNED
    dsl_client = client_for(dsl)
    assert "Say what the parents were told." in dsl_client.get(reverse("incidents:dashboard")).content.decode()
    revise = dsl_client.post(
        reverse("incidents:decision_revise", args=[waiting.code]),
        {"outcome": "manage_in_setting", "reason": "Parents told on Monday."},
    )
    assert revise.status_code == 302
    assert svc.current_decision(waiting.incident).status == Status.AWAITING_SIGN_OFF


@pytest.mark.parametrize("who,status", [("dsl", 403), ("deputy", 403), ("auditor", 403), ("staff", 404)])
def test_nobody_but_the_headteacher_reaches_the_sign_off_page(client_for, request, password, waiting, who, status):
    client = client_for(request.getfixturevalue(who))
    url = reverse("incidents:decision_sign_off", args=[waiting.code])

    assert client.get(url).status_code == status
    assert client.post(url, {"action": "sign", "password": password}).status_code == status
    assert not SignOff.objects.exists()


def test_the_headteacher_of_another_setting_cannot_sign(client_for, riverside, password, waiting):
    other_head = UserFactory(username="rhead")
    MembershipFactory(setting=riverside, user=other_head, role="headteacher")

    response = client_for(other_head).post(
        reverse("incidents:decision_sign_off", args=[waiting.code]), {"action": "sign", "password": password}
    )

    assert response.status_code == 404
    assert not SignOff.objects.exists()


def test_a_signed_decision_has_no_sign_or_revise_forms(client_for, head, dsl, password, waiting):
    svc.decision_sign_off(actor=head, decision=waiting, password_confirmed=True)

    assert (
        b"Sign off the decision</button>"
        not in client_for(head).get(reverse("incidents:decision_sign_off", args=[waiting.code])).content
    )
    dsl_client = client_for(dsl)
    assert (
        b"Revise this decision" not in dsl_client.get(reverse("incidents:decision_detail", args=[waiting.code])).content
    )
    refused = dsl_client.post(
        reverse("incidents:decision_revise", args=[waiting.code]), {"outcome": "refer_mash", "reason": "x"}
    )
    assert refused.status_code == 302
    assert refused["Location"] == reverse("incidents:decision_detail", args=[waiting.code])
    waiting.refresh_from_db()
    assert waiting.status == Status.SIGNED


def test_the_decision_page_has_a_fixed_query_budget(
    client_for, dsl, head, incident, waiting, django_assert_max_num_queries
):
    client = client_for(dsl)
    url = reverse("incidents:decision_detail", args=[waiting.code])
    with django_assert_max_num_queries(99) as one:
        client.get(url)
    svc.decision_sign_off(actor=head, decision=waiting, password_confirmed=True)
    svc.escalate_refer_now(actor=dsl, incident=incident, outcome=Outcome.REFER_MASH, reason="New concern.")

    with django_assert_max_num_queries(len(one.captured_queries) + 1):  # + the sign-off shown
        client.get(url)


def test_the_revise_form_refuses_a_final_decision(head, waiting):
    svc.decision_sign_off(actor=head, decision=waiting, password_confirmed=True)
    waiting.refresh_from_db()

    form = ReviseDecisionForm({"outcome": "refer_mash", "reason": "x"}, decision=waiting)

    assert not form.is_valid()
    assert "cannot be revised" in form.non_field_errors()[0]


def test_no_admin_page_can_change_or_delete_a_decision(admin_client, head, waiting):
    svc.decision_sign_off(actor=head, decision=waiting, password_confirmed=True)

    change = admin_client.post(reverse("admin:incidents_decision_change", args=[waiting.pk]), {"reason": "rewritten"})
    delete = admin_client.post(reverse("admin:incidents_decision_delete", args=[waiting.pk]), {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    waiting.refresh_from_db()
    assert waiting.reason != "rewritten"
    assert admin_client.get(reverse("admin:incidents_decision_changelist")).status_code == 200
