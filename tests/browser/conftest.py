"""Browser tests: each user's main journey in Debian's Chromium at 320 px, keyboard only, axe on every page.

The app runs in a werkzeug server on a thread, on its own database (never the integration tests'):
a `<name>_browser` database on the same PostgreSQL server when TEST_DATABASE_URL is PostgreSQL,
otherwise a temporary SQLite file. The schema is made by the migrations and filled with the demo council.

Every page a test reaches goes through `checked(page)`: no console errors (so a Content-Security-Policy
violation fails the test), nothing wider than the 320 px viewport, zero axe-core violations, and a
full-page screenshot in /tmp/shots/<test>-<n>.png.
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SHOTS = Path("/tmp/shots")
VIEWPORT = {"width": 320, "height": 640}

_NO_CHROMIUM_SEEN = pytest.StashKey[bool]()
NO_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}: the browser tests cannot run. "
    "Install it with `apt-get install -y chromium` (as root), or run `make test`, which does."
)


def _is_browser_test(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


# --- collection: mark the tier, and say loudly when it cannot run --------------------------------


@pytest.hookimpl(tryfirst=True)  # before -m selects, so `-m "not browser"` sees the mark
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if _is_browser_test(item)]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    if ours and not CHROMIUM.exists():
        _banner(config)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if config.stash.get(_NO_CHROMIUM_SEEN, False):
        _banner(config)


def _banner(config: pytest.Config) -> None:
    # Printed, not warnings.warn(): pytest.ini turns warnings into errors, and a skip must stay a skip.
    config.stash[_NO_CHROMIUM_SEEN] = True
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    outcome = "FAIL (CI=true)" if _in_ci() else "be SKIPPED"
    reporter.write_line("")
    reporter.write_line("!" * 100, red=True, bold=True)
    reporter.write_line(f"!!! WARNING: the browser tests will {outcome}.", red=True, bold=True)
    reporter.write_line(f"!!! {NO_CHROMIUM}", red=True, bold=True)
    reporter.write_line("!" * 100, red=True, bold=True)


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> str:
    """Debian's Chromium. Missing: fail in CI (a green run must have run these), skip elsewhere."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    if _in_ci():
        pytest.fail(NO_CHROMIUM, pytrace=False)
    pytest.skip(NO_CHROMIUM)


# --- the app on its own database, served on a thread ---------------------------------------------


@pytest.fixture(scope="session")
def browser_db_url(tmp_path_factory) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.db'}"
        return
    base = make_url(url)
    name = f"{base.database}_browser"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()


@pytest.fixture(scope="session")
def browser_app(chromium_executable, browser_db_url):
    from flask_migrate import upgrade

    from pathway import create_app
    from pathway.demo import load_demo
    from pathway.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=browser_db_url)
    with app.app_context():
        upgrade()
        load_demo(today=date.today())
        _give_demo_staff_recovery_codes()
    _APP.append(app)
    yield app
    _APP.clear()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, browser_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="pathway-browser-tests", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- two-factor sign-in ---------------------------------------------------------------------------
# Demo staff use two-factor sign-in with the published demo key (pathway/demo.py). A code is accepted
# once, and the journeys sign the same people in many times within a few seconds, so a sign-in uses the
# code the app shows now, or the next one (one step of drift is allowed), and after that one of these
# recovery codes, given to demo staff for the browser tests only.

_APP: list = []  # the browser tests' app, for reading who has used which code
BROWSER_RECOVERY_CODES = tuple(f"brws{c}23456" for c in "abcdefghjkmnpqrstuvwxyz")


def _give_demo_staff_recovery_codes() -> None:
    from sqlalchemy import select

    from pathway.extensions import db
    from pathway.models import RecoveryCode, Role, User
    from pathway.services.two_factor import hash_recovery_code

    for user_id in db.session.scalars(select(User.id).where(User.role != Role.YOUNG_PERSON)):
        for code in BROWSER_RECOVERY_CODES:
            db.session.add(RecoveryCode(user_id=user_id, code_hash=hash_recovery_code(user_id, code)))
    db.session.commit()


