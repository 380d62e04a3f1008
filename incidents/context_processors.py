from django.http import HttpRequest

from incidents import access


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_browse": access.can_browse_cases(user),
        "nav_can_record": access.can_record_incidents(user),
    }
