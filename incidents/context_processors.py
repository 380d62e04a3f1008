from django.http import HttpRequest

from incidents import access


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and not is_verified() and access.second_factor_required(user):
        # Still to pass the second factor: nothing but signing out is on offer.
        return {"nav_pending_second_factor": True}
    return {
        "nav_can_browse": access.can_browse_cases(user),
        "nav_can_record": access.can_record_incidents(user),
    }
