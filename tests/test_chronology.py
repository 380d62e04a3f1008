"""The chronology and the access log are append-only, down to the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from incidents.models import AccessLogEntry, ChronologyEntry
from incidents.services.audit import access_log_record

pytestmark = pytest.mark.django_db


def test_every_service_write_leaves_a_chronology_entry_with_who_and_when(incident, dsl):
    entry = incident.chronology.get()
    assert entry.actor == dsl
    assert entry.at is not None
    assert entry.setting_id == incident.setting_id


@pytest.mark.parametrize("model", [ChronologyEntry, AccessLogEntry])
def test_the_database_refuses_to_update_or_delete_entries(incident, model, rf, dsl):
    if model is AccessLogEntry:
        access_log_record(
            user=dsl,
            setting_id=incident.setting_id,
            incident_id=incident.pk,
            role="dsl",
            action="view_incident",
            path="/",
            ip_address=None,
        )
    table = model._meta.db_table
    entry = model.objects.first()
    # The table name comes from the model, not from input: this is the raw access a trigger must stop.
    statements = (f"UPDATE {table} SET at = at WHERE id = %s", f"DELETE FROM {table} WHERE id = %s")  # noqa: S608
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert model.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_change_an_entry_either(incident):
    entry = incident.chronology.get()
    entry.summary = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ChronologyEntry.objects.filter(pk=entry.pk).delete()


def test_a_failed_save_leaves_no_half_record(dsl, oakfield, monkeypatch):
    from incidents.models import Incident
    from incidents.services import incidents as service

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(service, "chronology_record", broken)
    with pytest.raises(DatabaseError):
        service.incident_create(actor=dsl, setting=oakfield, summary="Should vanish entirely.")
    assert not Incident.objects.exists()



def test_the_incident_page_shows_each_entry_in_uk_time_with_who_what_and_escaped_text(
    client_for, incident, dsl, monkeypatch
):
    from datetime import UTC, datetime

    from incidents.services import chronology

    summer_morning = datetime(2026, 7, 3, 8, 5, tzinfo=UTC)  # 09:05 in London, summer time
    monkeypatch.setattr(chronology.timezone, "now", lambda: summer_morning)
    chronology.chronology_record(incident=incident, actor=dsl, kind="note", summary="Spoke to <b>Sam</b>\nand her mum.")
    chronology.chronology_record(incident=incident, actor=None, kind="note", summary="Reminder sent.")
    monkeypatch.undo()

    page = client_for(dsl).get(incident.get_absolute_url()).content.decode()
    when = '<td class="when"><time datetime="2026-07-03T09:05:00+01:00">3 Jul 2026, 09:05</time></td>'
    assert (
        f'{when}<td>{dsl}</td><td><span class="fw-semibold">Note:</span> '
        '<span class="preserve-lines">Spoke to &lt;b&gt;Sam&lt;/b&gt;\nand her mum.</span></td>'
    ) in page
    assert f'{when}<td>System</td><td><span class="fw-semibold">Note:</span> ' in page
    assert "<b>Sam</b>" not in page