def two_factor_code(email: str) -> tuple[str, str]:
    """("code", the 6 digits the demo authenticator app shows) or ("recovery", an unused recovery code)."""
    from sqlalchemy import select

    from pathway.extensions import db
    from pathway.models import RecoveryCode
    from pathway.models.types import utcnow
    from pathway.rules import two_factor as rules
    from pathway.services.accounts import find_user_by_email
    from pathway.services.two_factor import decrypt_secret, hash_recovery_code, record_for

    with _APP[0].app_context():
        user = find_user_by_email(email)
        record = record_for(user)
        step = rules.time_step(utcnow())
        for candidate in (step, step + 1):
            if record.last_used_step is None or candidate > record.last_used_step:
                return "code", rules.code_at(decrypt_secret(record.secret), candidate)
        unused = set(db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))))
        code = next(c for c in BROWSER_RECOVERY_CODES if hash_recovery_code(user.id, c) in unused)
        return "recovery", rules.format_recovery_code(code)


def enter_two_factor_code(page: Page, email: str, *, check: Callable[[Page], Page] | None = None,
                          keyboard: bool = False) -> None:
    """Just after the password was sent: if "Check your authenticator app" comes (staff), enter the code
    and continue. Young people go straight on."""
    from urllib.parse import urlsplit

    page.wait_for_url(lambda url: urlsplit(url).path != "/sign-in")
    if urlsplit(page.url).path != "/sign-in/code":
        return
    page.wait_for_load_state("load")
    if check:
        check(page)
    kind, code = two_factor_code(email)
    if kind == "recovery":
        if keyboard:
            tab_to(page, "Use a recovery code instead")
            press_enter_and_wait(page, "**/sign-in/recovery-code")
        else:
            page.get_by_role("link", name="Use a recovery code instead").click()
            page.wait_for_url("**/sign-in/recovery-code")
        if check:
            check(page)
    field = "#code"
    if keyboard:
        tab_to(page, field)
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    else:
        page.locator(field).fill(code)
        page.get_by_role("button", name="Continue").click()


# --- pytest-playwright settings -------------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable) -> dict:
    args = {**browser_type_launch_args, "executable_path": chromium_executable, "args": CHROMIUM_ARGS}
    args.setdefault("headless", True)  # --headed still works for debugging
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url) -> dict:
    # The app's Content-Security-Policy stays in force (no bypass_csp): axe-core goes in through
    # DevTools (page.evaluate), which CSP does not govern, so a page that breaks its own CSP still
    # shows up as a console error.
    return {**browser_context_args, "base_url": base_url, "viewport": VIEWPORT, "locale": "en-GB"}


@pytest.fixture(scope="session", autouse=True)
def _clean_shots() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()


# --- the checks every page gets -------------------------------------------------------------------


