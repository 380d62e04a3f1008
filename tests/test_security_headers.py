"""Headers and transport (issue 7): production settings pass `check --deploy`, and every kind of page
the app answers carries the security headers, a Content-Security-Policy without 'unsafe-inline',
and Cache-Control: no-store; none of their HTML holds inline script or style."""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import include, path, reverse

from tests.factories import PASSWORD
from tests.signin import session_write_due
from tests.test_disclosures import form_data

ROOT = Path(__file__).resolve().parent.parent


def boom(request):
    raise RuntimeError("A deliberate failure, to render the 500 page.")


# This module doubles as a URLconf: the app's own URLs plus one that fails, for the 500 page.
urlpatterns = [path("boom/", boom), path("", include("ysi.urls"))]
handler400 = "incidents.views.errors.bad_request"


# --- check --deploy under production settings -------------------------------------------------


def production_env(**overrides) -> dict[str, str]:
    """The environment of a production process: DEBUG off, a real key, a host name, nothing else."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DJANGO_SETTINGS_MODULE": "ysi.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ysi.example.org",
        "DATABASE_URL": "sqlite://:memory:",
        "YSI_VAR_DIR": os.environ["YSI_VAR_DIR"],
    }
    env.update(overrides)
    return env


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**overrides) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({n: getattr(s, n)"
        " for n in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'DEBUG')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**overrides), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_check_deploy_with_nothing_to_report():
    result = check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_would_notice_a_weakened_setting():
    # The test above can fail: turning HTTPS redirection off is reported.
    result = check_deploy(SECURE_SSL_REDIRECT="0")

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_defaults_to_https_only_cookies_redirect_and_a_year_of_hsts():
    values = production_settings()

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "DEBUG": False,
    }


def test_hsts_lifetime_is_configurable():
    assert production_settings(SECURE_HSTS_SECONDS="3600")["SECURE_HSTS_SECONDS"] == 3600


def test_plain_http_on_loopback_turns_off_the_redirect_and_hsts_with_the_secure_cookies():
    # `make prod-like` serves http://127.0.0.1:8080 with SECURE_COOKIES=0 (see deploy/prod-like).
    values = production_settings(SECURE_COOKIES="0")

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]


def test_the_prod_like_environment_keeps_plain_http_working():
    script = (ROOT / "deploy" / "prod-like").read_text()

    assert "SECURE_COOKIES=0" in script
    assert "SECURE_SSL_REDIRECT=0" in script


# --- Transport with HTTPS on --------------------------------------------------------------------

HTTPS_ON = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https():
    with override_settings(**HTTPS_ON):
        response = Client().get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
def test_https_answers_carry_hsts_and_https_only_httponly_cookies(client_for, dsl):
    with override_settings(**HTTPS_ON):
        login_page = Client().get("/accounts/login/", secure=True)
        # The test client loads the middleware on its first request: this one, under HTTPS_ON.
        home = session_write_due(client_for(dsl)).get(reverse("incidents:dashboard"), secure=True)

    assert login_page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    session = home.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_no_script_reads_the_csrf_cookie():
    for script in (ROOT / "static" / "js").rglob("*.js"):
        assert "cookie" not in script.read_text().lower(), f"{script} reads cookies: use the form's token"


# --- Every kind of page: headers, CSP, no-store, and no inline script or style -----------------


class InlineFinder(HTMLParser):
    """Everything a CSP without 'unsafe-inline' would block in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style> block")
        if tag == "script":
            if "src" not in names and names.get("type") not in ("application/json", "application/ld+json"):
                self.found.append("inline <script>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def assert_secure_headers(response, what: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("default-src") == ["'none'"], f"{what}: {csp!r}"
    assert directives.get("script-src") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("style-src") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: {csp!r}"
    assert directives.get("form-action") == ["'self'"], f"{what}: {csp!r}"
    assert directives.get("base-uri") == ["'none'"], f"{what}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{what}: {csp!r}"
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, f"{what}: {permissions!r}"
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("Referrer-Policy") == "same-origin", what
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", what
    assert response.get("Cache-Control") == "no-store", f"{what}: {response.get('Cache-Control')!r}"


IMAGERY = "data:image/png;base64,iVBORw0KGgo="


@pytest.fixture
def pages(db, signing_key, client_for, oakfield, dsl, head, staff, incident, other_incident):
    """One of each kind of page, fetched as the person who would see it: (what, response)."""
    from tests.test_policy import adopt, complete_draft

    anonymous = Client()
    answers = [
        ("sign-in page", anonymous.get(reverse("login"))),
        ("signed-out report (text shown back)", anonymous.post(reverse("incidents:report"), form_data(oakfield))),
    ]
    client = client_for(dsl)
    answers += [
        ("dashboard", client.get(reverse("incidents:dashboard"))),
        ("incident list", client.get(reverse("incidents:incident_list"))),
        ("incident detail", client.get(incident.get_absolute_url())),
        ("statistics with SVG charts", client.get(reverse("incidents:statistics"))),
        ("policy editor", client.get(reverse("incidents:policy_edit", args=[oakfield.code]))),
        ("404 for another setting's incident", client.get(other_incident.get_absolute_url())),
        ("404 for no page at all", client.get("/no-such-page/")),
        ("400 imagery refused", client.post(reverse("incidents:report"), {"what_was_said": IMAGERY})),
    ]
    client = client_for(staff)
    answers += [
        ("report form", client.get(reverse("incidents:report"))),
        ("403 for staff on the dashboard", client.get(reverse("incidents:dashboard"))),
    ]
    # Adopted last: once a policy is in force, pages first ask each member to read it.
    version = adopt(complete_draft(oakfield, dsl), head)
    pdf_url = reverse("incidents:policy_pdf", args=[oakfield.code, version.code])
    answers.append(("signed PDF", client_for(dsl).post(pdf_url, {"password": PASSWORD})))
    failing = client_for(dsl)
    failing.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        answers.append(("500 page", failing.get("/boom/")))
    return answers


def test_every_kind_of_page_sends_the_security_headers_and_no_store(pages):
    statuses = {what: response.status_code for what, response in pages}
    assert statuses == {
        "sign-in page": 200,
        "signed-out report (text shown back)": 403,
        "dashboard": 200,
        "incident list": 200,
        "incident detail": 200,
        "statistics with SVG charts": 200,
        "policy editor": 200,
        "signed PDF": 200,
        "404 for another setting's incident": 404,
        "404 for no page at all": 404,
        "400 imagery refused": 400,
        "report form": 200,
        "403 for staff on the dashboard": 403,
        "500 page": 500,
    }
    for what, response in pages:
        assert_secure_headers(response, what)


def test_no_page_holds_inline_script_or_style(pages):
    for what, response in pages:
        if response["Content-Type"].startswith("text/html"):
            assert inline_code_in(response.content.decode()) == [], what


def test_the_inline_finder_finds_what_csp_would_block():
    page = (
        '<style>p{}</style><p style="color:red" onclick="x()">x</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><script src="/static/js/ok.js"></script>'
        '<script type="application/json">{}</script><svg><rect fill="#000"/></svg>'
    )
    assert inline_code_in(page) == [
        "<style> block",
        "style= on <p>",
        "onclick= on <p>",
        "inline <script>",
        "javascript: URL on <a>",
    ]


HTML_SOURCES = sorted(
    [p for p in (ROOT / "templates").rglob("*.html") if "pdf" not in p.relative_to(ROOT / "templates").parts]
    + list((ROOT / "static").rglob("*.html"))
    + list((ROOT / "incidents").rglob("*.html"))
)


@pytest.mark.parametrize("source", HTML_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_or_static_page_holds_inline_script_or_style(source):
    # PDF templates are exempt: WeasyPrint renders them, not a browser. Template tags inside
    # attribute values do not matter here: only the attribute names are looked at.
    assert inline_code_in(source.read_text()) == []


def test_no_python_module_writes_inline_style_or_script_into_html():
    for module in list((ROOT / "incidents").rglob("*.py")) + list((ROOT / "ysi").rglob("*.py")):
        if "migrations" in module.parts:
            continue
        text = module.read_text()
        for needle in ('style="', "style='", "<style", "<script", ' onclick="', ' onload="', "javascript:"):
            assert needle not in text, f"{module.relative_to(ROOT)} writes {needle!r} into HTML"


def test_static_files_keep_their_cache_lifetime():
    from ysi.security import is_static

    assert is_static("/static/css/ysi.css")
    assert not is_static("/incidents/")


def test_nginx_gives_its_unavailable_page_the_same_headers(tmp_path):
    from tests.test_deploy import render

    site = (render(tmp_path) / "ysi-site.conf").read_text()
    errors = site.split("location /static/errors/ {")[1].split("}")[0]

    assert "add_header Cache-Control \"no-store\" always;" in errors
    assert "add_header X-Frame-Options DENY always;" in errors
    csp = errors.split("Content-Security-Policy \"")[1].split('"')[0]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "camera=()" in errors
