"""Soundoff's one settings module, driven by the environment.

SQLite (WAL, synchronous=FULL) just works; DATABASE_URL=postgres://… switches
to PostgreSQL, REDIS_URL=redis://… switches the cache and rate limits. Every
variable is listed in the README. Application settings are prefixed
``SOUNDOFF_`` and are read by the code at call time, never at import time.

A value that does not parse as its type stops the import here, naming the
variable (soundoff/lib/environment.py): no typed setting could hold it, and
Django uses some of them (DATABASE_URL, SOUNDOFF_LOG_LEVEL) before any check
could run. Whether a value that parses makes sense (a rate's form, a
threshold within 0..1, a time zone that exists, host names without a scheme,
SMTP options that agree, a secret key at all) is checked by
soundoff/checks.py at start-up, which reports every mistake at once.
"""

import contextlib
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from soundoff.lib.databases import database_settings
from soundoff.lib.environment import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """SOUNDOFF_DATA_DIR, made if need be; checked here rather than in
    soundoff.checks because Django's own checks open the SQLite database in it
    first, and would stop with "unable to open database file"."""
    path = Path(env_str("SOUNDOFF_DATA_DIR") or BASE_DIR / "var")
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    if not (path.is_dir() and os.access(path, os.W_OK | os.X_OK)):
        raise ImproperlyConfigured(
            f"SOUNDOFF_DATA_DIR must be a directory Soundoff can create or write in (it keeps "
            f"the SQLite database, the secret key and static files there), and {str(path)!r} "
            "is not."
        )
    return path


DATA_DIR = data_dir()


def read_secret_key() -> str:
    """The key from the environment or the file bin/run writes; "" if neither.

    Empty rather than an error, so that what only loads the settings (mypy's
    Django plugin on a fresh checkout) works; Django refuses an empty key
    wherever one is used, and soundoff.checks says how to set one.
    """
    key = env_str("SOUNDOFF_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    return ""


SECRET_KEY = read_secret_key()
DEBUG = env_bool("SOUNDOFF_DEBUG")
ALLOWED_HOSTS = env_list("SOUNDOFF_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("SOUNDOFF_CSRF_TRUSTED_ORIGINS")

# Behind HTTPS (directly or through a proxy that sets X-Forwarded-Proto).
HTTPS = env_bool("SOUNDOFF_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe instances over plain HTTP, behind the TLS they end.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SOUNDOFF_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SOUNDOFF_HSTS_PRELOAD")
# Joining the browsers' HSTS preload list binds the whole domain and its
# subdomains to HTTPS for months; that is the operator's decision to make
# (SOUNDOFF_HSTS_PRELOAD), so the deploy check doesn't demand it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("SOUNDOFF_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "soundoff.accounts",
    "soundoff.newsroom",
    "soundoff.discussion",
    "soundoff.moderation",
    "soundoff.embed",
    "soundoff.live",
    "soundoff.importers",
    "soundoff.oidc",
    "soundoff.notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    # First: an anonymous read of these answers from its one cache entry,
    # headers every middleware below set included (soundoff.lib.shared).
    "soundoff.newsroom.middleware.SharedPostPageMiddleware",
    "soundoff.api.cached.SharedCommentsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the API's guard, so that its refusals are in the reader's
    # language too; after WhiteNoise, so static files don't vary on it.
    "soundoff.lib.languages.ReaderLanguageMiddleware",
    "soundoff.api.middleware.ApiGuardMiddleware",
    "soundoff.accounts.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "soundoff.newsroom.middleware.NewsroomTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "soundoff.urls"
WSGI_APPLICATION = "soundoff.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "soundoff" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soundoff.accounts.context_processors.site",
            ],
        },
    },
]


