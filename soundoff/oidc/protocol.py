"""The OpenID Connect protocol with the newsroom's provider, done by Authlib.

Authlib's Django client runs the authorization code flow: it makes the
``state`` (kept in the session, used once), the ``nonce`` and the PKCE
verifier (S256), exchanges the code, and checks the ID token's signature
against the provider's published keys, its issuer, audience, expiry, nonce
and access-token hash. This module configures it from the settings, adds
the checks Authlib leaves to the application (the issuer of the discovery
document and of the response, a response that must carry an ID token, the
UserInfo answer being about the same account), and turns every way the
exchange can fail into a SignInFailed that a page can show.

Only the sign-in views import it, when a reader signs in: Authlib,
requests and cryptography take about 25 MB in every server process, which
most processes (and every site without a provider) never need. What the
pages need to know (is it on, what is it called, the claims) is in
client.py.

Authlib rather than mozilla-django-oidc: Authlib reads the endpoints and
keys from the issuer's discovery document, so one issuer URL configures it,
while mozilla-django-oidc wants every endpoint and the signing algorithm
set by hand (HS256 unless told otherwise) and finds users by e-mail address
without asking whether the provider verified it. Linking is a decision this
project makes itself (services.reader_for), so it needs a protocol client,
not an authentication backend.
"""

from __future__ import annotations

import functools
from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from .client import ProviderClaims, label
from .errors import ProviderUnavailable, SignInFailed, SignInRefused

SCOPE = "openid email profile"
# Seconds to wait for each call to the provider (discovery, keys, token,
# UserInfo); these run inside the reader's request.
TIMEOUT = 10


@functools.lru_cache(maxsize=4)
def _app(issuer: str, client_id: str, client_secret: str) -> DjangoOAuth2App:
    # One client per configuration, kept for the process: it holds the
    # discovery document and the provider's keys once fetched.
    oauth = OAuth()
    app: DjangoOAuth2App = oauth.register(
        "newsroom",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )
    return app


def _configured_app() -> DjangoOAuth2App:
    app = _app(
        settings.SOUNDOFF_OIDC_ISSUER,
        settings.SOUNDOFF_OIDC_CLIENT_ID,
        settings.SOUNDOFF_OIDC_CLIENT_SECRET,
    )
    try:
        metadata = app.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise _unavailable("discovery_failed") from error
    # OpenID Connect Discovery §4.3: the document must name the issuer it
    # was fetched for, or tokens could be accepted from another issuer.
    if metadata.get("issuer") != settings.SOUNDOFF_OIDC_ISSUER:
        raise _unavailable("discovery_issuer_mismatch")
    return app


def _unavailable(code: str) -> ProviderUnavailable:
    return ProviderUnavailable(
        _(
            "Signing in with %(provider)s is not working at the moment. Try again later, or "
            "log in with your e-mail address and password."
        )
        % {"provider": label()},
        code=code,
    )


def _unverifiable(code: str) -> SignInFailed:
    return SignInFailed(
        _(
            "The answer from %(provider)s could not be verified, so you are not signed in. "
            "Start again."
        )
        % {"provider": label()},
        code=code,
    )


def authorization_redirect(request: HttpRequest, *, redirect_uri: str) -> HttpResponseRedirect:
    """Send the browser to the provider, with a new state, nonce and PKCE
    challenge remembered in this session."""
    app = _configured_app()
    try:
        response: HttpResponseRedirect = app.authorize_redirect(request, redirect_uri)
    except RuntimeError as error:  # no authorization endpoint in the discovery document
        raise _unavailable("no_authorization_endpoint") from error
    return response


def complete(request: HttpRequest) -> ProviderClaims:
    """Finish the flow the provider sent the browser back from, and return
    the verified claims of the account; raise SignInFailed otherwise."""
    refusal = request.GET.get("error")
    if refusal == "access_denied":
        raise SignInRefused(
            _("You did not allow %(site)s to use %(provider)s, so you are not signed in.")
            % {"site": settings.SOUNDOFF_SITE_NAME, "provider": label()},
            code="access_denied",
        )
    if refusal:
        # The provider's error_description is not shown: anyone can put
        # any text in this URL.
        raise SignInFailed(
            _("Signing in with %(provider)s did not work. Start again.") % {"provider": label()},
            code="provider_error",
        )
    app = _configured_app()
    issuer = settings.SOUNDOFF_OIDC_ISSUER
    # RFC 9207: a provider that names itself in the response must be ours.
    if "iss" in request.GET and request.GET["iss"] != issuer:
        raise _unverifiable("response_issuer_mismatch")
    try:
        token = app.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": app.client_id},
            },
        )
    except MismatchingStateError:
        raise SignInFailed(
            _(
                "This sign-in has expired or was already used, or it was started in another "
                "browser. Start again."
            ),
            code="state_mismatch",
        ) from None
    except OAuthError as refused:
        # The token endpoint refused the code: expired, used, or not ours.
        raise SignInFailed(
            _("This sign-in with %(provider)s was not accepted; it may have expired. Start again.")
            % {"provider": label()},
            code=f"token_{refused.error}",
        ) from None
    except requests.RequestException as error:
        raise _unavailable("token_request_failed") from error
    except (JoseError, ValueError, RuntimeError) as error:
        raise _unverifiable("id_token_invalid") from error
    # Authlib validates an ID token only when the response has one; an
    # OpenID Connect response without it proves nothing.
    id_claims = token.get("userinfo")
    if not id_claims:
        raise _unverifiable("id_token_missing")
    claims = dict(id_claims)
    # Core §2: at most 255 ASCII characters, which the identity row keeps.
    if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= 255:
        raise _unverifiable("subject_invalid")
    if app.server_metadata.get("userinfo_endpoint"):
        claims.update(_userinfo(app, token, subject=claims["sub"]))
    return ProviderClaims.from_claims(issuer, claims)


def _userinfo(app: DjangoOAuth2App, token: dict[str, Any], *, subject: str) -> dict[str, Any]:
    """The profile claims, which many providers leave out of the ID token.

    OpenID Connect Core §5.3.2: the answer must be about the account the ID
    token names, or it must not be used.
    """
    try:
        info = dict(app.userinfo(token=token))
    except requests.RequestException as error:
        raise _unavailable("userinfo_request_failed") from error
    except (OAuthError, ValueError) as error:
        raise _unverifiable("userinfo_invalid") from error
    if info.get("sub") != subject:
        raise _unverifiable("userinfo_subject_mismatch")
    # The identity claims come from the ID token only.
    for name in ("iss", "aud", "sub"):
        info.pop(name, None)
    return info
