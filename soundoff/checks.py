"""Settings checked at start-up, so that a bad value stops the server.

settings.py reads the environment; a value that does not even parse as its
type (``SOUNDOFF_EDIT_WINDOW=soon``) stops the import there, naming the
variable. Everything else is checked here, as Django system checks: a rate
written the wrong way, a threshold outside 0..1, an unknown time zone, an
origin with a path, SMTP options that contradict each other. They run in
``manage.py check``, before ``migrate`` and every other management command,
and when the server loads the application (:func:`require_valid_settings`,
called by soundoff.asgi), and each message names the environment variable
and how to write it. Without them, the first reader to post a comment or
reset a password would meet the mistake as a server error.

To check a new setting, add its name under its rule in ``RULES``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import SystemCheckError
from django.core.validators import validate_email

from soundoff.lib.dateline import newsroom_zone
from soundoff.lib.ratelimit import parse_rate
from soundoff.lib.urls import InvalidPageURL, normalize_page_url

TAG = "soundoff"

# A rule takes the environment variable's name and the setting's value and
# raises ImproperlyConfigured with a message that names the variable and
# says how to write it.
Rule = Callable[[str, Any], None]


def whole(minimum: int) -> Rule:
    """A whole number of at least ``minimum``."""

    def rule(variable: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ImproperlyConfigured(
                f"{variable} must be a whole number of {minimum} or more, not {value!r}."
            )

    return rule


def port(variable: str, value: Any) -> None:
    """A TCP port number, or 0 for none."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise ImproperlyConfigured(
            f"{variable} must be a port number from 1 to 65535, or 0 for none, not {value!r}."
        )


def boolean(variable: str, value: Any) -> None:
    """On or off."""
    if not isinstance(value, bool):
        raise ImproperlyConfigured(f"{variable} must be true or false, not {value!r}.")


def fraction(variable: str, value: Any) -> None:
    """A number from 0 to 1: a score threshold."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ImproperlyConfigured(
            f"{variable} must be a number from 0 to 1, such as 0.8, not {value!r}."
        )


def rate(variable: str, value: Any) -> None:
    """hits/seconds, as soundoff.lib.ratelimit reads it."""
    parse_rate(value if isinstance(value, str) else repr(value), setting=variable)


def time_zone(variable: str, value: Any) -> None:
    newsroom_zone(value if isinstance(value, str) else repr(value))


def not_empty(variable: str, value: Any) -> None:
    """Some text: a name or a prefix that may not be empty."""
    if not isinstance(value, str) or not value.strip():
        raise ImproperlyConfigured(f"{variable} must not be empty.")


def origins(variable: str, value: Any) -> None:
    """A list of origins, scheme://host[:port], as browsers send them."""
    for origin in value if isinstance(value, list | tuple) else [value]:
        try:
            normalize_page_url(str(origin))
            parts = urlsplit(str(origin).strip())
            well_formed = parts.path in ("", "/") and not parts.query and not parts.fragment
        except InvalidPageURL:
            well_formed = False
        if not well_formed:
            raise ImproperlyConfigured(
                f"{variable} must list origins separated by commas, each written "
                f"scheme://host[:port] with nothing after it, such as "
                f"https://www.example.org, not {origin!r}."
            )


def email_address(variable: str, value: Any) -> None:
    """An address, bare or with a name: "Newsroom <news@example.org>"."""
    address = parseaddr(value)[1] if isinstance(value, str) else ""
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{variable} must be an e-mail address, optionally with a name, such as "
            f'"The Ledger <comments@example.org>", not {value!r}.'
        ) from None


def shipped_languages(variable: str, value: Any) -> None:
    """Languages Soundoff has catalogues for, by their codes: "en,es"."""
    offered = [code for code, _name in value] if isinstance(value, list | tuple) else [value]
    shipped = settings.SHIPPED_LANGUAGES
    if not offered or any(code not in shipped for code in offered):
        raise ImproperlyConfigured(
            f"{variable} must list language codes from {', '.join(shipped)}, separated by "
            f"commas, not {','.join(map(str, offered))!r}."
        )


def offered_language(variable: str, value: Any) -> None:
    """One of the languages the site offers (SOUNDOFF_LANGUAGES)."""
    offered = [code for code, _name in settings.LANGUAGES]
    if value not in offered:
        raise ImproperlyConfigured(
            f"{variable} must be one of the offered languages ({', '.join(offered)}), "
            f"not {value!r}."
        )


HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?", re.I)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_host(name: str) -> bool:
    """A name or an IPv4 address, or an IPv6 address in brackets, as in a URL."""
    in_brackets = name.startswith("[") and name.endswith("]") and _is_address(name[1:-1])
    return bool(HOST_NAME.fullmatch(name)) or in_brackets


def allowed_hosts(variable: str, value: Any) -> None:
    """Host names the site answers to: a name, an address, ".example.org"
    (the domain and its subdomains) or "*" (any). Django compares them with
    the Host header less its port, so an entry with a scheme, a port or a path
    never matches and the site answers every request with 400."""
    hosts = [str(host) for host in value] if isinstance(value, list | tuple) else [str(value)]
    for host in hosts or [""]:
        if host != "*" and not _is_host(host.removeprefix(".")):
            raise ImproperlyConfigured(
                f"{variable} must list one or more host names separated by commas, without "
                f"a scheme, port or path, such as news.example.org,.example.org, not {host!r}."
            )


def optional_host(variable: str, value: Any) -> None:
    """A server's host name or address (IPv6 without brackets), or nothing."""
    if value and not (isinstance(value, str) and (_is_host(value) or _is_address(value))):
        raise ImproperlyConfigured(
            f"{variable} must be a host name or address alone, such as mail.example.org "
            f"(the port has its own variable), not {value!r}."
        )


def redis_url(variable: str, value: Any) -> None:
    """redis:// or rediss:// with a host and a database number, unix:// with
    the socket's absolute path (unix:///run/redis.sock), or nothing.

    The message never repeats the URL: it may hold Redis's password.
    """
    if not value:
        return
    try:
        parts = urlsplit(str(value))
        parts.port  # noqa: B018 - reading it checks it
        if parts.scheme == "unix":
            # "unix://run/redis.sock" would name the host "run" and the socket
            # "/redis.sock": the path must follow the third slash.
            well_formed = not parts.hostname and parts.path.strip("/") != ""
        else:
            database = parts.path.strip("/")
            well_formed = (
                parts.scheme in ("redis", "rediss")
                and bool(parts.hostname)
                and (database == "" or database.isdigit())
            )
    except ValueError:
        well_formed = False
    if not well_formed:
        raise ImproperlyConfigured(
            f"{variable} must be a Redis URL such as redis://cache.example.org:6379/0 "
            "(rediss:// for TLS, unix:///path/to/redis.sock), or unset for no Redis."
        )


@dataclass(frozen=True)
class Setting:
    """A setting, the rule its value follows, and the variable that sets it."""

    name: str
    rule: Rule
    variable: str