DATABASES = {"default": database_settings(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" holds what any process may rebuild on its own (rendered
# fragments keyed on a thread's version); "shared" holds what every process
# must count together (rate limits). With Redis both are Redis; without,
# "default" is each process's memory and "shared" a SQLite file that the
# web workers and the task worker of this machine share (soundoff.lib.sqlitecache).
REDIS_URL = env_str("REDIS_URL")
SOUNDOFF_CACHE_PREFIX = env_str("SOUNDOFF_CACHE_PREFIX", "soundoff")
if REDIS_URL:
    _redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": SOUNDOFF_CACHE_PREFIX,
    }
    CACHES = {
        "default": _redis_cache,
        "shared": _redis_cache,
        # Stored answers (soundoff.lib.shared) never change under their key,
        # so each process also keeps the ones it serves in its own memory
        # and asks Redis only for the others.
        "local": {
            "BACKEND": "soundoff.lib.shared.AnswerMemory",
            "LOCATION": "local-answers",
            "OPTIONS": {"MAX_ENTRIES": 64},
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "soundoff.lib.sqlitecache.SQLiteCache",
            "LOCATION": str(DATA_DIR / "shared-cache.sqlite3"),
        },
        # Stored answers (soundoff.lib.shared), in each process's memory
        # only, as "default" is: ~60 KB each for a post page of 200 comments.
        "local": {
            "BACKEND": "soundoff.lib.shared.AnswerMemory",
            "LOCATION": "local-answers",
            "OPTIONS": {"MAX_ENTRIES": 128},
        },
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "newsroom:front"
LOGOUT_REDIRECT_URL = "newsroom:front"

SMTP_HOST = env_str("SOUNDOFF_SMTP_HOST")
if SMTP_HOST:
    SMTP_PORT = env_int("SOUNDOFF_SMTP_PORT", 587)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": SMTP_PORT,
                "username": env_str("SOUNDOFF_SMTP_USER") or None,
                "password": env_str("SOUNDOFF_SMTP_PASSWORD") or None,
                "use_tls": env_bool("SOUNDOFF_SMTP_STARTTLS", SMTP_PORT == 587),
                "use_ssl": env_bool("SOUNDOFF_SMTP_SSL", SMTP_PORT == 465),
                "timeout": 20,
            },
        }
    }
else:
    # Without a mail server, messages (password resets) go to the log.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("SOUNDOFF_FROM_EMAIL", "Soundoff <soundoff@localhost>")

# The languages Soundoff ships catalogues for (soundoff/locale), each named
# in itself; SOUNDOFF_LANGUAGES narrows what readers may get. A reader's
# Accept-Language chooses among them (soundoff.lib.languages); readers whose
# browsers ask for none of them get SOUNDOFF_LANGUAGE, the site's own.
SHIPPED_LANGUAGES = {"en": "English", "es": "Español"}
LANGUAGE_CODE = env_str("SOUNDOFF_LANGUAGE", "en").lower()
LANGUAGES = [
    (code, SHIPPED_LANGUAGES.get(code, code))
    for code in env_list("SOUNDOFF_LANGUAGES", ",".join(SHIPPED_LANGUAGES))
]
LOCALE_PATHS = [BASE_DIR / "soundoff" / "locale"]
# The house style of date and time lines, per language (soundoff/formats/).
FORMAT_MODULE_PATH = ["soundoff.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "soundoff" / "static"]
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Set by bin/test: static files straight from the source tree, and the
# OpenID Connect test provider on a loopback http:// address is allowed.
SOUNDOFF_TESTING = env_bool("SOUNDOFF_TESTING")
if DEBUG or SOUNDOFF_TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True

# Uploads larger than this are refused before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Checked here: Django configures logging before any system check runs.
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "SOUNDOFF_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
}

