"""The chronology and the access log form per-setting hash chains; tampering is found."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from incidents import audit_chain
from incidents.db_triggers import TRIGGER_PREFIX
from incidents.models import AccessLogEntry, AuditChainHead, ChronologyEntry
from incidents.services.audit import access_log_record, verify_audit_trail
from incidents.services.incidents import note_add

pytestmark = pytest.mark.django_db


def _disable_triggers(model):
    """What someone with direct database access could do before editing a row."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for event in ("update", "delete"):
            name = f"{TRIGGER_PREFIX}{table}_{event}"
            if connection.vendor == "postgresql":
                # Deferred foreign-key checks from this test's inserts would block ALTER TABLE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER {name}')
            else:
                cursor.execute(f"DROP TRIGGER {name}")


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _log(user, incident, action="view_incident"):
    return access_log_record(
        user=user,
        setting_id=incident.setting_id,
        incident_id=incident.pk,
        role="dsl",
        action=action,
        path=f"/incidents/{incident.code}/",
        ip_address="192.0.2.7",
    )


@pytest.fixture
def busy_incident(incident, dsl):
    for number in range(4):
        note_add(actor=dsl, incident=incident, text=f"Note {number}")
        _log(dsl, incident)
    return incident


def test_each_entry_carries_its_hash_and_the_previous_ones(busy_incident):
    entries = list(ChronologyEntry.objects.filter(setting=busy_incident.setting).order_by("id"))
    assert entries[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert len({entry.entry_hash for entry in entries}) == len(entries)
    head = AuditChainHead.objects.get(key=f"incidents_chronologyentry:{busy_incident.setting_id}")
    assert (head.length, head.last_hash) == (5, entries[-1].entry_hash)


def test_an_untouched_trail_verifies(busy_incident, other_incident, capsys):
    checked, breaks = verify_audit_trail()
    assert breaks == []
    assert checked == 5 + 4 + 1  # oakfield chronology, oakfield access log, riverside chronology
    call_command("verify_audit_trail")
    assert "Audit trail intact: 10 entries checked" in capsys.readouterr().out


def test_a_changed_chronology_row_is_found(busy_incident, other_incident):
    target = ChronologyEntry.objects.filter(setting=busy_incident.setting).order_by("id")[2]
    _disable_triggers(ChronologyEntry)
    _raw("UPDATE incidents_chronologyentry SET summary = %s WHERE id = %s", ["Nothing happened.", target.pk])

    _, breaks = verify_audit_trail()

    assert [(b.chain, b.entry_id) for b in breaks] == [
        (f"incidents_chronologyentry:{busy_incident.setting_id}", target.pk)
    ]
    assert "content does not match its hash" in breaks[0].reason


def test_a_rehashed_row_still_breaks_the_next_link(busy_incident):
    """Someone who recomputes the changed row's own hash cannot fix the entry after it."""
    rows = list(ChronologyEntry.objects.filter(setting=busy_incident.setting).order_by("id"))
    target = rows[1]
    fields = audit_chain.CHRONOLOGY_FIELDS
    forged = {name: getattr(target, name) for name in fields} | {"summary": "Forged."}
    _disable_triggers(ChronologyEntry)
    _raw(
        "UPDATE incidents_chronologyentry SET summary = %s, entry_hash = %s WHERE id = %s",
        ["Forged.", audit_chain.entry_hash(fields, forged, target.prev_hash), target.pk],
    )

    _, breaks = verify_audit_trail()

    assert breaks[0].entry_id == rows[2].pk
    assert "link to the previous entry" in breaks[0].reason


def test_a_deleted_access_log_row_is_found(busy_incident):
    rows = list(AccessLogEntry.objects.filter(setting=busy_incident.setting).order_by("id"))
    _disable_triggers(AccessLogEntry)
    _raw("DELETE FROM incidents_accesslogentry WHERE id = %s", [rows[1].pk])

    _, breaks = verify_audit_trail()

    assert [b.entry_id for b in breaks] == [rows[2].pk]


def test_deleting_the_last_entries_is_found_through_the_chain_head(busy_incident):
    last = AccessLogEntry.objects.filter(setting=busy_incident.setting).order_by("-id").first()
    _disable_triggers(AccessLogEntry)
    _raw("DELETE FROM incidents_accesslogentry WHERE id = %s", [last.pk])

    _, breaks = verify_audit_trail()

    assert len(breaks) == 1
    assert breaks[0].entry_id is None
    assert "records 4 entries but 3 were found" in breaks[0].reason


def test_the_command_reports_the_break_and_fails(busy_incident, capsys):
    target = ChronologyEntry.objects.filter(setting=busy_incident.setting).order_by("id")[1]
    _disable_triggers(ChronologyEntry)
    _raw("UPDATE incidents_chronologyentry SET kind = %s WHERE id = %s", ["status", target.pk])

    with pytest.raises(CommandError, match="1 chain"):
        call_command("verify_audit_trail")

    assert f"entry {target.pk}:" in capsys.readouterr().err


def test_refusals_with_no_setting_form_their_own_chain(dsl):
    for _ in range(2):
        access_log_record(
            user=dsl, setting_id=None, incident_id=None, role="", action="refused", path="/x/", ip_address="::1"
        )
    checked, breaks = verify_audit_trail()
    assert (checked, breaks) == (2, [])
    assert AuditChainHead.objects.get(key="incidents_accesslogentry:none").length == 2


def test_the_database_refuses_an_entry_written_around_the_chain(incident, dsl):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChronologyEntry.objects.create(
            setting=incident.setting, incident=incident, actor=dsl, kind="note", summary="Unchained."
        )


def test_unknown_access_actions_are_refused(dsl):
    with pytest.raises(ValueError, match="Unknown access-log action"):
        access_log_record(
            user=dsl, setting_id=None, incident_id=None, role="", action="peek", path="/", ip_address=None
        )


class TestCanonicalHash:
    fields = ("at", "ip_address", "details")

    def test_the_same_instant_in_any_time_zone_hashes_the_same(self):
        from zoneinfo import ZoneInfo

        utc = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
        london = utc.astimezone(ZoneInfo("Europe/London"))
        assert audit_chain.entry_hash(self.fields, {"at": utc}, "a") == audit_chain.entry_hash(
            self.fields, {"at": london}, "a"
        )

    def test_ip_addresses_are_normalised_and_key_order_does_not_matter(self):
        one = {"ip_address": "0:0:0:0:0:0:0:1", "details": {"a": 1, "b": [1, 2]}}
        two = {"ip_address": "::1", "details": {"b": [1, 2], "a": 1}}
        assert audit_chain.entry_hash(self.fields, one, "p") == audit_chain.entry_hash(self.fields, two, "p")

    def test_the_previous_hash_is_part_of_the_content(self):
        assert audit_chain.entry_hash(self.fields, {}, "a") != audit_chain.entry_hash(self.fields, {}, "b")

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            audit_chain.entry_hash(self.fields, {"at": datetime(2026, 1, 1)}, "a")  # noqa: DTZ001


@pytest.mark.parametrize("model", [ChronologyEntry, AccessLogEntry])
def test_no_one_can_change_or_delete_an_entry_through_the_app_not_even_a_superuser(busy_incident, client_for, model):
    from tests.factories import UserFactory

    client = client_for(UserFactory(username="root", is_staff=True, is_superuser=True))
    entry = model.objects.filter(setting_id=busy_incident.setting_id).order_by("id").first()
    before = set(model.objects.values_list("id", "entry_hash"))
    base = f"/admin/incidents/{model._meta.model_name}/"
    assert client.get(base).status_code == 200  # it can be read
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{entry.pk}/change/", {"summary": "rewritten", "path": "/x"}).status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post(base, bulk)
    # Every entry is still there, unchanged (refusals may have added entries to the access log).
    assert before <= set(model.objects.values_list("id", "entry_hash"))
    assert verify_audit_trail()[1] == []
