from django.core.management.base import BaseCommand, CommandError

from incidents.models import Setting
from incidents.services.signing import create_self_signed, default_files, setting_files


class Command(BaseCommand):
    help = (
        "Create a self-signed key and certificate for signing PDFs (demo and development), under var/ "
        "unless YSI_SIGNING_KEY/YSI_SIGNING_CERT say otherwise. Does nothing if they already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--setting", help="a setting's code (UUID): give it a key of its own")
        parser.add_argument("--force", action="store_true", help="replace an existing key and certificate")
        parser.add_argument("--name", default="", help="the certificate's common name (the signer name shown)")

    def handle(self, *args, **options):
        if options["setting"]:
            setting = Setting.objects.filter(code=options["setting"]).first()
            if setting is None:
                raise CommandError(f"No setting with code {options['setting']}.")
            files = setting_files(setting)
            name = options["name"] or f"{setting.name} (YSI records, self-signed)"
        else:
            files = default_files()
            name = options["name"] or "YSI records (self-signed, development)"
        if files.key.exists() and files.cert.exists() and not options["force"]:
            self.stdout.write(f"Signing key already present at {files.key}; nothing to do.")
            return
        create_self_signed(files=files, common_name=name)
        self.stdout.write(self.style.SUCCESS(f"Created {files.key} and {files.cert} for {name!r}."))
