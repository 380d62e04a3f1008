"""THE PERMISSION MATRIX: who may use every page of YSI, decided once, here, for every URL pattern.

tests/security/test_permission_matrix.py walks the URLconf and, for every pattern, every role and
GET and POST, checks the answer against this table. A URL pattern without a row fails the test, so
no page can be added without deciding who may use it; a row without a URL pattern fails too.

Roles (columns, always in this order), all in setting A unless said otherwise:

    anon       not signed in
    staff      a member of staff (reports concerns; sees no case records)
    granted    a member of staff a DSL granted one incident (the one the URLs name)
    dsl        the designated safeguarding lead
    deputy     a deputy DSL
    head       the headteacher
    auditor    an auditor (reads everything of the setting, changes nothing)
    other_dsl  the DSL of setting B: A's records must answer exactly as if they did not exist

Outcomes: a status code ("200", "302", "400", "403", "404", "405"), or "login" (redirected to sign
in) or "admin-login" (redirected to the admin's sign-in). The URL's keywords are filled with setting
A's records (tests/security/urlconf.py says which keyword names which record). POSTs are sent with
no data: a form shown again with its errors ("200"/"400") means the role may use it. For every
refusal (login, 403, 404, 405) the test also checks that nothing was written but the access log's
"refused" entry.

To add a row: write the URL's "namespace:name", then one line of eight outcomes for GET and one for
POST. Use a named line below when it says what you mean; otherwise write the eight outcomes out.
"""

# fmt: off
# One line = the outcome for each role:     anon   staff granted dsl  deputy head auditor other_dsl
SIGNED_IN =                                 "login 200   200     200  200    200  200     200"
SIGNED_IN_REDIRECT =                        "login 302   302     302  302    302  302     302"
POST_ONLY =                                 "login 405   405     405  405    405  405     405"
SIGNED_IN_BAD_POST =                        "login 400   400     400  400    400  400     400"
# Lists and pages for whoever browses cases (team, head, auditor); B's DSL sees its own setting's.
CASE_BROWSERS =                             "login 403   403     200  200    200  200     200"
# Recording new incidents and young people: the DSL and deputies (B's DSL, in B).
RECORDERS =                                 "login 403   403     200  200    403  403     200"
# The incident page: the team, head, auditor and the member of staff granted it; not staff, not B.
INCIDENT_READ =                             "login 404   200     200  200    200  200     404"
# Changing an incident: the DSL and deputies; those who may see it but not change it get 403.
INCIDENT_EDIT =                             "login 404   403     200  200    403  403     404"
INCIDENT_EDIT_POSTED =                      "login 404   403     400  400    403  403     404"
# Young people, decisions, assessments: the case roles only; a single grant does not open them.
CASE_READ =                                 "login 404   404     200  200    200  200     404"
CASE_EDIT =                                 "login 404   404     200  200    403  403     404"
CASE_EDIT_POSTED =                          "login 404   404     400  400    403  403     404"
# The setting's policy: every member of setting A reads it; B's DSL is not a member.
POLICY_MEMBERS =                            "login 200   200     200  200    200  200     404"
POLICY_MEMBERS_REDIRECT =                   "login 302   302     302  302    302  302     404"
# Who has read the policy and been trained: the team, head and auditor.
STAFF_RECORDS =                             "login 403   403     200  200    200  200     404"
TRAINING_WRITERS =                          "login 403   403     200  200    200  403     404"
POLICY_WRITERS =                            "login 403   403     200  403    200  403     404"
ADMIN_REFUSED =                             "admin-login admin-login admin-login admin-login admin-login admin-login admin-login admin-login"  # noqa: E501
EVERYONE_200 =                              "200   200   200     200  200    200  200     200"
EVERYONE_302 =                              "302   302   302     302  302    302  302     302"
EVERYONE_405 =                              "405   405   405     405  405    405  405     405"

