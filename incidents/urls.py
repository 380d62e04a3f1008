from django.urls import include, path

from incidents.views import audit, disclosures, home, incidents, outbox, people, policy, records, transfers
from incidents.views import decisions as decision_views

app_name = "incidents"

urlpatterns = [
    path("", home.home, name="home"),
    path("welcome/", home.staff_home, name="staff_home"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create_view, name="incident_create"),
    path("incidents/<uuid:code>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<uuid:code>/edit/", incidents.incident_edit, name="incident_edit"),
    path("incidents/<uuid:code>/status/", incidents.incident_status, name="incident_status"),
    path("incidents/<uuid:code>/notes/", incidents.incident_note, name="incident_note"),
    path("incidents/<uuid:code>/people/add/", incidents.involvement_add_view, name="involvement_add"),
    path(
        "incidents/<uuid:code>/people/<uuid:involvement_code>/remove/",
        incidents.involvement_remove_view,
        name="involvement_remove",
    ),
    path("incidents/<uuid:code>/access/", incidents.grant_add, name="grant_add"),
    path("incidents/<uuid:code>/access/<str:username>/revoke/", incidents.grant_revoke, name="grant_revoke"),
    path("people/", people.young_person_list, name="young_person_list"),
    path("people/new/", people.young_person_create_view, name="young_person_create"),
    path("people/<uuid:code>/", people.young_person_detail, name="young_person_detail"),
    path("people/<uuid:code>/edit/", people.young_person_edit, name="young_person_edit"),
    #
    # -- Disclosures and reporting (issue 3) --
    #
    path("outbox/<uuid:code>/retry/", outbox.outbox_retry_view, name="outbox_retry"),
    path("report/", disclosures.report, name="report"),
    path("report/mine/", disclosures.my_reports, name="my_reports"),
    path("report/<uuid:code>/", disclosures.receipt, name="disclosure_receipt"),
    path("report/<uuid:code>/add/", disclosures.add_to_own_report, name="disclosure_add"),
    path("disclosures/<uuid:code>/acknowledge/", disclosures.acknowledge, name="disclosure_acknowledge"),
    path("disclosures/<uuid:code>/merge/", disclosures.merge, name="disclosure_merge"),
    path("disclosures/<uuid:code>/annotate/", disclosures.annotate, name="disclosure_annotate"),
    #
    # -- Review, assessments and decisions (issue 4) --
    #
    path("incidents/<uuid:code>/review/", decision_views.review_create, name="review_create"),
    path(
        "incidents/<uuid:code>/risk-assessment/",
        decision_views.risk_assessment_create,
        name="risk_assessment_create",
    ),
    path("incidents/<uuid:code>/refer-now/", decision_views.refer_now, name="refer_now"),
    path("risk-assessments/<uuid:code>/", decision_views.risk_assessment_detail, name="risk_assessment_detail"),
    path("decisions/<uuid:code>/", decision_views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:code>/revise/", decision_views.decision_revise, name="decision_revise"),
    path("decisions/<uuid:code>/sign-off/", decision_views.decision_sign_off, name="decision_sign_off"),
    path("sign-offs/", decision_views.sign_off_queue, name="sign_off_queue"),
    #
    # -- Actions after the review (issue 5) --
    #
    path("", include("incidents.urls_actions")),
    #
    # -- Records, PDFs and audit (issue 6) --
    #
    path("incidents/<uuid:code>/accessed/", records.incident_access_log, name="incident_access_log"),
    path("incidents/<uuid:code>/record/", records.record_download, name="record_download"),
    path("statistics/", audit.statistics_view, name="statistics"),
    path("audit-pack/", audit.audit_pack_view, name="audit_pack"),
    path("transfers/", transfers.transfer_list, name="transfer_list"),
    path("transfers/<uuid:code>/receipt/", transfers.transfer_receipt, name="transfer_receipt"),
    path("people/<uuid:code>/transfer/", transfers.transfer_person, name="transfer_person"),
    path("people/<uuid:code>/transfer/record/", transfers.transfer_record_view, name="transfer_record"),
    #
    # -- Security and accounts (issue 7) --
    #
    #
    # -- The setting's policy and training (issue 8) --
    #
    path("policy/", policy.policy_index, name="policy_index"),
    path("policy/read/", policy.policy_read, name="policy_read"),
    path("policy/read/later/", policy.policy_defer, name="policy_defer"),
    path("policy/<uuid:setting_code>/", policy.policy_current, name="policy_current"),
    path("policy/<uuid:setting_code>/draft/", policy.policy_edit, name="policy_edit"),
    path("policy/<uuid:setting_code>/draft/preview/", policy.policy_preview, name="policy_preview"),
    path("policy/<uuid:setting_code>/draft/adopt/", policy.policy_adopt, name="policy_adopt"),
    path("policy/<uuid:setting_code>/versions/", policy.policy_versions, name="policy_versions"),
    path("policy/<uuid:setting_code>/versions/<uuid:code>/", policy.policy_version, name="policy_version"),
    path("policy/<uuid:setting_code>/versions/<uuid:code>/confirm/", policy.policy_confirm, name="policy_confirm"),
    path("policy/<uuid:setting_code>/versions/<uuid:code>/pdf/", policy.policy_pdf, name="policy_pdf"),
    path("policy/<uuid:setting_code>/staff/", policy.staff_policy_status, name="staff_policy_status"),
    path("policy/<uuid:setting_code>/training/", policy.training_list, name="training_list"),
    path("policy/<uuid:setting_code>/training/new/", policy.training_create, name="training_create"),
    path("policy/<uuid:setting_code>/training/<uuid:code>/", policy.training_detail, name="training_detail"),
    path("policy/<uuid:setting_code>/training/<uuid:code>/edit/", policy.training_edit, name="training_edit"),
]
