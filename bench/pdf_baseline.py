"""The signed record PDF against plain WeasyPrint + pyHanko on the same document.

    DATABASE_URL=... SECRET_KEY=... YSI_VAR_DIR=... .venv/bin/python bench/pdf_baseline.py [--rounds 5]

Times, in this process and in turn, (a) the app's `export_incident_record` for the incident with the
long (200-entry) chronology of the largest generated setting: its queries, template, WeasyPrint,
signature with the visible stamp, fingerprint, export log and access log; and (b) the floor for that
work: WeasyPrint rendering the very HTML the app produced, signed by pyHanko with the same key and
no more. Prints the median and worst of each and their ratio (the issue's target: at most 1.3).
The password asked before a download (PBKDF2, deliberately slow) is not in either figure; bench/run
times the whole HTTP request separately.
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import signers  # noqa: E402
from weasyprint import HTML  # noqa: E402

from incidents import loadgen  # noqa: E402
from incidents.models import Incident, Membership  # noqa: E402
from incidents.services import pdf as pdf_service  # noqa: E402
from incidents.services.exports import Requester  # noqa: E402
from incidents.services.records import export_incident_record  # noqa: E402
from incidents.services.signing import files_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    incident = (
        Incident.objects.filter(summary__startswith=loadgen.LONG_CHRONOLOGY_MARKER, setting__is_generated=True)
        .select_related("setting", "owner")
        .order_by("id")
        .first()
    )
    if incident is None:
        sys.exit("No generated incident with a long chronology: run generate_load_data first.")
    dsl = Membership.objects.get(setting=incident.setting, role=Membership.Role.DSL).user
    requester = Requester(user=dsl, role=Membership.Role.DSL, path="/bench/pdf", ip_address="127.0.0.1")
    entries = incident.chronology.count()

    captured = {}
    original = pdf_service.render_to_string

    def keep_html(*a, **kw):
        captured["html"] = original(*a, **kw)
        return captured["html"]

    pdf_service.render_to_string = keep_html
    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    signer = pdf_service.load_signer(files_for(incident.setting))

    def app() -> bytes:
        fresh = Incident.objects.select_related("setting", "owner").get(pk=incident.pk)
        return export_incident_record(incident=fresh, requester=requester, via="command")[1]

    def floor() -> bytes:
        pdf = HTML(string=captured["html"], base_url=base_url).write_pdf()
        meta = signers.PdfSignatureMetadata(field_name="Signature", md_algorithm="sha256")
        return signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False), meta, signer=signer).getvalue()

    app()  # warm: fonts, templates, the signer
    floor()
    times = {"app": [], "floor": []}
    sizes = {}
    for _ in range(args.rounds):
        for name, job in (("app", app), ("floor", floor)):
            started = time.perf_counter()
            sizes[name] = len(job())
            times[name].append(time.perf_counter() - started)
    app_median, floor_median = statistics.median(times["app"]), statistics.median(times["floor"])
    pages = captured["html"].count("<tr")  # a rough size: rows in the document's tables
    print(f"PDF incident={incident.reference} chronology_entries={entries} table_rows={pages} "
          f"bytes_app={sizes['app']} bytes_floor={sizes['floor']} rounds={args.rounds}")
    print(f"PDF app_median_s={app_median:.3f} app_max_s={max(times['app']):.3f} "
          f"floor_median_s={floor_median:.3f} floor_max_s={max(times['floor']):.3f} "
          f"ratio={app_median / floor_median:.2f}")


if __name__ == "__main__":
    main()
