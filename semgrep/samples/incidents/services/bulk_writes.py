# A sample that ysi-bulk-write-on-audited-case-model must flag (ruleid) and must not flag (ok).
from incidents.models import ChronologyEntry, Incident, OutboxEmail, YoungPerson


def bad(incident, people, rows):
    # ruleid: ysi-bulk-write-on-audited-case-model
    Incident.objects.filter(pk=incident.pk).update(summary="rewritten")
    # ruleid: ysi-bulk-write-on-audited-case-model
    Incident.objects.filter(setting=incident.setting).exclude(pk=incident.pk).update(status="closed")
    # ruleid: ysi-bulk-write-on-audited-case-model
    YoungPerson.objects.bulk_update(people, ["last_name"])
    # ruleid: ysi-bulk-write-on-audited-case-model
    ChronologyEntry.objects.bulk_create(rows)


def good(email):
    # ok: ysi-bulk-write-on-audited-case-model
    OutboxEmail.objects.filter(pk=email.pk).update(status="sent")