_PROBLEMS: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def _watch(page: Page) -> Page:
    """Collect console errors (CSP violations, failed loads), HTTP errors and uncaught exceptions."""
    problems = _PROBLEMS.setdefault(page, [])

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_response(response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    return page


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """pytest-playwright's page, watched for console errors."""
    return _watch(context.new_page())


@pytest.fixture
def new_page(new_context) -> Callable[..., Page]:
    """A watched page in a context of its own, e.g. new_page(java_script_enabled=False)."""

    def make(**context_args) -> Page:
        return _watch(new_context(**context_args).new_page())

    return make


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`.", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node.get('html', '')[:160]}")
    return "\n".join(lines)


AXE_RUN = (
    "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
)


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core on the page as it is now; fail with a readable list of violations.

    The script goes in through page.evaluate rather than add_script_tag: an inline <script> is
    blocked by the app's CSP (script-src 'self' 'nonce-...'), while DevTools evaluation is not, so
    the test neither weakens CSP (bypass_csp) nor needs the app to serve axe.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    assert not violations, _format_violations(page.url, violations)


def _axe_without_javascript(audit: Page, page: Page) -> None:
    """axe needs timers, which do not run in a page with JavaScript off. Audit the same HTML in a
    JavaScript-on page (`audit`) instead, with the page's own scripts taken out so it stays the
    no-JS page; its stylesheets still come from the app, so colours and layout are the real ones."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL | re.IGNORECASE)
    target = page.url

    def serve_snapshot(route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    audit.unroute_all()
    audit.route(lambda url: url == target, serve_snapshot)
    audit.goto(target)
    assert_no_axe_violations(audit)


def _overflow(page: Page) -> list[str]:
    """Elements that stick out past the right edge of the viewport (outside scrolling regions)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          const out = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.right <= width + 0.5) continue;
            let scroller = el.parentElement, clipped = false;
            while (scroller && scroller !== document.body) {
              const style = getComputedStyle(scroller).overflowX;
              if (style === 'auto' || style === 'scroll' || style === 'hidden') { clipped = true; break; }
              scroller = scroller.parentElement;
            }
            if (!clipped) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(box.right)}`);
          }
          return out.length ? out.slice(0, 15) : [`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`];
        }"""
    )


@pytest.fixture
def checked(request, browser: Browser, base_url: str) -> Iterator[Callable[[Page], Page]]:
    """checked(page): a screenshot, then the checks every page gets. Returns the page."""
    name = request.node.originalname
    count = 0
    audit_context: BrowserContext | None = None
    audit_page: Page | None = None

    def check(page: Page) -> Page:
        nonlocal count, audit_context, audit_page
        page.wait_for_load_state("load")
        count += 1
        shot = SHOTS / f"{name}-{count}.png"
        page.screenshot(path=str(shot), full_page=True)
        problems = _PROBLEMS.get(page, [])
        assert not problems, f"{page.url} ({shot}):\n" + "\n".join(problems)
        wide = _overflow(page)
        assert not wide, f"{page.url} is wider than {VIEWPORT['width']} px ({shot}):\n" + "\n".join(wide)
        scripts_ran = page.evaluate("() => document.body.classList.contains('js-enabled')")
        if scripts_ran:
            assert_no_axe_violations(page)
        else:
            if audit_page is None:
                audit_context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
                audit_page = audit_context.new_page()
            _axe_without_javascript(audit_page, page)
        return page

    yield check
    if audit_context is not None:
        audit_context.close()


def assert_table_fits(page: Page, region: str) -> None:
    """The table in the scrolling region labelled `region` shows every column at 320 px.

    (Wide tables may scroll sideways, which WCAG allows; these ones have no reason to, and a column
    that starts off the edge of a phone is easy to miss.)"""
    sizes = page.get_by_role("region", name=region, exact=True).evaluate(
        "el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1], f"the {region!r} table is {sizes[0]} px wide in {sizes[1]} px on {page.url}"


# --- the keyboard ---------------------------------------------------------------------------------

_FOCUS_MATCHES = """([selector, text, pattern]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return [false, '(nothing)'];
  const label = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
  const described = `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}> ${label}`.slice(0, 120);
  if (selector) { try { if (el.matches(selector)) return [true, described]; } catch (e) { /* not a selector */ } }
  if (text !== null && label === text) return [true, described];
  if (pattern !== null && new RegExp(pattern).test(label)) return [true, described];
  return [false, described];
}"""


def tab_to(page: Page, target: str | re.Pattern, max_tabs: int = 60) -> str:
    """Press Tab until the focused element matches `target`, and return a description of it.

    `target` is a CSS selector or the element's exact text (a link's or button's words, normalised),
    or a compiled regular expression searched in that text. Fails after `max_tabs` presses.
    """
    if isinstance(target, re.Pattern):
        args = [None, None, target.pattern]
    else:
        args = [target, " ".join(target.split()), None]
    visited = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        found, described = page.evaluate(_FOCUS_MATCHES, args)
        if found:
            return described
        visited.append(described)
    pytest.fail(f"Tab never reached {target!r} on {page.url} in {max_tabs} presses. Focus went to:\n  "
                + "\n  ".join(visited[:max_tabs]), pytrace=False)


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id, classes: [...el.classList],
                  text: (el.innerText || el.value || '').replace(/\\s+/g, ' ').trim(),
                  href: el.getAttribute('href')}; }"""
    )


def press_enter_and_wait(page: Page, url_pattern: str | re.Pattern) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(url_pattern)
    page.wait_for_load_state("load")


def fill_sign_in_with_keyboard(page: Page, email: str, password: str) -> None:
    """On the sign-in page: Tab to each field, type, and press Enter in the password field."""
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def sign_in_with_keyboard(page: Page, email: str, password: str, *, lands_on: str,
                          check: Callable[[Page], Page]) -> None:
    """From the start page: Tab to "Sign in", Enter, type the email and password, Enter.

    `check` is the test's `checked`, for the start and sign-in pages on the way."""
    page.goto("/")
    check(page)
    tab_to(page, "Sign in")
    press_enter_and_wait(page, "**/sign-in")
    check(page)
    fill_sign_in_with_keyboard(page, email, password)
    enter_two_factor_code(page, email, check=check, keyboard=True)  # staff: the code from their app
    page.wait_for_url(lands_on)
    page.wait_for_load_state("load")
