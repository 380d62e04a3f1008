"""`flush` empties the whole database. On PostgreSQL it uses TRUNCATE, which row triggers do not
see; on SQLite it deletes row by row, which the protecting triggers refuse. This version lifts
those triggers for the flush alone and puts them back, so both databases behave the same."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from incidents.db_triggers import TRIGGER_PREFIX


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                # nosemgrep: ysi-raw-sql-from-strings - a trigger name read from sqlite_master
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _, sql in triggers:
                    cursor.execute(sql)
