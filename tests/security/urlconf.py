"""Walking the URLconf and requesting each pattern, for the permission matrix and the other
security tests that must cover every page, including pages added later."""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from incidents.models import AccessLogEntry
from tests.security.world import SettingWorld, World


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", the matrix's row name
    namespace: str
    name: str | None
    route: str  # the whole route, e.g. "incidents/<uuid:code>/edit/"
    kwargs: tuple[str, ...]
    callback: object


def _kwarg_names(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every URL pattern of the project, recursively, with its namespace and whole route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}:{entry.name}" if namespace else (entry.name or route)
            if entry.name is None:
                key = f"{namespace}:<{str(entry.pattern)}>" if namespace else f"<{route}>"
            yield Pattern(
                key=key,
                namespace=namespace,
                name=entry.name,
                route=route,
                kwargs=_route_kwargs(route),
                callback=entry.callback,
            )


def _route_kwargs(route: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    names += re.findall(r"\(\?P<(\w+)>", route)
    return tuple(names)


# --- Which record of the fixture world each URL keyword names --------------------------------

# A keyword that always names the same kind of record.
KWARG_OBJECTS = {
    "setting_code": "setting",
    "involvement_code": "involvement",
    "referral_code": "referral",
    "device_code": "device",
    "viewing_code": "viewing",
    "record_code": "unavoidable",
    "decision_code": "deletion_decision",
    "request_code": "deletion_request",
    "username": "granted_user",
}
# `code` names the record of the path segment in front of it ("incidents/<uuid:code>/...").
CODE_OBJECTS = {
    "incidents": "incident",
    "people": "young_person",
    "report": "disclosure",
    "disclosures": "disclosure",
    "outbox": "outbox_email",
    "risk-assessments": "risk_assessment",
    "decisions": "decision",
    "transfers": "transfer",
    "versions": "policy_version",
    "training": "training_session",
}


def _admin_example(route: str) -> str:
    """An address for an admin pattern (a mix of routes and regexes): a non-superuser is refused
    before any keyword is looked up, so any well-formed value does."""
    route = re.sub(r"\(\?P<app_label>[^)]*\)", "incidents", route)
    route = re.sub(r"\(\?P<url>[^)]*\)", "no-such-page/", route)
    route = re.sub(r"<[^>]+>|\([^)]*\)", "1", route)
    return route.replace("^", "").replace("$", "")


class UnknownKeyword(LookupError):
    pass


def object_name(route: str, kwarg: str) -> str:
    if kwarg in KWARG_OBJECTS:
        return KWARG_OBJECTS[kwarg]
    if kwarg == "code":
        match = re.search(r"([\w-]+)/<(?:\w+:)?code>", route)
        if match and match.group(1) in CODE_OBJECTS:
            return CODE_OBJECTS[match.group(1)]
    raise UnknownKeyword(
        f"The URL {route!r} takes <{kwarg}>, and tests/security/urlconf.py does not know which record that "
        "names. Add it to KWARG_OBJECTS (or CODE_OBJECTS for a <code> after a new path segment), and make "
        "sure tests/security/world.py builds one in each setting."
    )


def kwarg_value(world: SettingWorld, name: str) -> str:
    if name == "setting":
        return str(world.setting.code)
    if name == "granted_user":
        return world.users["granted"].username
    return str(world.objects[name].code)


def url_for(pattern: Pattern, world: World, overrides: dict[str, str] | None = None) -> str:
    """The pattern's address filled with setting A's records (and any `overrides`)."""
    if pattern.namespace == "admin":
        return "/" + _admin_example(pattern.route)
    kwargs = {name: kwarg_value(world.a, object_name(pattern.route, name)) for name in pattern.kwargs}
    kwargs.update(overrides or {})
    return reverse(pattern.key, kwargs=kwargs)


# --- Requesting a page without changing anything --------------------------------------------

REFUSED = {"login", "admin-login", "403", "404", "405"}
# Refusals write to the access log (and move its chain head); sessions change on every request.
# Signing out (a redirect to sign in) writes the security log and ends the session's UserSession row.
NOT_COUNTED = {
    "incidents.accesslogentry",
    "incidents.auditchainhead",
    "sessions.session",
    "incidents.securityevent",
    "incidents.usersession",
}


def outcome(response) -> str:
    """What a response amounts to: a status code, or "login"/"admin-login" for a redirect to sign in."""
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        if path == resolve_url(settings.LOGIN_URL):
            return "login"
        if path == reverse("admin:login"):
            return "admin-login"
        return "302"
    return str(response.status_code)


def row_counts() -> dict[str, int]:
    """The number of rows in every table the app's models use, in one query."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.label_lower not in NOT_COUNTED]
    quote = connection.ops.quote_name
    # Table names come from the models, nothing typed by anyone.
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        values = cursor.fetchone()
    return {m._meta.label_lower: value for m, value in zip(models, values, strict=True)}


@dataclass
class Result:
    outcome: str
    response: object
    written: dict[str, int]  # table -> rows added (or removed), refused or not
    logged: list[str]  # actions of access-log entries written


def request_and_undo(client: Client, method: str, url: str, data: dict | None = None) -> Result:
    """Send one request and roll back whatever it wrote (and its session cookie), reporting both."""
    cookies = copy.deepcopy(client.cookies)
    last_log = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        before = row_counts()
        response = getattr(client, method.lower())(url, data or {})
        after = row_counts()
        logged = list(AccessLogEntry.objects.filter(pk__gt=last_log).values_list("action", flat=True))
        transaction.set_rollback(True)
    client.cookies = cookies
    written = {table: after[table] - before[table] for table in before if after[table] != before[table]}
    return Result(outcome(response), response, written, logged)
