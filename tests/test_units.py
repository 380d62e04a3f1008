"""Plain-Python rules: ages and status moves."""

from datetime import date

import pytest

from incidents import workflow
from incidents.dates import age_on, is_young_person_on


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 6, 15), date(2023, 6, 14), 12),
        (date(2010, 6, 15), date(2023, 6, 15), 13),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on_a_day(born, on, age):
    assert age_on(born, on) == age


def test_a_young_person_is_under_18():
    assert is_young_person_on(date(2008, 6, 15), date(2026, 6, 14))
    assert not is_young_person_on(date(2008, 6, 15), date(2026, 6, 15))


@pytest.mark.parametrize("status", workflow.OPEN_STATUSES)
def test_any_open_incident_can_be_referred_or_closed_but_not_reported_again(status):
    assert workflow.can_move(status, workflow.CLOSED)
    assert not workflow.can_move(status, workflow.REPORTED)
    if status != workflow.REFERRED:
        assert workflow.can_move(status, workflow.REFERRED)


def test_a_closed_incident_only_reopens_into_review():
    assert workflow.ALLOWED_TRANSITIONS[workflow.CLOSED] == {workflow.UNDER_REVIEW}
    assert workflow.needs_reason(workflow.CLOSED, workflow.UNDER_REVIEW)
    assert workflow.is_reopening(workflow.CLOSED, workflow.UNDER_REVIEW)
    assert not workflow.needs_reason(workflow.REPORTED, workflow.UNDER_REVIEW)
