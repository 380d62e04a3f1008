"""Smoke test of a deployment through its proxy: `python deploy/smoke.py BASE_URL [LOG_DIR]`.

Run with the deployment's environment (it signs in a throwaway account it creates in the database).
Checks that nginx serves static files itself, that pages come from the app with their security
headers, that a session started on one app server holds on the others (sessions in the database),
that both app servers take requests (from their access logs, when LOG_DIR is given), that nginx
refuses oversized bodies, and that the outbox worker is running. Exits non-zero on the first failure.
"""

import http.cookiejar
import os
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import django

SMOKE_USER = "prod-like-smoke"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base: str, log_dir: Path | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ysi.settings")
    django.setup()
    from incidents.models import User

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def fetch(path: str, data: dict | bytes | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(base + path, data=body, headers=headers or {})  # noqa: S310 - http(s) base given by the operator
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def check(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            sys.exit(1)

    print(f"Smoke test through {base}")
    status, headers, page = fetch("/accounts/login/")
    check(status == 200, f"GET /login/ is 200 (got {status})")
    check(headers.get("X-Frame-Options") == "DENY", "the app's security headers pass through the proxy")
    csp = headers.get("Content-Security-Policy", "")
    check("default-src 'none'" in csp and "unsafe-inline" not in csp, "a Content-Security-Policy without unsafe-inline")
    check("camera=()" in headers.get("Permissions-Policy", ""), "a Permissions-Policy turning the camera off")
    check(headers.get("Cache-Control") == "no-store", "pages are not kept in caches (no-store)")
    check(headers.get("Server", "").lower() == "nginx", "nginx answers without telling its version")

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    check(stylesheet is not None, "the page links a stylesheet")
    status, headers, _ = fetch(stylesheet.group(1))
    check(status == 200 and "immutable" in headers.get("Cache-Control", ""), "nginx serves static files itself")

    password = secrets.token_urlsafe(24)
    user, _ = User.objects.get_or_create(username=SMOKE_USER, defaults={"first_name": "Smoke", "last_name": "Test"})
    user.set_password(password)
    user.is_active = True
    user.save()
    try:
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        before = _access_counts(log_dir)
        status, headers, _ = fetch(
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf, "username": SMOKE_USER, "password": password},
            {"Referer": base + "/accounts/login/"},
        )
        check(status == 302 and "/login" not in headers.get("Location", ""), f"sign-in redirects on (got {status})")
        signed_in = 0
        for _ in range(12):
            status, headers, _ = fetch("/")
            signed_in += status in (200, 302) and "/login" not in headers.get("Location", "")
            signed_in -= headers.get("Cache-Control") != "no-store"
        check(signed_in == 12, f"the session holds, no-store, over 12 requests on both app servers ({signed_in}/12)")
        after = _access_counts(log_dir)
        if log_dir is not None:
            served = [after[name] - before.get(name, 0) for name in sorted(after)]
            check(len(served) >= 2 and all(n > 0 for n in served), f"every app server took requests {served}")
    finally:
        # The account exists only for this test; nobody can sign in with it afterwards.
        user.set_unusable_password()
        user.is_active = False
        user.save()

    status, _, _ = fetch("/accounts/login/", b"x" * (2 * 1024 * 1024), {"Content-Type": "application/octet-stream"})
    check(status == 413, f"nginx refuses a 2 MB body (got {status})")

    if log_dir is not None:
        worker_log = (log_dir / "worker.log").read_text() if (log_dir / "worker.log").exists() else ""
        check("Outbox worker started" in worker_log, "the outbox worker is running")
    print("Smoke test passed.")


def _access_counts(log_dir: Path | None) -> dict[str, int]:
    if log_dir is None:
        return {}
    return {path.name: len(path.read_text().splitlines()) for path in log_dir.glob("gunicorn-*-access.log")}


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
