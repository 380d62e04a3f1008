"""Abuse and limits (issue 7): a request too large is refused before it is read, with 413 and a page
that says what to do; the reporting form takes at most YSI_REPORTS_PER_HOUR reports an hour from one
person, and refuses the next with their text shown back, never losing one that passed."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import Disclosure
from incidents.services.disclosures import disclosure_report
from tests.test_disclosures import an_input, form_data

pytestmark = pytest.mark.django_db


# --- Request size --------------------------------------------------------------------------------


def test_the_limit_matches_the_proxy_cap():
    nginx = (settings.BASE_DIR / "deploy" / "nginx" / "ysi-site.conf").read_text()

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert "client_max_body_size 1m;" in nginx


def test_a_huge_post_is_refused_with_413_before_it_is_read(client_for, staff, oakfield, caplog):
    client = client_for(staff)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(reverse("incidents:report"), form_data(oakfield, what_was_said=huge))

    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much to send at once" in page
    assert "what you typed is still in the form" in page
    assert "x" * 100 not in page
    assert Disclosure.objects.count() == 0
    assert "over the limit" in caplog.text and "xxxx" not in caplog.text


def test_a_huge_body_of_any_type_is_refused_unread(client_for, staff):
    client = client_for(staff)
    body = b"\0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    for content_type in ("application/octet-stream", "multipart/form-data; boundary=x", "application/json"):
        response = client.post(reverse("incidents:report"), body, content_type=content_type)
        assert response.status_code == 413, content_type


def test_a_huge_post_is_refused_for_someone_signed_out_too():
    response = Client().post(reverse("login"), {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code == 413


def test_a_long_report_under_the_limit_is_accepted(client_for, staff, oakfield):
    long_text = "She said more. " * 20_000  # 300 KB
    response = client_for(staff).post(reverse("incidents:report"), form_data(oakfield, what_was_said=long_text))

    assert response.status_code == 302
    assert Disclosure.objects.get().what_was_said == long_text.strip()


# --- Reports per hour -------------------------------------------------------------------------


def test_the_limit_is_twenty_an_hour_by_default():
    assert settings.YSI_REPORTS_PER_HOUR == 20


def test_twenty_reports_are_stored_and_the_twenty_first_is_refused_with_its_text_shown_back(
    client_for, staff, oakfield, dsl
):
    client = client_for(staff)
    for n in range(20):
        response = client.post(reverse("incidents:report"), form_data(oakfield, what_was_said=f"Report number {n}."))
        assert response.status_code == 302, n
    assert Disclosure.objects.filter(reporter=staff).count() == 20

    typed = "Jess said <b>another</b> photo is going round & she is scared."
    response = client.post(
        reverse("incidents:report"), form_data(oakfield, what_was_said=typed, young_people_named="Jess, Year 9")
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent 20 reports in the last hour" in page
    assert "Nothing you wrote is lost" in page
    assert "Jess said &lt;b&gt;another&lt;/b&gt; photo is going round &amp; she is scared." in page
    assert "Jess, Year 9" in page
    assert Disclosure.objects.filter(reporter=staff).count() == 20


def test_the_same_report_sent_again_is_answered_not_refused(client_for, staff, oakfield, dsl):
    client = client_for(staff)
    sent = []
    for _ in range(20):
        data = form_data(oakfield)
        client.post(reverse("incidents:report"), data)
        sent.append(data)

    again = client.post(reverse("incidents:report"), sent[-1])

    assert again.status_code == 302
    assert Disclosure.objects.filter(reporter=staff).count() == 20


def test_the_limit_is_per_person(oakfield, staff, trusted_teacher, dsl, settings):
    settings.YSI_REPORTS_PER_HOUR = 2
    for _ in range(2):
        disclosure_report(reporter=staff, setting=oakfield, idempotency_key=uuid.uuid4(), data=an_input())

    _, created = disclosure_report(
        reporter=trusted_teacher, setting=oakfield, idempotency_key=uuid.uuid4(), data=an_input()
    )

    assert created


def test_reports_older_than_an_hour_do_not_count(oakfield, staff, dsl, settings):
    from django.core.exceptions import ValidationError

    settings.YSI_REPORTS_PER_HOUR = 2
    start = timezone.now() - timedelta(hours=3)
    for minutes in (0, 30):
        disclosure_report(
            reporter=staff,
            setting=oakfield,
            idempotency_key=uuid.uuid4(),
            data=an_input(disclosed_at=start - timedelta(minutes=5)),
            now=start + timedelta(minutes=minutes),
        )

    with pytest.raises(ValidationError) as refused:
        disclosure_report(
            reporter=staff,
            setting=oakfield,
            idempotency_key=uuid.uuid4(),
            data=an_input(disclosed_at=start - timedelta(minutes=5)),
            now=start + timedelta(minutes=59),
        )
    assert refused.value.code == "rate_limited"
    assert "You can send it from" in refused.value.messages[0]

    _, created = disclosure_report(
        reporter=staff,
        setting=oakfield,
        idempotency_key=uuid.uuid4(),
        data=an_input(disclosed_at=start - timedelta(minutes=5)),
        now=start + timedelta(minutes=61),
    )
    assert created


def test_no_limit_when_set_to_zero(oakfield, staff, dsl, settings):
    settings.YSI_REPORTS_PER_HOUR = 0
    for _ in range(3):
        assert disclosure_report(reporter=staff, setting=oakfield, idempotency_key=uuid.uuid4(), data=an_input())[1]
