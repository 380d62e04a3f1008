"""The audit pack: one signed PDF of every incident in a period, with totals and statistics."""

from datetime import date

from incidents.models import AccessLogEntry, ExportLog, Setting
from incidents.services.exports import Requester, export_document, register_fingerprint
from incidents.services.statistics import Period, audit_pack, statistics_for


def build_audit_pack(*, setting: Setting, period: Period, initials_only: bool, for_governors: bool):
    pack = audit_pack(setting=setting, period=period, initials_only=initials_only, for_governors=for_governors)
    pack.statistics = statistics_for([setting.pk], period, for_governors=for_governors)
    return pack


@register_fingerprint(ExportLog.Kind.AUDIT_PACK)
def _fingerprint_of_export(export: ExportLog) -> str:
    params = export.params
    pack = audit_pack(
        setting=export.setting,
        period=Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"])),
        initials_only=params["initials_only"],
        for_governors=params["for_governors"],
    )
    return pack.fingerprint()


def export_audit_pack(
    *,
    setting: Setting,
    period: Period,
    initials_only: bool,
    for_governors: bool,
    requester: Requester,
    via: str = "web",
) -> tuple[ExportLog, bytes]:
    pack = build_audit_pack(setting=setting, period=period, initials_only=initials_only, for_governors=for_governors)
    return export_document(
        kind=ExportLog.Kind.AUDIT_PACK,
        setting=setting,
        requester=requester,
        access_action=AccessLogEntry.Action.DOWNLOAD_AUDIT_PACK,
        title=f"Audit pack {period}",
        template_name="pdf/audit_pack.html",
        context={"pack": pack},
        content_hash=pack.fingerprint(),
        params={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "initials_only": pack.initials_only,
            "for_governors": for_governors,
        },
        via=via,
    )
