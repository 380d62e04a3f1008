"""Benchmark: how long the signed PDFs of issue 6 take to produce.

    .venv/bin/python bench/pdf_export.py [--repeat 3] [--incidents 500] [--entries 200] [--actions 20]

Builds its own fictional data in a throwaway SQLite database under a temporary directory (or in the
database DATABASE_URL names, which must be an EMPTY scratch database), with its own self-signed key,
then times, end to end through the same services the web pages use (data, WeasyPrint, pyHanko,
export log and access log):

- the incident record of one incident with 200 chronology entries and 20 actions;
- the audit pack (with its statistics section) for 500 incidents;
- checking each file with `verify_pdf` (what `manage.py verify_record` does).

For the record it also splits the time into gathering the data, rendering and signing. It prints
median, fastest and slowest of --repeat runs, the database queries of one run, pages and file size.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(scratch: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")
    os.environ["SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway database
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "localhost"
    os.environ["YSI_VAR_DIR"] = str(scratch)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


class Timing(list):
    """Wall-clock seconds of each run, and the CPU seconds this process used in each (which the
    other work on a shared machine does not inflate)."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def timed(function, repeat: int):
    """Run `function` `repeat` times; return (Timing, queries of the first run, last result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, result = Timing(), None, None
    for run in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            result = function()
            times.append(time.perf_counter() - started)
            times.cpu.append(time.process_time() - cpu)
        if run == 0:
            queries = len(captured)
    return times, queries, result


def line(label: str, times: Timing, queries: int | None = None, extra: str = "") -> str:
    text = (
        f"{label:<40} median {statistics.median(times):6.2f} s (min {min(times):.2f}, max {max(times):.2f}, "
        f"n={len(times)}), CPU {statistics.median(times.cpu):5.2f} s"
    )
    if queries is not None:
        text += f"  queries {queries}"
    return text + (f"  {extra}" if extra else "")


def build_data(*, incidents: int, entries: int, actions: int):
    from django.db import transaction
    from django.utils import timezone

    from incidents.models import Incident, Involvement, Membership, OnlineReport, Referral, Setting, User
    from incidents.services.actions import referral_chase, referral_create
    from incidents.services.followup import conversation_record, online_report_record
    from incidents.services.incidents import incident_create, note_add
    from incidents.services.people import involvement_add, young_person_create

    setting = Setting.objects.create(name="Benchmark Academy")
    dsl = User.objects.create_user(username="bench-dsl", first_name="Dana", last_name="Bench")
    Membership.objects.create(setting=setting, user=dsl, role=Membership.Role.DSL)
    today = timezone.localdate()
    people = [
        young_person_create(
            actor=dsl,
            setting=setting,
            first_name=f"Pupil{number}",
            last_name="Example",
            date_of_birth=today - timedelta(days=365 * 14 + number),
            year_group="Year 9",
        )
        for number in range(4)
    ]

    # The long record: `entries` chronology entries in all, of which `actions` come from actions.
    big = incident_create(
        actor=dsl,
        setting=setting,
        summary="A picture was passed round a group chat. " * 5,
        reported_at=timezone.now() - timedelta(hours=3),
    )
    for person, role in zip(people, (Involvement.Role.PICTURED, Involvement.Role.SHARED), strict=False):
        involvement_add(actor=dsl, incident=big, person=person, roles=[role])
    start = timezone.now() - timedelta(hours=2)
    made = 0
    while made < actions:
        kind = made % 4
        at = start + timedelta(minutes=made)
        if kind == 0:
            referral = referral_create(
                actor=dsl,
                incident=big,
                agency=Referral.Agency.MASH,
                made_at=at,
                method=Referral.Method.PHONE,
                contact_name="Duty social worker",
                information_shared="What the pupils told us, without any imagery.",
            )
        elif kind == 1:
            referral_chase(actor=dsl, referral=referral, chased_at=at, result="Still being looked at.")
        elif kind == 2:
            online_report_record(
                actor=dsl,
                incident=big,
                service=OnlineReport.Service.REPORT_REMOVE,
                reported_at=at,
                reported_by="The pupil, with the DSL",
            )
        else:
            conversation_record(
                actor=dsl, incident=big, young_person=people[0], led_by=dsl, held_at=at, notes="Talked it through."
            )
        made += 1
    existing = big.chronology.count()
    for number in range(max(entries - existing, 0)):
        note_add(actor=dsl, incident=big, text=f"Follow-up note {number}: spoke to the form tutor. " * 2)

    # The audit pack's incidents, reported over the last 90 days, a tenth of them referred.
    with transaction.atomic():
        for number in range(incidents - 1):
            incident = incident_create(
                actor=dsl,
                setting=setting,
                summary=f"Incident {number}.",
                reported_at=timezone.now() - timedelta(days=number % 90, minutes=number + 10),
            )
            involvement_add(actor=dsl, incident=incident, person=people[number % 4], roles=[Involvement.Role.SHARED])
            if number % 10 == 0:
                referral_create(
                    actor=dsl,
                    incident=incident,
                    agency=Referral.Agency.POLICE_101,
                    made_at=incident.reported_at + timedelta(minutes=5),
                    method=Referral.Method.PHONE,
                    contact_name="Police",
                    information_shared="Facts only.",
                )
    every_other = list(Incident.objects.filter(setting=setting).values_list("pk", flat=True))[::2]
    Incident.objects.filter(pk__in=every_other).update(classification=Incident.Classification.EXPERIMENTAL)
    return setting, dsl, big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--incidents", type=int, default=500)
    parser.add_argument("--entries", type=int, default=200, help="chronology entries of the long record")
    parser.add_argument("--actions", type=int, default=20, help="actions among them")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ysi-bench-pdf-"))
    setup_django(scratch)
    from io import BytesIO, StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from pypdf import PdfReader

    from incidents.models import Incident
    from incidents.services.audit_pack import export_audit_pack
    from incidents.services.exports import Requester, verify_pdf
    from incidents.services.pdf import PdfMeta, render_pdf, sign_pdf, signer_name
    from incidents.services.records import RecordOptions, build_sections, export_incident_record, record_title
    from incidents.services.statistics import Period

    call_command("migrate", verbosity=0)
    if Incident.objects.exists():
        sys.exit("bench/pdf_export.py needs an empty scratch database: this one holds incidents.")
    call_command("create_signing_key", stdout=StringIO())

    started = time.perf_counter()
    setting, dsl, big = build_data(incidents=args.incidents, entries=args.entries, actions=args.actions)
    print(
        f"Data: {Incident.objects.filter(setting=setting).count()} incidents, the long record with "
        f"{big.chronology.count()} chronology entries ({args.actions} from actions), built in "
        f"{time.perf_counter() - started:.0f} s on {connection.vendor}. Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start."
    )
    requester = Requester(user=dsl, role="dsl", path="bench")

    times, queries, (_, record_pdf) = timed(
        lambda: export_incident_record(incident=big, requester=requester), args.repeat
    )
    pages = len(PdfReader(BytesIO(record_pdf)).pages)
    print(line("Incident record, end to end", times, queries, f"{pages} pages, {len(record_pdf) // 1024} KiB"))

    sections_times, sections_queries, sections = timed(lambda: build_sections(big, RecordOptions()), args.repeat)
    print(line("  of which: gathering the sections", sections_times, sections_queries))
    meta = PdfMeta(
        title=record_title(big),
        setting=setting,
        generated_at=timezone.now(),
        generated_by="bench",
        signer=signer_name(setting),
    )
    context = {"incident": big, "sections": sections, "pdf": meta}
    render_times, _, unsigned = timed(
        lambda: render_pdf(template_name="pdf/incident_record.html", context=context), args.repeat
    )
    print(line("  of which: rendering (WeasyPrint)", render_times))
    sign_times, _, _ = timed(lambda: sign_pdf(unsigned, setting=setting, reason="bench"), args.repeat)
    print(line("  of which: signing (pyHanko)", sign_times))
    verify_times, verify_queries, result = timed(lambda: verify_pdf(record_pdf), args.repeat)
    assert result.ok and result.content_matches, result.problems
    print(line("Checking the record (verify_pdf)", verify_times, verify_queries))

    today = timezone.localdate()
    period = Period(today - timedelta(days=120), today)
    times, queries, (_, pack_pdf) = timed(
        lambda: export_audit_pack(
            setting=setting, period=period, initials_only=True, for_governors=True, requester=requester
        ),
        args.repeat,
    )
    pages = len(PdfReader(BytesIO(pack_pdf)).pages)
    print(
        line(
            f"Audit pack, {args.incidents} incidents, end to end",
            times,
            queries,
            f"{pages} pages, {len(pack_pdf) // 1024} KiB",
        )
    )
    verify_times, verify_queries, result = timed(lambda: verify_pdf(pack_pdf), args.repeat)
    assert result.ok and result.content_matches, result.problems
    print(line("Checking the audit pack (verify_pdf)", verify_times, verify_queries))


if __name__ == "__main__":
    main()