MATRIX: dict[str, tuple[str, str]] = {
    # url name                           GET, then POST
    # -- Signing in ------------------------------------------------------------------------------
    "login":                             ("200   302   302     302  302    302  302     302",   # signed in: home
                                          "200   302   302     302  302    302  302     302"),
    "logout":                            (EVERYONE_405,
                                          "login login login   login login login login  login"),
    # -- The signed-in person's own account (issue 7): nobody else's account is ever named -----------
    "accounts:account":                  (SIGNED_IN, SIGNED_IN),
    # The code after the password: those already verified (and staff with no authenticator) move on.
    "accounts:two_factor":               (SIGNED_IN_REDIRECT, SIGNED_IN_REDIRECT),
    # Setting one up: staff may choose to; whoever has one already is sent to their account page.
    "accounts:two_factor_setup":         ("login 200   200     302  302    302  302     302",
                                          "login 400   400     302  302    302  302     302"),
    # A new authenticator, recovery codes and a new password all ask for the password (400 without).
    "accounts:two_factor_replace":       (EVERYONE_405, SIGNED_IN_BAD_POST),
    "accounts:recovery_codes":           (SIGNED_IN, SIGNED_IN_BAD_POST),
    "accounts:password_change":          (SIGNED_IN, SIGNED_IN_BAD_POST),
    # Ends every session of the person, this one too: back to the sign-in page.
    "accounts:sign_out_everywhere":      (EVERYONE_405, "login login login   login login login login  login"),
    # -- Home pages --------------------------------------------------------------------------------
    "incidents:home":                    (SIGNED_IN_REDIRECT, SIGNED_IN_REDIRECT),
    "incidents:staff_home":              (SIGNED_IN, SIGNED_IN),
    "incidents:dashboard":               (CASE_BROWSERS, CASE_BROWSERS),
    # Every date due (the dashboard shows the first fifty): read only.
    "incidents:due_list":                (CASE_BROWSERS, "login 405   405     405  405    405  405     405"),
    # -- Incidents ---------------------------------------------------------------------------------
    "incidents:incident_list":           (CASE_BROWSERS, CASE_BROWSERS),
    "incidents:incident_create":         (RECORDERS, RECORDERS),
    "incidents:incident_detail":         (INCIDENT_READ, INCIDENT_READ),
    "incidents:incident_edit":           (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:incident_status":         (POST_ONLY, INCIDENT_EDIT_POSTED),
    # Anyone who may read the incident adds notes to it (head, auditor, the granted member of staff).
    "incidents:incident_note":           (POST_ONLY, "login 404   400     400  400    400  400     404"),
    "incidents:involvement_add":         (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:involvement_remove":      (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:grant_add":               (POST_ONLY, INCIDENT_EDIT_POSTED),
    "incidents:grant_revoke":            (POST_ONLY, "login 404   403     302  302    403  403     404"),
    # -- Young people ------------------------------------------------------------------------------
    "incidents:young_person_list":       (CASE_BROWSERS, CASE_BROWSERS),
    "incidents:young_person_create":     (RECORDERS, RECORDERS),
    "incidents:young_person_detail":     (CASE_READ, CASE_READ),
    "incidents:young_person_edit":       (CASE_EDIT, CASE_EDIT),
    # -- Reporting a concern and acting on reports -------------------------------------------------
    # Only the DSL and deputies see the outbox; to everyone else an email does not exist.
    "incidents:outbox_retry":            (POST_ONLY, "login 404   404     302  302    404  404     404"),
    # A report sent signed out is not lost: 403 with the text shown back.
    "incidents:report":                  ("login 200   200     200  200    200  200     200",
                                          "403   200   200     200  200    200  200     200"),
    "incidents:my_reports":              (SIGNED_IN, SIGNED_IN),
    # A report is its reporter's (staff made it); the team reads it on the incident.
    "incidents:disclosure_receipt":      ("login 200   404     404  404    404  404     404",
                                          "login 200   404     404  404    404  404     404"),
    "incidents:disclosure_add":          (POST_ONLY, "login 200   404     404  404    404  404     404"),
    "incidents:disclosure_acknowledge":  (POST_ONLY, "login 404   404     302  302    403  403     404"),
    "incidents:disclosure_merge":        (CASE_EDIT, CASE_EDIT),
    "incidents:disclosure_annotate":     (POST_ONLY, "login 404   404     302  302    403  403     404"),
    # -- Review, assessments and decisions ---------------------------------------------------------
    "incidents:review_create":           (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:risk_assessment_create":  (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:refer_now":               (INCIDENT_EDIT, INCIDENT_EDIT),
    "incidents:risk_assessment_detail":  (CASE_READ, CASE_READ),
    "incidents:decision_detail":         (CASE_READ, CASE_READ),
    "incidents:decision_revise":         (CASE_EDIT, CASE_EDIT),
    # Only the headteacher of the decision's setting signs it off.
    "incidents:decision_sign_off":       ("login 404   404     403  403    200  403     404",
                                          "login 404   404     403  403    200  403     404"),
    "incidents:sign_off_queue":          ("login 403   403     403  403    200  403     403",
                                          "login 403   403     403  403    200  403     403"),
    # -- Actions after the review: the DSL and deputies record them ---------------------------------
    "incidents:referral_add":            (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:referral_chase":          (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:referral_outcome":        (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:parents_add":             (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:device_add":              (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:device_hand_over":        (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:viewing_add":             (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    # The viewer (the DSL) and the witness (the deputy) confirm the one record they are named on.
    "incidents:viewing_confirm":         ("login 404   404     200  200    404  404     404",
                                          "login 404   404     400  400    404  404     404"),
    "incidents:unavoidable_add":         (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:support_add":             (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:deletion_decide":         (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:deletion_ask":            (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:deletion_confirm":        (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:deletion_escalate":       (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:conversation_add":        (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:online_report_add":       (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    "incidents:sanction_add":            (INCIDENT_EDIT, INCIDENT_EDIT_POSTED),
    # -- Records, PDFs and audit -------------------------------------------------------------------
    # Who has accessed an incident: the DSL and the headteacher.
    "incidents:incident_access_log":     ("login 404   403     200  403    200  403     404",
                                          "login 404   403     200  403    200  403     404"),
    # The signed record: the DSL, the headteacher and auditors export it (password asked: 400 without).
    "incidents:record_download":         ("login 404   403     200  403    200  200     404",
                                          "login 404   403     400  403    400  400     404"),
    "incidents:statistics":              (CASE_BROWSERS, CASE_BROWSERS),
    "incidents:audit_pack":              (CASE_BROWSERS, "login 403   403     400  400    400  400     400"),
    "incidents:transfer_list":           (RECORDERS, RECORDERS),
    "incidents:transfer_receipt":        (POST_ONLY, "login 404   404     400  400    404  404     404"),
    "incidents:transfer_person":         (CASE_EDIT, CASE_EDIT_POSTED),
    "incidents:transfer_record":         (POST_ONLY, CASE_EDIT_POSTED),
    # -- The setting's policy and training ---------------------------------------------------------
    "incidents:policy_index":            (SIGNED_IN_REDIRECT, SIGNED_IN_REDIRECT),  # to their setting's
    "incidents:policy_read":             (SIGNED_IN_REDIRECT, SIGNED_IN_REDIRECT),  # nothing left to read
    "incidents:policy_defer":            (POST_ONLY, SIGNED_IN_REDIRECT),
    "incidents:policy_current":          (POLICY_MEMBERS, POLICY_MEMBERS),
    "incidents:policy_edit":             (POLICY_WRITERS, POLICY_WRITERS),
    "incidents:policy_preview":          (POLICY_WRITERS, POLICY_WRITERS),
    # Only the headteacher adopts (a GET goes back to the preview; an empty POST is refused as invalid).
    "incidents:policy_adopt":            ("login 403   403     403  403    302  403     404",
                                          "login 403   403     403  403    400  403     404"),
    "incidents:policy_versions":         (POLICY_MEMBERS, POLICY_MEMBERS),
    "incidents:policy_version":          (POLICY_MEMBERS, POLICY_MEMBERS),
    "incidents:policy_confirm":          (POST_ONLY, POLICY_MEMBERS_REDIRECT),
    # The policy is no secret inside the setting: every member downloads the signed PDF (password asked).
    "incidents:policy_pdf":              (POLICY_MEMBERS, "login 400   400     400  400    400  400     404"),
    "incidents:staff_policy_status":     (STAFF_RECORDS, STAFF_RECORDS),
    "incidents:training_list":           (STAFF_RECORDS, STAFF_RECORDS),
    "incidents:training_create":         (TRAINING_WRITERS, TRAINING_WRITERS),
    "incidents:training_detail":         (STAFF_RECORDS, STAFF_RECORDS),
    "incidents:training_edit":           (TRAINING_WRITERS, TRAINING_WRITERS),
    # -- The Django admin: superusers only (tested separately); for every role here it is refused --
    "admin:login":                       (EVERYONE_200, EVERYONE_200),  # the form; signing in is refused
    "admin:logout":                      (EVERYONE_302, EVERYONE_302),
}
# fmt: on

# Every other page of the admin site answers every role of the matrix alike: the site's one
# permission check (ysi/admin_site.py: active superusers only) runs before any page.
WHOLE_SITES = {"admin": (ADMIN_REFUSED, ADMIN_REFUSED)}

ROLES = ("anon", "staff", "granted", "dsl", "deputy", "head", "auditor", "other_dsl")
OUTCOMES = {"200", "302", "400", "403", "404", "405", "login", "admin-login"}


def expected(key: str, namespace: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """The row for a URL pattern as {role: outcome} for GET and for POST, or None if it has none."""
    lines = MATRIX.get(key) or WHOLE_SITES.get(namespace)
    if lines is None:
        return None
    return tuple(dict(zip(ROLES, line.split(), strict=True)) for line in lines)  # type: ignore[return-value]
