"""URLs of the actions after the review (issue 5), included into the "incidents" namespace."""

from django.urls import path

from incidents.views import actions

urlpatterns = [
    path("due/", actions.due_list, name="due_list"),
    path("incidents/<uuid:code>/referrals/new/", actions.referral_add, name="referral_add"),
    path("incidents/<uuid:code>/referrals/<uuid:referral_code>/chase/", actions.referral_chase, name="referral_chase"),
    path(
        "incidents/<uuid:code>/referrals/<uuid:referral_code>/outcome/",
        actions.referral_outcome,
        name="referral_outcome",
    ),
    path("incidents/<uuid:code>/parents/new/", actions.parents_add, name="parents_add"),
    path("incidents/<uuid:code>/devices/new/", actions.device_add, name="device_add"),
    path(
        "incidents/<uuid:code>/devices/<uuid:device_code>/hand-over/",
        actions.device_hand_over,
        name="device_hand_over",
    ),
    path("incidents/<uuid:code>/viewing/new/", actions.viewing_add, name="viewing_add"),
    path("viewing/<uuid:viewing_code>/confirm/", actions.viewing_confirm, name="viewing_confirm"),
    path("incidents/<uuid:code>/seen-unavoidably/new/", actions.unavoidable_add, name="unavoidable_add"),
    path(
        "incidents/<uuid:code>/seen-unavoidably/<uuid:record_code>/support/",
        actions.support_add,
        name="support_add",
    ),
    path("incidents/<uuid:code>/deletion/new/", actions.deletion_decide, name="deletion_decide"),
    path("incidents/<uuid:code>/deletion/<uuid:decision_code>/ask/", actions.deletion_ask, name="deletion_ask"),
    path(
        "incidents/<uuid:code>/deletion/requests/<uuid:request_code>/confirm/",
        actions.deletion_confirm,
        name="deletion_confirm",
    ),
    path(
        "incidents/<uuid:code>/deletion/requests/<uuid:request_code>/escalate/",
        actions.deletion_escalate,
        name="deletion_escalate",
    ),
    path("incidents/<uuid:code>/conversations/new/", actions.conversation_add, name="conversation_add"),
    path("incidents/<uuid:code>/online-reports/new/", actions.online_report_add, name="online_report_add"),
    path("incidents/<uuid:code>/sanctions/new/", actions.sanction_add, name="sanction_add"),
]
