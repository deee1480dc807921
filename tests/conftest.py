"""Fixtures shared by every test module: the cast (alice, bob, an editor,
moderators, a post and its thread), each made by testkit.cast, which test
modules also call directly for more of the same; a real SMTP server; and one
real Chromium for every browser test (Playwright's sync API allows only one
driver per thread, so tests/browser and tests/live share this). Real servers
for live and browser tests come from testkit.servers."""

import email
import email.policy
import json
import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import translation

from soundoff.accounts.models import User
from testkit import cast
from testkit.servers import free_port

# Each test process counts rate limits in a file of its own, as it has a
# database of its own, so that two runs at once never clear each other's.
_SHARED_CACHE = Path(tempfile.gettempdir()) / f"soundoff-test-shared-{os.getpid()}.sqlite3"


def pytest_configure(config):
    shared = settings.CACHES["shared"]
    if shared["BACKEND"] == "soundoff.lib.sqlitecache.SQLiteCache":
        shared["LOCATION"] = str(_SHARED_CACHE)


def pytest_unconfigure(config):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{_SHARED_CACHE}{suffix}").unlink(missing_ok=True)


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated rows (content types,
    permissions, groups, policy documents) before it runs.

    A transactional test ends by emptying every table. After one with
    serialized rollback, Django empties them without re-creating content
    types and permissions, so the next transactional test without it met a
    database missing them, and tests failed or passed by file order. Making
    all of them restore from the serialized copy removes the order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        options = dict(marker.kwargs) if marker else {}
        uses_server = {"transactional_db", "live_server"} & set(item.fixturenames)
        if (options.get("transaction") or uses_server) and not options.get("serialized_rollback"):
            options.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**options), append=False)


@pytest.fixture(autouse=True)
def _site_language():
    # A request in another language leaves it active in the thread that
    # served it (the test's own, with Django's test client): each test
    # starts in the site's language, whatever ran before it.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits live in the shared cache, fragments in the default one
    # (and with Redis, stored answers in each process's "local" one too);
    # each test starts with fresh counts and nothing rendered.
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def fast_password_hashing(settings):
    """For tests that make many readers and are not about passwords: Argon2
    at its production cost would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def policies(db):
    cast.ensure_policies()


@pytest.fixture
def alice(policies):
    return cast.make_reader("Alice Reader")


@pytest.fixture
def bob(policies):
    return cast.make_reader("Bob Reader")


@pytest.fixture
def newcomer(policies):
    """Registered, but has not accepted the current policies."""
    return cast.make_reader("New Comer", accepted=False)


@pytest.fixture
def editor(policies):
    return cast.make_reader("Ed Itor", is_staff=True)


@pytest.fixture
def make_moderator(policies) -> Callable[..., User]:
    """Make a moderator (see testkit.cast.make_moderator)."""
    return cast.make_moderator


@pytest.fixture
def moderator(make_moderator: Callable[..., User]) -> User:
    return make_moderator("Mona Moderator")


@pytest.fixture
def desk_editor(editor):
    """An editor as operators make one: staff, in the Editors group."""
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


@pytest.fixture
def post(db):
    return cast.make_post(headline="Water main breaks downtown", slug="water-main")


@pytest.fixture
def thread(post):
    return post.thread


@pytest.fixture
def tasks_at_once(settings):
    """Background tasks (e-mail) run as soon as they are enqueued, into
    Django's test outbox; wrap the request in django_capture_on_commit_callbacks
    (execute=True), since mail is enqueued after commit."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
        ]


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    """A real SMTP server on localhost, and Django pointed at it for this test only."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": controller.port,
                "use_tls": False,
                "use_ssl": False,
                "timeout": 10,
            },
        }
    }
    try:
        yield handler
    finally:
        controller.stop()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, never a download. Skipped without it locally; in
    CI (where CI is set) a missing browser fails, since a suite that quietly
    skips its browser tests proves nothing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; install it with: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


OIDC_PROVIDER_DIR = Path(__file__).parent / "oidc_provider"


class OIDCProvider:
    """The test provider started by the ``oidc_provider`` fixture: its issuer,
    Soundoff's client at it, and its accounts, which a test may add or change
    while it runs (the provider reads them at every sign-in)."""

    client_id = "soundoff"
    client_secret = "test-client-secret-for-loopback-only"

    def __init__(self, config: Path, redirect_uris: list[str]) -> None:
        self.config = config
        self.issuer = ""
        self._accounts: dict[str, dict] = {}
        self._client = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": redirect_uris,
        }
        self._write()

    def set_account(self, sub: str, *, email: str, email_verified: bool, name: str) -> None:
        self._accounts[sub] = {"email": email, "email_verified": email_verified, "name": name}
        self._write()

    def _write(self) -> None:
        # Written whole and renamed, so the provider never reads half a file.
        partial = self.config.with_suffix(".partial")
        partial.write_text(json.dumps({"client": self._client, "accounts": self._accounts}))
        partial.replace(self.config)


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """A real OpenID Connect provider (npm's oidc-provider under node) on a
    free loopback port, for the whole session. Soundoff's callback on the
    live server and on the test client's "testserver" are registered with it.
    Skipped with a note when node or the package is missing, except in CI."""
    node = shutil.which("node")
    if node is None or not (OIDC_PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        reason = (
            "the OpenID Connect tests need node and the test provider's package: "
            "apt-get install nodejs npm && npm ci --prefix tests/oidc_provider"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the OpenID Connect tests: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("oidc-provider")
    callback = "/accounts/oidc/callback/"
    provider = OIDCProvider(
        folder / "config.json", [live_server.url + callback, "http://testserver" + callback]
    )
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [node, "provider.js", str(provider.config)],
        cwd=OIDC_PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        # Its first line is the issuer, written once it listens.
        ready, _, _ = select.select([process.stdout], [], [], 30)
        provider.issuer = process.stdout.readline().strip() if ready else ""
        if not provider.issuer:
            pytest.fail(f"The test provider did not start; see {log.name}")
        discovery = f"{provider.issuer}/.well-known/openid-configuration"
        assert requests.get(discovery, timeout=10).json()["issuer"] == provider.issuer
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


@pytest.fixture
def oidc(oidc_provider, settings):
    """Soundoff configured to sign in with the test provider."""
    settings.SOUNDOFF_OIDC_ISSUER = oidc_provider.issuer
    settings.SOUNDOFF_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.SOUNDOFF_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.SOUNDOFF_OIDC_LABEL = "Ledger ID"
    return oidc_provider
