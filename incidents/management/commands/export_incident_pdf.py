from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.models import Incident
from incidents.services.exports import Requester
from incidents.services.records import export_incident_record


class Command(BaseCommand):
    help = "Write an incident's signed record as a PDF. The export is logged like a download."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="the incident's reference, e.g. YPSI-2026-0001")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--setting", help="the setting's name or code, where the reference is not unique")

    def handle(self, *args, **options):
        incidents = Incident.objects.filter(reference=options["reference"]).select_related("setting")
        if options["setting"]:
            wanted = options["setting"]
            by_code = incidents.filter(setting__code=wanted) if _is_uuid(wanted) else incidents.none()
            incidents = by_code if by_code.exists() else incidents.filter(setting__name=wanted)
        found = list(incidents[:2])
        if not found:
            raise CommandError(f"No incident {options['reference']}{' in that setting' if options['setting'] else ''}.")
        if len(found) > 1:
            raise CommandError(
                f"{options['reference']} exists in more than one setting: name one with --setting (name or code)."
            )
        incident = found[0]
        out = Path(options["out"])
        export, pdf = export_incident_record(
            incident=incident,
            requester=Requester(user=None, path=f"manage.py export_incident_pdf {incident.reference}"),
            via="command",
        )
        out.write_bytes(pdf)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out} ({len(pdf):,} bytes), signed; export {export.code}, SHA-256 {export.file_hash}."
            )
        )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
