# A sample that ysi-raw-sql-from-strings must flag (ruleid) and must not flag (ok).
from django.db import connection

from incidents.models import Incident


def bad(reference, table):
    # ruleid: ysi-raw-sql-from-strings
    Incident.objects.raw(f"SELECT * FROM incidents_incident WHERE reference = '{reference}'")
    with connection.cursor() as cursor:
        # ruleid: ysi-raw-sql-from-strings
        cursor.execute("SELECT * FROM %s" % table)
        # ruleid: ysi-raw-sql-from-strings
        cursor.execute("SELECT * FROM incidents_incident WHERE reference = '{}'".format(reference))
        # ruleid: ysi-raw-sql-from-strings
        cursor.execute("SELECT * FROM " + table)
    # ruleid: ysi-raw-sql-from-strings
    return Incident.objects.extra(where=["reference = 'x'"])


def good(reference):
    with connection.cursor() as cursor:
        # ok: ysi-raw-sql-from-strings
        cursor.execute("SELECT id FROM incidents_incident WHERE reference = %s", [reference])