# --- Soundoff itself (read at call time through django.conf.settings) ---
SOUNDOFF_SITE_NAME = env_str("SOUNDOFF_SITE_NAME", "Soundoff")
SOUNDOFF_TIME_ZONE = env_str("SOUNDOFF_TIME_ZONE", "America/New_York")
SOUNDOFF_TIME_ZONE_LABEL = env_str("SOUNDOFF_TIME_ZONE_LABEL", "ET")
SOUNDOFF_POSTS_PER_PAGE = env_int("SOUNDOFF_POSTS_PER_PAGE", 10)
SOUNDOFF_COMMENTS_PER_PAGE = env_int("SOUNDOFF_COMMENTS_PER_PAGE", 50)
SOUNDOFF_MAX_COMMENT_LENGTH = env_int("SOUNDOFF_MAX_COMMENT_LENGTH", 5000)
SOUNDOFF_EDIT_WINDOW = env_int("SOUNDOFF_EDIT_WINDOW", 15 * 60)
SOUNDOFF_REPLY_DEPTH = env_int("SOUNDOFF_REPLY_DEPTH", 3)
# Comments a reader may post per window, e.g. "5/60" is five a minute.
SOUNDOFF_COMMENT_RATE = env_str("SOUNDOFF_COMMENT_RATE", "5/60")
SOUNDOFF_AVATAR_MAX_BYTES = env_int("SOUNDOFF_AVATAR_MAX_BYTES", 2_000_000)
SOUNDOFF_AVATAR_MAX_PIXELS = env_int("SOUNDOFF_AVATAR_MAX_PIXELS", 16_000_000)
# Memory one picture may take to decode, counted from its header (pixels
# times the bytes each takes in the decoder); larger ones are refused unread.
SOUNDOFF_AVATAR_MAX_DECODE_BYTES = env_int("SOUNDOFF_AVATAR_MAX_DECODE_BYTES", 64_000_000)
# Reader-level limits: a burst rate and a sustained one, per reader and per IP.
SOUNDOFF_COMMENT_RATE_SUSTAINED = env_str("SOUNDOFF_COMMENT_RATE_SUSTAINED", "60/3600")
SOUNDOFF_IP_COMMENT_RATE = env_str("SOUNDOFF_IP_COMMENT_RATE", "20/60")
SOUNDOFF_IP_COMMENT_RATE_SUSTAINED = env_str("SOUNDOFF_IP_COMMENT_RATE_SUSTAINED", "300/3600")
SOUNDOFF_FLAG_RATE = env_str("SOUNDOFF_FLAG_RATE", "20/3600")
# Edits and reactions (adding or taking one back), per reader and per IP.
SOUNDOFF_EDIT_RATE = env_str("SOUNDOFF_EDIT_RATE", "10/60")
SOUNDOFF_IP_EDIT_RATE = env_str("SOUNDOFF_IP_EDIT_RATE", "40/60")
SOUNDOFF_REACTION_RATE = env_str("SOUNDOFF_REACTION_RATE", "30/60")
SOUNDOFF_IP_REACTION_RATE = env_str("SOUNDOFF_IP_REACTION_RATE", "120/60")
# Attempts at logging in, registering, asking for a password reset and asking
# for a claim link: per e-mail address typed, and per IP address. Windows
# expire, so nobody is locked out for longer than one window.
SOUNDOFF_LOGIN_RATE = env_str("SOUNDOFF_LOGIN_RATE", "10/900")
SOUNDOFF_IP_LOGIN_RATE = env_str("SOUNDOFF_IP_LOGIN_RATE", "30/900")
SOUNDOFF_REGISTER_RATE = env_str("SOUNDOFF_REGISTER_RATE", "3/3600")
SOUNDOFF_IP_REGISTER_RATE = env_str("SOUNDOFF_IP_REGISTER_RATE", "10/3600")
SOUNDOFF_RESET_RATE = env_str("SOUNDOFF_RESET_RATE", "3/3600")
SOUNDOFF_IP_RESET_RATE = env_str("SOUNDOFF_IP_RESET_RATE", "10/3600")
SOUNDOFF_CLAIM_RATE = env_str("SOUNDOFF_CLAIM_RATE", "3/3600")
SOUNDOFF_IP_CLAIM_RATE = env_str("SOUNDOFF_IP_CLAIM_RATE", "10/3600")
# Open flags from this many readers withhold a comment until a moderator decides.
SOUNDOFF_FLAG_THRESHOLD = env_int("SOUNDOFF_FLAG_THRESHOLD", 3)
# This many readers' reports and withheld comments on one story within
# SOUNDOFF_SURGE_MINUTES e-mail the moderators, once per surge; 0 is off.
SOUNDOFF_SURGE_COUNT = env_int("SOUNDOFF_SURGE_COUNT", 10)
SOUNDOFF_SURGE_MINUTES = env_int("SOUNDOFF_SURGE_MINUTES", 15)
# The same text by the same reader within this many seconds is refused.
SOUNDOFF_REPEAT_WINDOW = env_int("SOUNDOFF_REPEAT_WINDOW", 3600)
# Comments with more links than this are held for review.
SOUNDOFF_MAX_LINKS = env_int("SOUNDOFF_MAX_LINKS", 2)
# Hold the first N comments of every new account; 0 is off.
SOUNDOFF_PREMODERATE_FIRST = env_int("SOUNDOFF_PREMODERATE_FIRST", 0)
# Discussions close this many hours after publication; 0 is never.
SOUNDOFF_AUTO_CLOSE_HOURS = env_int("SOUNDOFF_AUTO_CLOSE_HOURS", 0)
# On-device scoring after posting: above a threshold the comment is withheld
# and queued, citing the rule by number. The defaults are read off the
# curves in bench/scoring/RESULTS.md.
SOUNDOFF_TOXICITY_THRESHOLD = env_float("SOUNDOFF_TOXICITY_THRESHOLD", 0.75)
SOUNDOFF_SPAM_THRESHOLD = env_float("SOUNDOFF_SPAM_THRESHOLD", 0.8)
# Threats, doxxing and identity hate (scoring/harm.py) share one threshold.
SOUNDOFF_HARM_THRESHOLD = env_float("SOUNDOFF_HARM_THRESHOLD", 0.5)
SOUNDOFF_TOXICITY_RULE = env_int("SOUNDOFF_TOXICITY_RULE", 2)
SOUNDOFF_SPAM_RULE = env_int("SOUNDOFF_SPAM_RULE", 5)
SOUNDOFF_THREAT_RULE = env_int("SOUNDOFF_THREAT_RULE", 4)
SOUNDOFF_DOXXING_RULE = env_int("SOUNDOFF_DOXXING_RULE", 7)
SOUNDOFF_HATE_RULE = env_int("SOUNDOFF_HATE_RULE", 3)
# Origins (scheme://host[:port]) whose pages may embed discussions, besides
# those added in the admin.
SOUNDOFF_EMBED_ORIGINS = env_list("SOUNDOFF_EMBED_ORIGINS")
# Replies shown under each top-level comment before "N more replies".
SOUNDOFF_REPLY_WINDOW = env_int("SOUNDOFF_REPLY_WINDOW", 3)
# How long a widget's sign-in token lasts, in seconds.
SOUNDOFF_TOKEN_AGE = env_int("SOUNDOFF_TOKEN_AGE", 24 * 3600)
# Largest JSON body the API reads, in bytes.
SOUNDOFF_API_MAX_BODY = env_int("SOUNDOFF_API_MAX_BODY", 64 * 1024)
# Sign-in with the newsroom's own accounts through OpenID Connect
# (soundoff.oidc): off until the issuer, client id and secret are all set.
SOUNDOFF_OIDC_ISSUER = env_str("SOUNDOFF_OIDC_ISSUER")
SOUNDOFF_OIDC_CLIENT_ID = env_str("SOUNDOFF_OIDC_CLIENT_ID")
SOUNDOFF_OIDC_CLIENT_SECRET = env_str("SOUNDOFF_OIDC_CLIENT_SECRET")
# The button says "Sign in with <label>".
SOUNDOFF_OIDC_LABEL = env_str("SOUNDOFF_OIDC_LABEL")
# Proxies in front of the app that append to X-Forwarded-For: the client is
# that many entries from the right of it (soundoff.lib.client); 0 is none.
SOUNDOFF_TRUSTED_PROXY_HOPS = env_int("SOUNDOFF_TRUSTED_PROXY_HOPS", 0)

