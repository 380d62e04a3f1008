from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from incidents.models import Setting
from incidents.services.retention import records_past_retention


class Command(BaseCommand):
    help = (
        "List incidents past their retention date (by default the youngest person involved has turned 25), "
        "for the DSL to review. Nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--setting", help="only this setting (name or code)")
        parser.add_argument(
            "--age", type=int, default=None, help=f"retention age in years (default {settings.YSI_RETENTION_AGE_YEARS})"
        )

    def handle(self, *args, **options):
        years = options["age"] or settings.YSI_RETENTION_AGE_YEARS
        settings_qs = Setting.objects.order_by("name")
        if options["setting"]:
            wanted = options["setting"]
            settings_qs = settings_qs.filter(name=wanted) | settings_qs.filter(code__iexact=wanted)
        today = timezone.localdate()
        total = 0
        for setting in settings_qs:
            rows = records_past_retention(setting=setting, years=years, today=today)
            self.stdout.write(f"{setting.name}: {len(rows)} record(s) past retention (kept until age {years}).")
            for row in rows:
                total += 1
                self.stdout.write(
                    f"  {row.incident.reference}  retain until {row.retain_until:%d %b %Y}  "
                    f"({row.people} young {'person' if row.people == 1 else 'people'}; status "
                    f"{row.incident.get_status_display().lower()})"
                )
        self.stdout.write(
            f"{total} record(s) to review. Nothing has been deleted: deletion is a DSL decision, recorded as such."
        )
