from datetime import UTC
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.services import documents  # noqa: F401 - registers how each kind of document is fingerprinted
from incidents.services.exports import verify_pdf


class Command(BaseCommand):
    help = (
        "Check a PDF the app produced: is the signature intact, who signed it and when, is it the file "
        "that was exported, and does the record the app holds now still match it. Exits 1 on any doubt."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = verify_pdf(path.read_bytes())
        out = self.stdout.write
        out(f"File: {path}")
        if result.signed:
            out(
                f"Signature: {'INTACT' if result.intact and result.valid else 'BROKEN'}"
                f"{', covers the whole file' if result.whole_file else ''}"
            )
            out(f"Signed by: {result.signer}{'' if result.trusted else ' (certificate not trusted here)'}")
            if result.signing_time:
                out(f"Signed at: {result.signing_time.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
        if result.export:
            export = result.export
            out(
                f"Export: {export.get_kind_display()} '{export.title}' for {export.setting}, "
                f"generated {export.generated_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC "
                f"by {export.generated_by or 'the command line'}"
            )
            out(f"File as exported: {'yes' if result.file_matches else 'NO'}")
            if result.content_matches is None:
                out("Record now: cannot be compared for this kind of document")
            elif result.content_matches:
                out("Record now: matches the record the app holds now")
            else:
                out(
                    "Record now: the record has CHANGED since this file was exported (the file is still a "
                    "faithful copy of the record as it was then)"
                )
        for problem in result.problems:
            self.stderr.write(f"Problem: {problem}")
        if not result.ok:
            raise CommandError("The file cannot be relied on: see the problems above.")
        self.stdout.write(self.style.SUCCESS("The signature is valid and the file is the one the app produced."))