# Each rule and the settings that follow it, named as in settings.py. To
# check a new setting, add its name under its rule.
RULES: tuple[tuple[Rule, tuple[str, ...]], ...] = (
    (not_empty, ("SOUNDOFF_SITE_NAME", "SOUNDOFF_LIVE_PREFIX", "SOUNDOFF_CACHE_PREFIX")),
    (time_zone, ("SOUNDOFF_TIME_ZONE",)),
    (shipped_languages, ("LANGUAGES",)),
    (offered_language, ("LANGUAGE_CODE",)),
    (boolean, ("SOUNDOFF_REQUIRE_VERIFIED_EMAIL", "SOUNDOFF_TESTING")),
    (
        fraction,
        ("SOUNDOFF_TOXICITY_THRESHOLD", "SOUNDOFF_SPAM_THRESHOLD", "SOUNDOFF_HARM_THRESHOLD"),
    ),
    (origins, ("SOUNDOFF_EMBED_ORIGINS", "CSRF_TRUSTED_ORIGINS", "SOUNDOFF_SITE_URL")),
    (email_address, ("DEFAULT_FROM_EMAIL", "SOUNDOFF_MODERATION_REPLY_TO")),
    (allowed_hosts, ("ALLOWED_HOSTS",)),
    (optional_host, ("SMTP_HOST", "SOUNDOFF_LIVE_HOST")),
    (port, ("SOUNDOFF_LIVE_PORT", "SOUNDOFF_LIVE_PUBLIC_PORT")),
    (redis_url, ("REDIS_URL",)),
    (
        rate,
        (
            "SOUNDOFF_COMMENT_RATE",
            "SOUNDOFF_COMMENT_RATE_SUSTAINED",
            "SOUNDOFF_IP_COMMENT_RATE",
            "SOUNDOFF_IP_COMMENT_RATE_SUSTAINED",
            "SOUNDOFF_FLAG_RATE",
            "SOUNDOFF_EDIT_RATE",
            "SOUNDOFF_IP_EDIT_RATE",
            "SOUNDOFF_REACTION_RATE",
            "SOUNDOFF_IP_REACTION_RATE",
            "SOUNDOFF_LOGIN_RATE",
            "SOUNDOFF_IP_LOGIN_RATE",
            "SOUNDOFF_REGISTER_RATE",
            "SOUNDOFF_IP_REGISTER_RATE",
            "SOUNDOFF_RESET_RATE",
            "SOUNDOFF_IP_RESET_RATE",
            "SOUNDOFF_CLAIM_RATE",
            "SOUNDOFF_IP_CLAIM_RATE",
        ),
    ),
    # Counts and lengths where 0 means "off", "never" or "none".
    (
        whole(0),
        (
            "SOUNDOFF_REPLY_WINDOW",
            "SOUNDOFF_EDIT_WINDOW",
            "SOUNDOFF_REPEAT_WINDOW",
            "SOUNDOFF_MAX_LINKS",
            "SOUNDOFF_PREMODERATE_FIRST",
            "SOUNDOFF_AUTO_CLOSE_HOURS",
            "SOUNDOFF_SURGE_COUNT",
            "SOUNDOFF_SHARED_CACHE_SECONDS",
            "SOUNDOFF_NOTIFY_WINDOW",
            "SOUNDOFF_TRUSTED_PROXY_HOPS",
            "SECURE_HSTS_SECONDS",
        ),
    ),
    # Sizes, durations and rule numbers that 0 would make meaningless.
    (
        whole(1),
        (
            "SOUNDOFF_POSTS_PER_PAGE",
            "SOUNDOFF_COMMENTS_PER_PAGE",
            "SOUNDOFF_MAX_COMMENT_LENGTH",
            "SOUNDOFF_REPLY_DEPTH",
            "SOUNDOFF_FLAG_THRESHOLD",
            "SOUNDOFF_SURGE_MINUTES",
            "SOUNDOFF_TOXICITY_RULE",
            "SOUNDOFF_SPAM_RULE",
            "SOUNDOFF_THREAT_RULE",
            "SOUNDOFF_DOXXING_RULE",
            "SOUNDOFF_HATE_RULE",
            "SOUNDOFF_AVATAR_MAX_BYTES",
            "SOUNDOFF_AVATAR_MAX_PIXELS",
            "SOUNDOFF_AVATAR_MAX_DECODE_BYTES",
            "SOUNDOFF_TOKEN_AGE",
            "SOUNDOFF_API_MAX_BODY",
            "SOUNDOFF_CLAIM_MAX_AGE",
            "SOUNDOFF_EMAIL_LINK_MAX_AGE",
            "SOUNDOFF_CLIENT_DATA_DAYS",
            "SOUNDOFF_WORKER_MAX_WAIT",
            "SOUNDOFF_PAGE_THREADS",
            "SOUNDOFF_LIVE_HEARTBEAT",
            "SOUNDOFF_LIVE_MAX_AGE",
            "SOUNDOFF_LIVE_STREAMS_PER_IP",
            "SOUNDOFF_LIVE_QUEUE",
            "SOUNDOFF_LIVE_HISTORY",
            "SOUNDOFF_LIVE_RETRY",
            "SOUNDOFF_LIVE_HEAD_SECONDS",
        ),
    ),
)

# The environment variable of each setting whose name is not its own.
VARIABLES = {
    "LANGUAGES": "SOUNDOFF_LANGUAGES",
    "LANGUAGE_CODE": "SOUNDOFF_LANGUAGE",
    "CSRF_TRUSTED_ORIGINS": "SOUNDOFF_CSRF_TRUSTED_ORIGINS",
    "DEFAULT_FROM_EMAIL": "SOUNDOFF_FROM_EMAIL",
    "ALLOWED_HOSTS": "SOUNDOFF_ALLOWED_HOSTS",
    "SMTP_HOST": "SOUNDOFF_SMTP_HOST",
    "SECURE_HSTS_SECONDS": "SOUNDOFF_HSTS_SECONDS",
    "SOUNDOFF_PAGE_THREADS": "SOUNDOFF_THREADS",
}

