"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test visits goes through `visit` (or `check_page` after a click): it saves a
screenshot under var/screenshots/ and runs axe-core for WCAG 2.2 AA; a serious or critical
violation fails the test."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-domain-reliability",
    "--no-pings",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make from it
# are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason="BROWSER TESTS SKIPPED: /usr/bin/chromium is missing. Run `make test` as root "
                        "to install Debian's chromium, or `apt-get install chromium`."
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.ysi_test_name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    page.ysi_step = 0
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, request):
    """A phone-sized viewport with touch, for the pages staff use on their own devices."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.ysi_test_name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    page.ysi_step = 0
    yield page
    context.close()


def check_page(page, name: str) -> None:
    """Screenshot the page as it is now and fail on serious or critical accessibility problems."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    page.ysi_step += 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{page.ysi_test_name}-{page.ysi_step:02d}-{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    serious = [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]
    assert not serious, f"Accessibility violations on {name} ({page.url}):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in serious
    )


def visit(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{url} answered {response and response.status}"
    check_page(page, name)


def sign_in(page, live_server, username: str, password: str) -> None:
    """Sign in with the password and, for those who need it, a code from the user's authenticator.

    A user who needs a second factor and has none yet is given one with the test secret first, so
    that every journey starts at its own page; tests/browser/test_sign_in_journey.py walks through
    setting one up."""
    from incidents.models import User
    from tests.signin import needs_second_factor, next_code, totp_device

    user = User.objects.get(username=username)
    device = totp_device(user) if needs_second_factor(user) else None
    visit(page, f"{live_server.url}/accounts/login/", "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    if device is not None and "/accounts/two-factor/" in page.url:
        page.get_by_label("Code").fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_load_state("load")
