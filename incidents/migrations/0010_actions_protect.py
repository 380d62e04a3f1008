from django.db import migrations

from incidents.db_triggers import protect_table, unprotect_table

# Follow-ups, hand-overs and decisions are evidence: once written they are never changed. A
# viewing record may still be confirmed by its viewer and witness, and is fixed once both have.
APPEND_ONLY = [
    "incidents_referralchase",
    "incidents_custodyentry",
    "incidents_parentsdecision",
    "incidents_deletiondecision",
    "incidents_conversation",
    "incidents_onlinereport",
    "incidents_sanction",
]
FIXED_WHEN = {
    "incidents_viewingrecord": "OLD.viewer_confirmed_at IS NOT NULL AND OLD.witness_confirmed_at IS NOT NULL",
}


def forwards(apps, schema_editor):
    for table in APPEND_ONLY:
        protect_table(schema_editor, table)
    for table, condition in FIXED_WHEN.items():
        protect_table(schema_editor, table, when_old=condition)


def backwards(apps, schema_editor):
    for table in [*APPEND_ONLY, *FIXED_WHEN]:
        unprotect_table(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0009_actions_after_review")]

    operations = [migrations.RunPython(forwards, backwards)]
