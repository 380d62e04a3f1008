from datetime import date

import pytest
from django.core.management import call_command

from incidents.retention import birthday_at, retain_until
from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago


def test_records_are_kept_until_the_youngest_turns_25():
    assert retain_until([date(2001, 5, 1), date(2003, 7, 9)], 25) == date(2028, 7, 9)
    assert retain_until([], 25) is None


def test_a_leap_day_birthday_falls_on_1_march():
    assert birthday_at(date(2008, 2, 29), 25) == date(2033, 3, 1)
    assert birthday_at(date(2008, 2, 29), 24) == date(2032, 2, 29)


@pytest.mark.django_db
def test_the_report_lists_only_records_past_retention_and_deletes_nothing(incident, oakfield, capsys):
    old = YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(26))
    InvolvementFactory(incident=incident, young_person=old)
    young = YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(14))
    recent = InvolvementFactory(
        incident__setting=oakfield, incident__reference="YPSI-2026-0900", young_person=young
    ).incident

    call_command("retention_report")

    out = capsys.readouterr().out
    assert incident.reference in out
    assert recent.reference not in out
    assert "1 record(s) to review. Nothing has been deleted" in out
    assert incident.__class__.objects.filter(pk=incident.pk).exists()


@pytest.mark.django_db
def test_the_age_is_configurable(incident, oakfield, capsys):
    InvolvementFactory(
        incident=incident, young_person=YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(20))
    )
    call_command("retention_report", "--age", "25")
    assert incident.reference not in capsys.readouterr().out
    call_command("retention_report", "--age", "19")
    assert incident.reference in capsys.readouterr().out
