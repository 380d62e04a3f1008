"""The initial review, the risk assessment, "Refer now", decisions and the headteacher's sign-off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from incidents import access, reauth, rules
from incidents.forms.decisions import (
    ReferNowForm,
    ReturnForm,
    ReviewForm,
    ReviseDecisionForm,
    RiskAssessmentForm,
    SignOffForm,
    review_initial,
)
from incidents.models import Decision, SignOff
from incidents.services import decisions as services
from incidents.views.common import add_service_errors


def _assessment_context(assessment: rules.Assessment) -> dict:
    return {
        "recommendation": assessment.recommendation,
        "recommendation_label": rules.RECOMMENDATION_LABELS[assessment.recommendation],
        "refers": assessment.recommendation in (rules.REFER_IMMEDIATELY, rules.REFER),
        "classification": rules.CLASSIFICATION_LABELS[assessment.classification],
        "criteria": [rules.CRITERION_LABELS[c] for c in assessment.criteria],
        "explanation": assessment.explanation,
        "advisories": assessment.advisories,
        "unanswered": assessment.unanswered,
        "policy_quotes": assessment.policy_quotes,
        "rule_set": rules.describe_rule_set(assessment.rule_set).title,
    }


@login_required
def review_create(request: HttpRequest, code: str) -> HttpResponse:
    """The initial review meeting: facts first, the rules' result, then the decision."""
    incident = access.get_incident_for_decisions(request, code, edit=True)
    prefilled = services.prefilled_facts(incident)
    form = ReviewForm(
        request.POST or None,
        incident=incident,
        risk_level=prefilled.risk_level,
        initial={
            **review_initial(prefilled),
            "held_at": timezone.localtime().replace(second=0, microsecond=0),
            "attendees": [request.user],
            **services.latest_context(incident),
        },
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = rules.assess(form.facts, incident.setting.rule_set)
        signature = form.facts_signature()
        if request.POST.get("action") == "record":
            if form.cleaned_data.get("checked") != signature:
                form.add_error(
                    None,
                    "The facts have changed since the rules' result was shown. Read the result below again, "
                    "then record the decision.",
                )
            else:
                try:
                    decision = services.review_record(
                        actor=request.user,
                        incident=incident,
                        held_at=form.cleaned_data["held_at"],
                        attendees=list(form.cleaned_data["attendees"]),
                        other_attendees=form.cleaned_data["other_attendees"],
                        answers=form.answers(),
                        facts=form.facts,
                        outcome=form.cleaned_data["outcome"],
                        reason=form.cleaned_data["reason"],
                        justification=form.cleaned_data["justification"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _recorded_message(decision))
                    return redirect(decision.incident)
        data = form.data.copy()
        data["checked"] = signature
        form.data = data
    return render(
        request,
        "incidents/decision_review_form.html",
        {
            "incident": incident,
            "form": form,
            "result": _assessment_context(result) if result else None,
            "fast_path": rules.SEXTORTION_FAST_PATH,
            "ai_advice": rules.AI_GENERATED_ADVICE,
            "show_fast_path": bool(form.is_bound and form.data.get("financial_sextortion")),
        },
    )


def _recorded_message(decision: Decision) -> str:
    if decision.status == Decision.Status.AWAITING_SIGN_OFF:
        return "Decision recorded. It now waits for the headteacher's sign-off."
    return f"Decision recorded: {decision.get_outcome_display().lower()}."


@login_required
def risk_assessment_create(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_decisions(request, code, edit=True)
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_assessment_record(actor=request.user, incident=incident, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if risk.assessment.refers:
                messages.warning(request, "The rules now recommend a referral. Read why below, then refer now.")
            else:
                messages.success(request, "Risk assessment recorded.")
            return redirect("incidents:risk_assessment_detail", risk.code)
    return render(
        request,
        "incidents/decision_risk_form.html",
        {"incident": incident, "form": form, "prefilled": services.prefilled_facts(incident)},
    )


@login_required
def risk_assessment_detail(request: HttpRequest, code: str) -> HttpResponse:
    risk = access.get_risk_assessment_for_user(request, code)
    incident = risk.incident
    decision = services.current_decision(incident)
    return render(
        request,
        "incidents/decision_risk_detail.html",
        {
            "risk": risk,
            "incident": incident,
            "stored": risk.assessment,
            "needs_referral": risk.assessment.refers and not (decision and decision.is_referral),
            "can_edit": access.can_edit_incident(request.user, incident) and incident.is_open,
        },
    )


@login_required
def refer_now(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_decisions(request, code, edit=True)
    form = ReferNowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalate_refer_now(
                actor=request.user,
                incident=incident,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                immediate_risk_of_harm=form.cleaned_data["immediate_risk_of_harm"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Referral recorded. Make the referral now and record it in the chronology.")
            return redirect(incident)
    return render(
        request,
        "incidents/decision_refer_form.html",
        {"incident": incident, "form": form, "decision": services.current_decision(incident)},
    )


def _decision_context(decision: Decision) -> dict:
    chain = list(
        Decision.objects.filter(incident_id=decision.incident_id)
        .select_related("recorded_by", "sign_off")
        .order_by("recorded_at", "id")
    )
    sign_off = next((d.sign_off for d in chain if d.pk == decision.pk and hasattr(d, "sign_off")), None)
    if sign_off is not None:
        # The decision already loaded with its incident and assessment, so checking the hash costs nothing.
        sign_off.decision = decision
    latest = services.latest_assessment(decision.incident)
    return {
        "decision": decision,
        "incident": decision.incident,
        # What was learnt after the decision (a risk assessment, say), so whoever reads it sees that too.
        "later": latest if latest and latest.pk != decision.assessment_id else None,
        "risks": list(decision.incident.risk_assessments.select_related("assessment").order_by("recorded_at", "id")),
        "stored": decision.assessment,
        "meeting": decision.review_meeting,
        "chain": chain,
        "sign_off": sign_off,
        "superseded_by": next((d for d in chain if d.supersedes_id == decision.pk), None),
    }


@login_required
def decision_detail(request: HttpRequest, code: str) -> HttpResponse:
    decision = access.get_decision_for_user(request, code)
    context = _decision_context(decision)
    context["can_sign"] = (
        access.can_sign_off(request.user, decision.setting_id)
        and decision.status == Decision.Status.AWAITING_SIGN_OFF
        and context["superseded_by"] is None
    )
    context["can_revise"] = (
        access.can_edit_incident(request.user, decision.incident)
        and decision.status in Decision.OPEN_STATUSES
        and context["superseded_by"] is None
    )
    return render(request, "incidents/decision_detail.html", context)


@login_required
def decision_revise(request: HttpRequest, code: str) -> HttpResponse:
    decision = access.get_decision_for_user(request, code, edit=True)
    if decision.status not in Decision.OPEN_STATUSES:
        messages.error(request, f"This decision is {decision.get_status_display().lower()}: it cannot be revised.")
        return redirect("incidents:decision_detail", decision.code)
    form = ReviseDecisionForm(
        request.POST or None,
        decision=decision,
        initial={"outcome": decision.outcome, "reason": decision.reason, "justification": decision.justification},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_revise(
                actor=request.user,
                decision=decision,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Revised decision recorded.")
            return redirect(decision.incident)
    return render(request, "incidents/decision_revise_form.html", {**_decision_context(decision), "form": form})


@login_required
def sign_off_queue(request: HttpRequest) -> HttpResponse:
    setting_ids = access.require_headteacher(request)
    waiting = (
        Decision.objects.awaiting_sign_off()
        .filter(setting_id__in=setting_ids)
        .select_related("incident", "incident__setting", "recorded_by", "assessment")
        .order_by("recorded_at", "id")
    )
    # Not a sign-off, but the policy's flag: a decision that goes against the rules' recommendation
    # (seeking the MASH's advice when the rules say refer) is shown to the headteacher too.
    departures = (
        Decision.objects.current()
        .filter(setting_id__in=setting_ids, departs_from_recommendation=True, status=Decision.Status.RECORDED)
        .select_related("incident", "recorded_by", "assessment")
        .order_by("-recorded_at", "-id")[:20]
    )
    recent = (
        SignOff.objects.filter(setting_id__in=setting_ids)
        .select_related("decision", "decision__incident")
        .order_by("-signed_at", "-id")[:10]
    )
    return render(
        request,
        "incidents/decision_queue.html",
        {"waiting": waiting, "departures": departures, "recent": recent},
    )


@login_required
def decision_sign_off(request: HttpRequest, code: str) -> HttpResponse:
    decision = access.get_decision_for_user(request, code, sign=True)
    sign_form = SignOffForm(request.POST if request.POST.get("action") == "sign" else None)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if sign_form.is_bound and reauth.password_confirmed(
        request, sign_form, purpose="sign off decision", done="signed", incident=decision.incident
    ):
        try:
            services.decision_sign_off(actor=request.user, decision=decision, password_confirmed=True)
        except ValidationError as error:
            add_service_errors(sign_form, error)
        else:
            messages.success(request, f"You signed off the decision on {decision.incident.reference}.")
            return redirect("incidents:sign_off_queue")
    if request.method == "POST" and return_form.is_bound and return_form.is_valid():
        try:
            services.decision_return(
                actor=request.user, decision=decision, comments=return_form.cleaned_data["comments"]
            )
        except ValidationError as error:
            add_service_errors(return_form, error)
        else:
            messages.success(request, f"The decision on {decision.incident.reference} was returned to the DSL.")
            return redirect("incidents:sign_off_queue")
    access.log_read(request, incident=decision.incident)
    return render(
        request,
        "incidents/decision_sign_off.html",
        {
            **_decision_context(decision),
            "sign_form": sign_form,
            "return_form": return_form,
            "statement": SignOff.STATEMENT,
            "digest": decision.content_sha256(),
        },
    )
