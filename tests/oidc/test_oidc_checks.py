"""System checks for the OpenID Connect settings."""

import pytest

from soundoff.oidc.checks import check_oidc_settings

ALL = {
    "SOUNDOFF_OIDC_ISSUER": "https://id.example.org",
    "SOUNDOFF_OIDC_CLIENT_ID": "soundoff",
    "SOUNDOFF_OIDC_CLIENT_SECRET": "secret",
}


def _set(settings, values):
    for name, value in values.items():
        setattr(settings, name, value)


@pytest.mark.parametrize(
    "given", [{}, ALL, {**ALL, "SOUNDOFF_OIDC_ISSUER": "http://localhost:9000"}]
)
def test_off_or_complete_settings_pass(settings, given):
    _set(settings, {name: "" for name in ALL} | given)

    assert check_oidc_settings() == []


def test_a_partial_configuration_names_what_is_missing(settings):
    _set(settings, {**ALL, "SOUNDOFF_OIDC_CLIENT_SECRET": ""})

    [error] = check_oidc_settings()

    assert error.id == "oidc.E001"
    assert "needs SOUNDOFF_OIDC_CLIENT_SECRET too" in error.msg


def test_a_plain_http_issuer_on_this_machine_is_refused_in_production(settings):
    _set(settings, {**ALL, "SOUNDOFF_OIDC_ISSUER": "http://localhost:9000"})
    settings.DEBUG = settings.SOUNDOFF_TESTING = False

    [error] = check_oidc_settings()

    assert error.id == "oidc.E002"
    assert "not 'http://localhost:9000'" in error.msg
    settings.DEBUG = True
    assert check_oidc_settings() == []


def test_a_plain_http_issuer_off_this_machine_is_refused(settings):
    _set(settings, {**ALL, "SOUNDOFF_OIDC_ISSUER": "http://id.example.org"})

    [error] = check_oidc_settings()

    assert error.id == "oidc.E002"


def test_the_message_never_repeats_a_password_given_in_the_issuer(settings):
    _set(settings, {**ALL, "SOUNDOFF_OIDC_ISSUER": "http://admin:hunter2@id.example.org/realm"})

    [error] = check_oidc_settings()

    assert error.id == "oidc.E002"
    assert "hunter2" not in error.msg and "admin" not in error.msg
    assert "not 'http://id.example.org/realm'" in error.msg
