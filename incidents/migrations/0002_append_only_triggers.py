from django.db import migrations

from incidents.db_triggers import protect_table, unprotect_table

TABLES = ["incidents_chronologyentry", "incidents_accesslogentry"]


def forwards(apps, schema_editor):
    for table in TABLES:
        protect_table(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unprotect_table(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
