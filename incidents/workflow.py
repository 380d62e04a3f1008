"""Which status an incident may move to next. Plain Python: no Django imports.

The statuses follow the policy's course: a report reaches the DSL, the initial review decides
between referral and managing it in the setting, and the incident is closed when the actions are
done. A closed incident can be reopened, with a reason, when new information comes to light.
"""

REPORTED = "reported"
UNDER_REVIEW = "under_review"
REFERRED = "referred"
MANAGED_IN_SETTING = "managed_in_setting"
CLOSED = "closed"

STATUSES = (REPORTED, UNDER_REVIEW, REFERRED, MANAGED_IN_SETTING, CLOSED)
OPEN_STATUSES = (REPORTED, UNDER_REVIEW, REFERRED, MANAGED_IN_SETTING)

# The policy allows escalation "at any time if further information/concerns come to light", so
# every open status may move to "referred".
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    REPORTED: frozenset({UNDER_REVIEW, REFERRED, MANAGED_IN_SETTING, CLOSED}),
    UNDER_REVIEW: frozenset({REFERRED, MANAGED_IN_SETTING, CLOSED}),
    REFERRED: frozenset({MANAGED_IN_SETTING, CLOSED}),
    MANAGED_IN_SETTING: frozenset({REFERRED, CLOSED}),
    CLOSED: frozenset({UNDER_REVIEW}),
}


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def needs_reason(current: str, target: str) -> bool:
    """Reopening and closing change what everyone relies on, so both must say why."""
    return target == CLOSED or current == CLOSED


def is_reopening(current: str, target: str) -> bool:
    return current == CLOSED and target != CLOSED
