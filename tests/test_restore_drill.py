"""The restore drill (issue 7, SECURITY.md "Backups"): a `pg_dump -Fc` of a database holding case
records, restored into an empty database, has the same rows, the same protecting triggers (still
refusing changes) and an audit trail whose hash chains all hold. PostgreSQL only: the dump format,
the triggers and the restore are PostgreSQL's."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from incidents.db_triggers import TRIGGER_PREFIX
from incidents.models import AccessLogEntry, ChronologyEntry, Decision, SignOff
from incidents.services import decisions as decision_services
from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago
from tests.test_decisions import review

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="The restore drill needs PostgreSQL (pg_dump -Fc and pg_restore); this run uses SQLite. "
        "It runs in the PostgreSQL suite (DATABASE_URL=postgres://...).",
    ),
    pytest.mark.django_db(transaction=True),
]


def pg_args(name: str) -> list[str]:
    db = connection.settings_dict
    return ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], "-d", name]


def pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def connect(name: str):
    db = connection.settings_dict
    conn = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname=name,
    )
    conn.autocommit = True
    return conn


def row_counts(name: str) -> dict[str, int]:
    conn = connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                # Table names come from the catalogue; identifiers cannot be parameters.
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def protecting_triggers(name: str) -> set[tuple[str, str]]:
    conn = connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s AND t.tgenabled <> 'D'",
                [f"{TRIGGER_PREFIX}%"],
            )
            return set(cursor.fetchall())
    finally:
        conn.close()


def refused(name: str, sql: str) -> str:
    """Run a change on the restored copy; return the database's refusal (or fail if it was allowed)."""
    conn = connect(name)
    try:
        with conn.cursor() as cursor:
            try:
                cursor.execute(sql)
            except psycopg2.Error as error:
                return str(error)
        raise AssertionError(f"The restored database accepted: {sql}")
    finally:
        conn.close()


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def verify_audit_trail(name: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=database_url(name))
    return subprocess.run(
        [sys.executable, "manage.py", "verify_audit_trail"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture
def case_records(client_for, oakfield, dsl, head, staff, incident):
    """An incident with a young person, a chronology, a decision the headteacher signed, and an access
    log holding reads and a refusal, all written by the services."""
    person = YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(14, days=30))
    InvolvementFactory(incident=incident, young_person=person)
    decision = review(incident, dsl)
    decision_services.decision_sign_off(actor=head, decision=decision, password_confirmed=True)
    client_for(dsl).get(incident.get_absolute_url())
    client_for(staff).get(incident.get_absolute_url())  # refused: logged
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.SIGNED
    assert SignOff.objects.count() == 1
    assert ChronologyEntry.objects.count() >= 3
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REFUSED).count() == 1
    return decision


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restore_drill"
    admin = connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_dump_restores_into_an_empty_database_with_rows_triggers_and_audit_chain_intact(
    case_records, restored_name, tmp_path
):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "pg_dump and pg_restore (postgresql-client)"
    source = connection.settings_dict["NAME"]

    # The backup, as production takes it (deploy/backup: pg_dump -Fc, checked with pg_restore --list).
    backup = subprocess.run(
        [str(ROOT / "deploy" / "backup"), str(tmp_path)],
        env=dict(pg_env(), DATABASE_URL=database_url(source)),
        capture_output=True,
        text=True,
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path and dump.name.endswith(".dump")
    assert (tmp_path / f"{dump.name}.sha256").read_text().split()[0] == hashlib.sha256(dump.read_bytes()).hexdigest()
    assert dump.read_bytes().startswith(b"PGDMP")  # the custom format

    assert row_counts(restored_name) == {}  # the target starts empty
    subprocess.run(
        [shutil.which("pg_restore"), "--no-owner", "--exit-on-error", *pg_args(restored_name), str(dump)],
        env=pg_env(),
        check=True,
    )

    # Every table, with the same number of rows.
    before, after = row_counts(source), row_counts(restored_name)
    assert after == before
    for table in (
        "incidents_incident",
        "incidents_chronologyentry",
        "incidents_accesslogentry",
        "incidents_decision",
        "incidents_signoff",
        "incidents_auditchainhead",
    ):
        assert after[table] > 0, table

    # The protecting triggers, all of them, and they still refuse changes.
    triggers = protecting_triggers(restored_name)
    assert triggers == protecting_triggers(source)
    assert ("incidents_chronologyentry", f"{TRIGGER_PREFIX}incidents_chronologyentry_update") in triggers
    assert "is refused" in refused(restored_name, "UPDATE incidents_chronologyentry SET summary = 'rewritten'")
    assert "is refused" in refused(restored_name, "DELETE FROM incidents_accesslogentry")
    assert "is refused" in refused(
        restored_name, "UPDATE incidents_decision SET reason = 'rewritten' WHERE status = 'signed'"
    )

    # The audit-chain check holds on the restored copy...
    check = verify_audit_trail(restored_name)
    assert check.returncode == 0, check.stdout + check.stderr
    chained = before["incidents_chronologyentry"] + before["incidents_accesslogentry"]
    assert f"Audit trail intact: {chained} entries checked" in check.stdout

    # ...and would notice a row edited behind the triggers' back.
    conn = connect(restored_name)
    with conn.cursor() as cursor:
        cursor.execute("ALTER TABLE incidents_chronologyentry DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE incidents_chronologyentry SET summary = 'rewritten' "
            "WHERE id = (SELECT min(id) FROM incidents_chronologyentry)"
        )
    conn.close()
    tampered = verify_audit_trail(restored_name)
    assert tampered.returncode == 1
    assert "BROKEN" in tampered.stderr
