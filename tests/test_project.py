"""Configuration, demo data and commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from incidents.models import Incident, Membership, Setting, User

ROOT = Path(__file__).resolve().parent.parent


def _settings_import(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import ysi.settings"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_import({"ALLOWED_HOSTS": "ysi.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _settings_import({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_nonsense_boolean_fails_loudly():
    result = _settings_import({"SECRET_KEY": "x" * 50, "DEBUG": "perhaps"})
    assert "DEBUG must be one of" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ysi.settings'; django.setup();"
            "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
            "print(c.fetchone()[0], connection.settings_dict['OPTIONS']['transaction_mode'])",
        ],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x", "DEBUG": "1", "YSI_VAR_DIR": str(tmp_path), "DATABASE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_status(capsys):
    call_command("seed_demo", password="a-demo-password-1")
    call_command("seed_demo", password="a-demo-password-2")
    setting = Setting.objects.get(name="Oakfield Academy")
    # Twenty recorded incidents, and one more for each demo report from staff (issue 3).
    assert setting.disclosures.count() == 3
    assert setting.incidents.count() == 20 + 3
    assert set(Incident.objects.values_list("status", flat=True)) == set(Incident.Status.values)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"dsl": "dsl", "deputy": "deputy", "head": "headteacher", "staff": "staff", "auditor": "auditor"}
    assert User.objects.get(username="dsl").check_password("a-demo-password-2")
    assert "dsl      / a-demo-password-2" in capsys.readouterr().out
    assert all(incident.chronology.exists() for incident in setting.incidents.all())


@pytest.mark.django_db(transaction=True)
def test_flush_works_on_sqlite_and_keeps_the_protecting_triggers(incident):
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    assert not Incident.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'ysi_protect_%'")
            assert cursor.fetchone()[0] >= 4