SETTINGS: tuple[Setting, ...] = tuple(
    Setting(name, rule, VARIABLES.get(name, name)) for rule, names in RULES for name in names
)


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every value in SETTINGS follows its rule (soundoff.E001)."""
    errors: list[checks.CheckMessage] = []
    for setting in SETTINGS:
        try:
            setting.rule(setting.variable, getattr(settings, setting.name))
        except ImproperlyConfigured as problem:
            errors.append(checks.Error(str(problem), id="soundoff.E001"))
    return errors


def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """There is a secret key (soundoff.E002).

    settings.py leaves SECRET_KEY empty rather than failing when there is
    none, so that tools which only load the settings (mypy's Django plugin)
    work on a fresh checkout; Django refuses an empty key wherever one is used.
    """
    try:
        settings.SECRET_KEY  # noqa: B018 - reading it is the check
    except ImproperlyConfigured:
        return [
            checks.Error(
                "There is no secret key.",
                hint=(
                    "Set SOUNDOFF_SECRET_KEY, or run bin/run once so that it writes "
                    f"{settings.DATA_DIR / 'secret_key'} for this machine."
                ),
                id="soundoff.E002",
            )
        ]
    return []


def check_smtp(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The SMTP options agree with each other (soundoff.E003-E005).

    Django's SMTP backend finds these mistakes only when it first sends, which
    would be a reader's password reset.
    """
    mailer: dict[str, Any] = settings.MAILERS.get("default", {})
    if not str(mailer.get("BACKEND", "")).endswith(".smtp.EmailBackend"):
        return []
    options: dict[str, Any] = mailer.get("OPTIONS", {})
    errors: list[checks.CheckMessage] = []
    port = options.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        errors.append(
            checks.Error(
                f"SOUNDOFF_SMTP_PORT must be a port number from 1 to 65535, such as 587, "
                f"not {port!r}.",
                id="soundoff.E003",
            )
        )
    if options.get("use_tls") and options.get("use_ssl"):
        errors.append(
            checks.Error(
                "SOUNDOFF_SMTP_STARTTLS and SOUNDOFF_SMTP_SSL are both on; a connection uses "
                "one or the other.",
                hint=(
                    "Port 587 speaks STARTTLS (SOUNDOFF_SMTP_SSL=false) and port 465 implicit "
                    "TLS (SOUNDOFF_SMTP_STARTTLS=false)."
                ),
                id="soundoff.E004",
            )
        )
    if bool(options.get("username")) != bool(options.get("password")):
        errors.append(
            checks.Error(
                "Set both SOUNDOFF_SMTP_USER and SOUNDOFF_SMTP_PASSWORD, or neither: "
                "with only one, Django sends without logging in.",
                id="soundoff.E005",
            )
        )
    return errors


ONE_YEAR = 365 * 24 * 3600


def check_hsts_preload(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Preloading comes with a year of HSTS over HTTPS (soundoff.E006).

    Without SOUNDOFF_HTTPS no HSTS header is sent at all, and the browsers'
    preload list turns away a max-age under a year: either way the operator's
    decision to preload would silently do nothing.
    """
    if not settings.SECURE_HSTS_PRELOAD:
        return []
    if settings.HTTPS and settings.SECURE_HSTS_SECONDS >= ONE_YEAR:
        return []
    return [
        checks.Error(
            "SOUNDOFF_HSTS_PRELOAD needs SOUNDOFF_HTTPS=true and SOUNDOFF_HSTS_SECONDS of "
            f"{ONE_YEAR} (a year) or more: browsers preload only sites that say so over "
            "HTTPS for a year.",
            id="soundoff.E006",
        )
    ]


def register() -> None:
    for check in (check_settings, check_secret_key, check_smtp, check_hsts_preload):
        checks.register(check, TAG)


def require_valid_settings() -> None:
    """Stop with every configuration error, as ``manage.py check`` would.

    For the server's start-up, which runs no management command: granian
    loading soundoff.asgi exits with this message instead of serving.
    """
    errors = [
        message
        for message in checks.run_checks(tags=[TAG])
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise SystemCheckError(
            "Soundoff's configuration has errors:\n\n" + "\n".join(str(e) for e in errors)
        )
