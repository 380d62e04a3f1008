"""Sessions for the benchmark's users, made directly in the session store (no password hashing, no login form).

    .venv/bin/python bench/sessions.py OUT_DIR

Writes OUT_DIR/dsl.cookies (sessions of the DSL of the largest generated setting), OUT_DIR/reporters.txt (one line per
reporter: session key, setting id, username; the staff member of each of the first 50 settings) and
OUT_DIR/long_incident.txt (the code of the incident with the 200-entry chronology). Only generated settings
are used: the script refuses a database holding any other (as generate_load_data does).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from incidents import access, loadgen  # noqa: E402
from incidents.models import Incident, Membership, User, UserSession  # noqa: E402
from incidents.services import security  # noqa: E402

REPORTERS = int(os.environ.get("BENCH_REPORTERS", "50"))


def session_for(user: User) -> str:
    """A session as signing in would leave it: second factor passed where the role needs one,
    stamped with its start for the session limits, and tracked as the user's."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if access.second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Benchmark authenticator"}
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = security.now_ts()
    store[security.SIGNED_IN_AT] = now
    store[security.LAST_SEEN_AT] = now
    store.save()
    UserSession.objects.update_or_create(session_id=store.session_key, defaults={"user": user})
    return store.session_key


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    reason = loadgen.refusal_reason()
    if reason:
        sys.exit(reason)
    dsl = (
        Membership.objects.filter(role=Membership.Role.DSL, setting__is_generated=True)
        .select_related("user")
        .order_by("setting_id")
        .first()
    )
    if dsl is None:
        sys.exit("No generated setting: run generate_load_data first.")
    # One session per wrk connection, as separate people would have: a shared one would make every
    # request wait for the others' session writes (SESSION_SAVE_EVERY_REQUEST).
    (out / "dsl.cookies").write_text("".join(f"sessionid={session_for(dsl.user)}\n" for _ in range(16)))
    (out / "dsl_setting.txt").write_text(f"{dsl.setting_id}\n")
    staff = (
        Membership.objects.filter(role=Membership.Role.STAFF, setting__is_generated=True, is_active=True)
        .select_related("user")
        .order_by("setting_id")[:REPORTERS]
    )
    lines = [f"{session_for(m.user)} {m.setting_id} {m.user.username}" for m in staff]
    (out / "reporters.txt").write_text("\n".join(lines) + "\n")
    (out / "staff.cookies").write_text("".join(f"sessionid={line.split()[0]}\n" for line in lines))
    long_incident = (
        Incident.objects.filter(setting_id=dsl.setting_id, summary__startswith=loadgen.LONG_CHRONOLOGY_MARKER)
        .order_by("id")
        .first()
    )
    (out / "long_incident.txt").write_text(f"{long_incident.code if long_incident else ''}\n")
    print(f"sessions: {dsl.user.username} and {len(lines)} reporters in {out}")


if __name__ == "__main__":
    main()