# Live updates (soundoff.live): Server-Sent Events per thread, served by the
# ASGI gateway (soundoff.asgi) beside the WSGI pages. Seconds unless named.
SOUNDOFF_LIVE_HEARTBEAT = env_int("SOUNDOFF_LIVE_HEARTBEAT", 15)
# A stream ends after this long; the browser reconnects and catches up.
SOUNDOFF_LIVE_MAX_AGE = env_int("SOUNDOFF_LIVE_MAX_AGE", 600)
# Open streams per client address, across workers (and instances with REDIS_URL); 429 past it.
SOUNDOFF_LIVE_STREAMS_PER_IP = env_int("SOUNDOFF_LIVE_STREAMS_PER_IP", 50)
# How long a browser waits before reconnecting (the stream's retry: hint).
SOUNDOFF_LIVE_RETRY = env_int("SOUNDOFF_LIVE_RETRY", 3)
# Events queued for one stream before its reader counts as too slow and is dropped.
SOUNDOFF_LIVE_QUEUE = env_int("SOUNDOFF_LIVE_QUEUE", 64)
# Events kept per thread for reconnecting readers to catch up on.
SOUNDOFF_LIVE_HISTORY = env_int("SOUNDOFF_LIVE_HISTORY", 100)
# Prefix of the live broker's names in Redis (REDIS_URL only).
SOUNDOFF_LIVE_PREFIX = env_str("SOUNDOFF_LIVE_PREFIX", "soundoff:live")
# The port of the live streams' own process (soundoff/live/server.py, which
# soundoff.serve starts beside granian's workers; bin/run: SOUNDOFF_PORT + 1).
# 0: none, and the gateway serves /live/ on the pages' port.
SOUNDOFF_LIVE_PORT = env_int("SOUNDOFF_LIVE_PORT", 0)
# How long that process waits for a request's head before it answers 408
# and closes: a client that opens connections and sends nothing holds none.
SOUNDOFF_LIVE_HEAD_SECONDS = env_int("SOUNDOFF_LIVE_HEAD_SECONDS", 10)
# The address it listens on (bin/run: SOUNDOFF_HOST).
SOUNDOFF_LIVE_HOST = env_str("SOUNDOFF_LIVE_HOST", "127.0.0.1")
# The port pages open their streams on, on the page's own host: by default
# SOUNDOFF_LIVE_PORT; 0 when a proxy in front routes /live/ to that port on
# the pages' own origin.
SOUNDOFF_LIVE_PUBLIC_PORT = env_int("SOUNDOFF_LIVE_PUBLIC_PORT", SOUNDOFF_LIVE_PORT)


