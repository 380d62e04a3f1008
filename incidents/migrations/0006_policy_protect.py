from django.db import migrations

from incidents.db_triggers import protect_table, unprotect_table

# An adopted policy version and a read confirmation are evidence: never changed, never deleted.
TABLES = ["incidents_policyversion", "incidents_readconfirmation"]


def forwards(apps, schema_editor):
    for table in TABLES:
        protect_table(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unprotect_table(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_policy")]

    operations = [migrations.RunPython(forwards, backwards)]
