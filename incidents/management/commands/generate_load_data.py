"""Fill an empty database with fictional settings, people and incidents for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from incidents import loadgen


class Command(BaseCommand):
    help = (
        "Generate fictional load data: N settings (most small, a few large, about half grouped in trusts) "
        "holding M incidents with young people, involvements, disclosures, reviews, assessments, decisions and "
        "sign-offs, actions (referrals, parents, conversations, deletions, a few devices and viewings), chronology "
        "and access-log rows. Refuses a database that holds any setting it did not generate."
    )

    def add_arguments(self, parser):
        # manage.py turns `--settings N` into this (Django keeps --settings for the settings module).
        parser.add_argument(
            "--setting-count", dest="setting_count", type=int, required=True, help="Number of settings to create."
        )
        parser.add_argument("--incidents", type=int, required=True, help="Number of incidents across them.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the shape of the data, not codes).")
        parser.add_argument("--password", default=loadgen.DEFAULT_PASSWORD, help="Password of every generated user.")
        parser.add_argument(
            "--long-chronology",
            type=int,
            default=200,
            help="Notes added to the first incident of the largest setting (the detail-page benchmark).",
        )
        parser.add_argument(
            "--block",
            type=int,
            default=20_000,
            help="Incidents per transaction; on PostgreSQL one block is written while the next is built.",
        )

    def handle(self, *args, setting_count: int, incidents: int, seed: int, password: str, long_chronology: int,
               block: int, **options):
        if setting_count < 1 or incidents < 0:
            raise CommandError("--settings must be at least 1 and --incidents at least 0.")
        reason = loadgen.refusal_reason()
        if reason:
            raise CommandError(reason)
        started = time.monotonic()
        generator = loadgen.Generator(
            seed=seed,
            password=password,
            long_chronology=long_chronology,
            block_incidents=block,
            progress=lambda line: self.stdout.write(f"  {line} ({time.monotonic() - started:.0f} s)"),
        )
        plan = loadgen.make_plan(settings=setting_count, incidents=incidents, rng=generator.rng)
        generator.run(plan)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.1f} s ({generator.writer.rows_written} rows):"))
        for line in loadgen.summarise(generator.counts):
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Sign in as gen00001-dsl (the largest setting) or gen00001-head etc. with password {password!r}."
        )