def _on_port(hosts: list[str], port: int) -> list[str]:
    """CSP sources for ``hosts`` (as ALLOWED_HOSTS spells them) on ``port``."""
    sources = []
    for host in hosts:
        if host.startswith("."):
            sources += [f"{host[1:]}:{port}", f"*{host}:{port}"]
        else:
            sources.append(f"{host}:{port}")
    return sources


if SOUNDOFF_LIVE_PUBLIC_PORT:
    # The page's scripts open the stream there.
    SECURE_CSP["connect-src"] += _on_port(ALLOWED_HOSTS, SOUNDOFF_LIVE_PUBLIC_PORT)

# Threads running pages and the API inside the ASGI gateway.
SOUNDOFF_PAGE_THREADS = env_int("SOUNDOFF_THREADS", 8)
# How long the link that claims imported comments stays valid, in seconds.
SOUNDOFF_CLAIM_MAX_AGE = env_int("SOUNDOFF_CLAIM_MAX_AGE", 3 * 24 * 3600)
# A new account confirms its e-mail address (a link mailed to it) before its
# first comment; off lets readers comment at once.
SOUNDOFF_REQUIRE_VERIFIED_EMAIL = env_bool("SOUNDOFF_REQUIRE_VERIFIED_EMAIL", True)
# How long the link that confirms an address (new or changed) stays valid, in seconds.
SOUNDOFF_EMAIL_LINK_MAX_AGE = env_int("SOUNDOFF_EMAIL_LINK_MAX_AGE", 3 * 24 * 3600)
# Days that client data (expired sessions, finished background tasks with the
# addresses they mailed) is kept before the worker purges it; the Privacy
# Policy states this number.
SOUNDOFF_CLIENT_DATA_DAYS = env_int("SOUNDOFF_CLIENT_DATA_DAYS", 30)
# How long a CDN may serve an anonymous post page before revalidating it
# (browsers always revalidate; the ETag makes that a cheap 304).
SOUNDOFF_SHARED_CACHE_SECONDS = env_int("SOUNDOFF_SHARED_CACHE_SECONDS", 30)
# A reader who wants reply e-mails gets at most one per discussion in this
# many seconds, listing every reply since the last one.
SOUNDOFF_NOTIFY_WINDOW = env_int("SOUNDOFF_NOTIFY_WINDOW", 15 * 60)
# Where readers' replies to moderation e-mails (notices, appeal answers) go:
# a mailbox the moderators read. The sender's address when unset.
SOUNDOFF_MODERATION_REPLY_TO = env_str("SOUNDOFF_MODERATION_REPLY_TO", DEFAULT_FROM_EMAIL)
# The site's address for links in e-mails the task worker writes with no
# request to read it from; the first allowed host that is a name (not "*"
# or ".example.org") by default.
SOUNDOFF_SITE_URL = env_str(
    "SOUNDOFF_SITE_URL",
    ("https://" if HTTPS else "http://")
    + next((h for h in ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost"),
).rstrip("/")
# /healthz fails when a due background task has waited longer than this.
SOUNDOFF_WORKER_MAX_WAIT = env_int("SOUNDOFF_WORKER_MAX_WAIT", 300)
