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
