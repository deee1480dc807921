"""Settings checked at start-up (soundoff/checks.py): each rule refuses a bad
value naming the environment variable and accepts a good one. A bad
environment in a fresh process: tests/test_start_up.py."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import SystemCheckError
from django.test import override_settings

from soundoff import checks
from soundoff.lib.databases import postgresql_settings
from soundoff.live.checks import check_live_settings
from testkit.servers import run_python

REPO = Path(__file__).resolve().parents[1]

# setting, variable named in the message, a bad value, a good value
CASES = [
    ("SOUNDOFF_POSTS_PER_PAGE", "SOUNDOFF_POSTS_PER_PAGE", 0, 10),
    ("SOUNDOFF_REPLY_DEPTH", "SOUNDOFF_REPLY_DEPTH", True, 3),
    ("SOUNDOFF_EDIT_WINDOW", "SOUNDOFF_EDIT_WINDOW", -1, 0),
    ("SOUNDOFF_MAX_LINKS", "SOUNDOFF_MAX_LINKS", "2", 2),
    ("SOUNDOFF_COMMENT_RATE", "SOUNDOFF_COMMENT_RATE", "5 per minute", "5/60"),
    ("SOUNDOFF_FLAG_RATE", "SOUNDOFF_FLAG_RATE", "0/3600", "20/3600"),
    ("SOUNDOFF_SURGE_COUNT", "SOUNDOFF_SURGE_COUNT", -1, 0),
    ("SOUNDOFF_SURGE_MINUTES", "SOUNDOFF_SURGE_MINUTES", 0, 15),
    ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_TOXICITY_THRESHOLD", 80.0, 0.8),
    ("SOUNDOFF_SPAM_THRESHOLD", "SOUNDOFF_SPAM_THRESHOLD", float("nan"), 1),
    ("SOUNDOFF_HARM_THRESHOLD", "SOUNDOFF_HARM_THRESHOLD", -0.1, 0.5),
    ("SOUNDOFF_THREAT_RULE", "SOUNDOFF_THREAT_RULE", 0, 4),
    ("SOUNDOFF_TIME_ZONE", "SOUNDOFF_TIME_ZONE", "Eastern", "Europe/Paris"),
    ("SOUNDOFF_TIME_ZONE", "SOUNDOFF_TIME_ZONE", "../../etc/passwd", "UTC"),
    (
        "SOUNDOFF_EMBED_ORIGINS",
        "SOUNDOFF_EMBED_ORIGINS",
        ["https://www.example.org/news/"],
        ["https://www.example.org", "http://localhost:8080"],
    ),
    ("SOUNDOFF_EMBED_ORIGINS", "SOUNDOFF_EMBED_ORIGINS", ["www.example.org"], []),
    (
        "CSRF_TRUSTED_ORIGINS",
        "SOUNDOFF_CSRF_TRUSTED_ORIGINS",
        ["https://news.example.org?x=1"],
        ["https://news.example.org"],
    ),
    ("DEFAULT_FROM_EMAIL", "SOUNDOFF_FROM_EMAIL", "Ledger <ledger>", "Ledger <c@example.org>"),
    ("SECURE_HSTS_SECONDS", "SOUNDOFF_HSTS_SECONDS", -5, 0),
    ("SOUNDOFF_PAGE_THREADS", "SOUNDOFF_THREADS", 0, 8),
    ("SOUNDOFF_SITE_NAME", "SOUNDOFF_SITE_NAME", "  ", "The Riverside Ledger"),
    ("SOUNDOFF_LIVE_QUEUE", "SOUNDOFF_LIVE_QUEUE", 0, 64),
    ("SOUNDOFF_LIVE_PORT", "SOUNDOFF_LIVE_PORT", 70000, 8001),
    ("SOUNDOFF_LIVE_PUBLIC_PORT", "SOUNDOFF_LIVE_PUBLIC_PORT", -1, 0),
    ("SOUNDOFF_LIVE_HOST", "SOUNDOFF_LIVE_HOST", "127.0.0.1:8001", "::1"),
    ("LANGUAGE_CODE", "SOUNDOFF_LANGUAGE", "fr", "es"),
    ("LANGUAGE_CODE", "SOUNDOFF_LANGUAGE", "es-mx", "en"),
    (
        "SOUNDOFF_MODERATION_REPLY_TO",
        "SOUNDOFF_MODERATION_REPLY_TO",
        "moderators",
        "Ledger moderators <moderators@example.org>",
    ),
    ("SOUNDOFF_SITE_URL", "SOUNDOFF_SITE_URL", "news.example.org", "https://news.example.org"),
    (
        "ALLOWED_HOSTS",
        "SOUNDOFF_ALLOWED_HOSTS",
        ["https://news.example.org"],
        ["news.example.org", ".example.org", "127.0.0.1", "[::1]", "*"],
    ),
    ("ALLOWED_HOSTS", "SOUNDOFF_ALLOWED_HOSTS", ["news.example.org:8000"], ["localhost"]),
    ("ALLOWED_HOSTS", "SOUNDOFF_ALLOWED_HOSTS", ["news.example.org/comments"], ["NEWS.org."]),
    ("SMTP_HOST", "SOUNDOFF_SMTP_HOST", "smtp://mx.example.org", "mx.example.org"),
    ("SMTP_HOST", "SOUNDOFF_SMTP_HOST", "mx.example.org:587", ""),
    ("SMTP_HOST", "SOUNDOFF_SMTP_HOST", "[::1]:25", "::1"),
    ("ALLOWED_HOSTS", "SOUNDOFF_ALLOWED_HOSTS", ["::1"], ["[2001:db8::1]"]),
    ("ALLOWED_HOSTS", "SOUNDOFF_ALLOWED_HOSTS", ["[not:an:address]"], ["news.example.org."]),
    ("REDIS_URL", "REDIS_URL", "cache.example.org:6379", "redis://cache.example.org:6379/0"),
    ("REDIS_URL", "REDIS_URL", "http://cache.example.org", "rediss://cache.example.org"),
    ("REDIS_URL", "REDIS_URL", "redis://cache.example.org/zero", "unix:///run/redis.sock"),
    ("REDIS_URL", "REDIS_URL", "redis://cache.example.org:port/0", ""),
    ("REDIS_URL", "REDIS_URL", "unix://", "unix://:password@/run/redis.sock?db=2"),
    ("REDIS_URL", "REDIS_URL", "unix://run/redis.sock", "unix:///run/redis/redis.sock"),
    ("SOUNDOFF_CACHE_PREFIX", "SOUNDOFF_CACHE_PREFIX", "", "ledger"),
    ("SOUNDOFF_TESTING", "SOUNDOFF_TESTING", "yes", False),
]
# Their messages don't quote the value: it is empty, or it may hold a password.
UNQUOTED = {"SOUNDOFF_SITE_NAME", "SOUNDOFF_CACHE_PREFIX", "REDIS_URL"}


def messages(found):
    return [f"{message.id} {message.msg} {message.hint or ''}" for message in found]


@pytest.mark.parametrize(("name", "variable", "bad", "good"), CASES)
def test_a_bad_value_is_refused_naming_its_variable(name, variable, bad, good):
    with override_settings(**{name: bad}):
        found = messages(checks.check_settings())
    assert len(found) == 1, found
    assert found[0].startswith(f"soundoff.E001 {variable} must ")
    # ...and quotes what it found (for a list, the entry at fault).
    shown = bad[0] if isinstance(bad, list) else bad
    assert name in UNQUOTED or repr(shown) in found[0]


@pytest.mark.parametrize(("name", "variable", "bad", "good"), CASES)
def test_a_good_value_passes(name, variable, bad, good):
    with override_settings(**{name: good}):
        assert checks.check_settings() == []


def test_only_shipped_languages_can_be_offered():
    with override_settings(LANGUAGES=[("en", "English"), ("fr", "fr")]):
        (found,) = messages(checks.check_settings())
    assert found.startswith(
        "soundoff.E001 SOUNDOFF_LANGUAGES must list language codes from en, es"
    )
    assert "'en,fr'" in found


def test_the_site_language_must_be_offered():
    with override_settings(LANGUAGES=[("en", "English")], LANGUAGE_CODE="es"):
        (found,) = messages(checks.check_settings())
    assert "SOUNDOFF_LANGUAGE must be one of the offered languages (en), not 'es'" in found


def test_the_languages_are_read_from_the_environment():
    script = "from django.conf import settings; print(settings.LANGUAGE_CODE, settings.LANGUAGES)"
    env = {**os.environ, "SOUNDOFF_LANGUAGE": "ES", "SOUNDOFF_LANGUAGES": "es"}
    shown = run_python(
        {**env, "DJANGO_SETTINGS_MODULE": "soundoff.settings"},
        "-c",
        f"import django; django.setup(); {script}",
    )
    assert shown.stdout.strip() == "es [('es', 'Español')]", shown.stderr


def test_the_rate_message_says_how_to_write_a_rate():
    with override_settings(SOUNDOFF_IP_COMMENT_RATE="20 a minute"):
        (found,) = checks.check_settings()
    assert 'hits/seconds with two whole numbers above zero, e.g. "5/60"' in found.msg


def test_no_allowed_host_at_all_is_refused():
    with override_settings(ALLOWED_HOSTS=[]):
        (found,) = messages(checks.check_settings())
    assert found.startswith("soundoff.E001 SOUNDOFF_ALLOWED_HOSTS must list one or more host")


def test_a_redis_password_is_never_shown():
    with override_settings(REDIS_URL="redis://:hunter2@cache.example.org:63a79/0"):
        (found,) = messages(checks.check_settings())
    assert found.startswith("soundoff.E001 REDIS_URL must be a Redis URL")
    assert "hunter2" not in found


@pytest.mark.parametrize(
    ("preload", "https", "seconds", "refused"),
    [
        (True, False, 0, True),
        (True, True, 3600, True),
        (True, True, 31_536_000, False),
        (False, False, 0, False),
    ],
)
def test_hsts_preload_needs_a_year_over_https(preload, https, seconds, refused):
    with override_settings(SECURE_HSTS_PRELOAD=preload, HTTPS=https, SECURE_HSTS_SECONDS=seconds):
        found = messages(checks.check_hsts_preload())
    if refused:
        (message,) = found
        assert message.startswith(
            "soundoff.E006 SOUNDOFF_HSTS_PRELOAD needs SOUNDOFF_HTTPS=true and "
            "SOUNDOFF_HSTS_SECONDS of 31536000 (a year) or more"
        )
    else:
        assert found == []


def test_every_soundoff_setting_has_a_rule():
    # A new SOUNDOFF_* setting needs its line in soundoff.checks.SETTINGS; the
    # label is the only free text (any label, even none, is a valid label).
    free = {"SOUNDOFF_TIME_ZONE_LABEL", "SOUNDOFF_OIDC_LABEL"}
    # Checked together, as one configuration, by soundoff.oidc.checks.
    free |= {"SOUNDOFF_OIDC_ISSUER", "SOUNDOFF_OIDC_CLIENT_ID", "SOUNDOFF_OIDC_CLIENT_SECRET"}
    ruled = {setting.name for setting in checks.SETTINGS}
    declared = {name for name in dir(settings) if name.startswith("SOUNDOFF_")}
    assert declared - ruled - free == set()


@pytest.mark.parametrize(
    "url",
    [
        "mysql://news:hunter2@db.example.org/news",
        "postgres://news:hunter2@db.example.org:port/news",
        "postgres://news:hunter2@db.example.org",
        "db.example.org/news",
    ],
)
def test_a_database_url_that_is_not_postgresql_is_refused(url):
    with pytest.raises(ImproperlyConfigured) as refused:
        postgresql_settings(url, pool=True)
    assert str(refused.value).startswith("DATABASE_URL must be a PostgreSQL URL naming a database")
    assert "hunter2" not in str(refused.value)


def test_a_postgresql_url_is_read_with_or_without_the_pool():
    config = postgresql_settings("postgres://news:hunter2@db.example.org:5433/news", pool=False)
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5433, "news")
    assert config["OPTIONS"] == {"pool": False}
    pooled = postgresql_settings("postgresql:///news", pool=True)
    assert pooled["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 8}}


def test_no_secret_key_is_refused_saying_how_to_set_one():
    with override_settings(SECRET_KEY=""):
        (found,) = checks.check_secret_key()
    assert found.id == "soundoff.E002"
    assert "Set SOUNDOFF_SECRET_KEY, or run bin/run once" in found.hint


def test_a_secret_key_passes():
    assert checks.check_secret_key() == []


def smtp(**options):
    base = {"host": "smtp.example.org", "port": 587, "use_tls": True, "use_ssl": False}
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": {**base, **options}}}


@pytest.mark.parametrize(
    ("options", "error", "variable"),
    [
        ({"port": 0}, "soundoff.E003", "SOUNDOFF_SMTP_PORT"),
        ({"port": 70000}, "soundoff.E003", "SOUNDOFF_SMTP_PORT"),
        ({"port": 465, "use_ssl": True}, "soundoff.E004", "SOUNDOFF_SMTP_SSL"),
        ({"username": "newsroom"}, "soundoff.E005", "SOUNDOFF_SMTP_PASSWORD"),
        ({"password": "s3cret"}, "soundoff.E005", "SOUNDOFF_SMTP_USER"),
    ],
)
def test_smtp_options_that_cannot_work_are_refused(options, error, variable):
    with override_settings(MAILERS=smtp(**options)):
        (found,) = checks.check_smtp()
    assert found.id == error
    assert variable in found.msg


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"port": 465, "use_tls": False, "use_ssl": True},
        {"port": 25, "use_tls": False, "username": "newsroom", "password": "s3cret"},
    ],
)
def test_smtp_options_that_work_pass(options):
    with override_settings(MAILERS=smtp(**options)):
        assert checks.check_smtp() == []


def test_the_console_mailer_has_no_smtp_options_to_check():
    console = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with override_settings(MAILERS=console):
        assert checks.check_smtp() == []


def test_a_heartbeat_as_long_as_a_stream_is_refused():
    with override_settings(SOUNDOFF_LIVE_HEARTBEAT=600, SOUNDOFF_LIVE_MAX_AGE=600):
        (found,) = check_live_settings()
    assert found.id == "live.E002"
    with override_settings(SOUNDOFF_LIVE_HEARTBEAT=15, SOUNDOFF_LIVE_MAX_AGE=600):
        assert check_live_settings() == []


def test_start_up_stops_on_every_error_and_passes_when_all_is_well():
    with (
        override_settings(SOUNDOFF_COMMENT_RATE="5", SOUNDOFF_TIME_ZONE="Nowhere"),
        pytest.raises(SystemCheckError) as stopped,
    ):
        checks.require_valid_settings()
    assert "SOUNDOFF_COMMENT_RATE" in str(stopped.value)
    assert "SOUNDOFF_TIME_ZONE" in str(stopped.value)
    checks.require_valid_settings()
