"""The signed PDF of an adopted policy version, written to the export log like every other document."""

from incidents import rules
from incidents.models import AccessLogEntry, ExportLog, PolicyVersion
from incidents.services.exports import Requester, export_document, register_fingerprint
from incidents.services.policy import version_document

POLICY_DOCUMENT = "policy"


def policy_pdf_title(version: PolicyVersion) -> str:
    return f"Youth produced sexual imagery policy, version {version.number}"


@register_fingerprint(ExportLog.Kind.DOCUMENT, POLICY_DOCUMENT)
def _policy_fingerprint_of_export(export: ExportLog) -> str:
    # An adopted version never changes (database triggers refuse it), so its own hash is its state.
    version = PolicyVersion.objects.filter(setting_id=export.setting_id, code=export.params["version"]).first()
    return version.content_sha256 if version else ""


def export_policy_version(*, version: PolicyVersion, requester: Requester) -> tuple[ExportLog, bytes]:
    return export_document(
        kind=ExportLog.Kind.DOCUMENT,
        setting=version.setting,
        requester=requester,
        access_action=AccessLogEntry.Action.DOWNLOAD_POLICY,
        title=policy_pdf_title(version),
        template_name="pdf/policy.html",
        context={
            "version": version,
            "document": version_document(version),
            "rule_set_title": rules.describe_rule_set(version.rule_set).title,
        },
        content_hash=version.content_sha256,
        params={"document": POLICY_DOCUMENT, "version": str(version.code), "number": version.number},
        marking="OFFICIAL",
    )
