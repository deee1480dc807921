"""Reads of the environment: the default when unset (or, for the typed ones,
blank), the value when it is of the type, and otherwise an error naming the
variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from soundoff.lib.environment import env_bool, env_choice, env_float, env_int, env_list, env_str

LEVELS = ("DEBUG", "INFO", "WARNING")


@pytest.mark.parametrize(
    ("read", "raw", "value"),
    [
        (lambda: env_str("SOUNDOFF_X", "d"), "  padded  ", "padded"),
        (lambda: env_bool("SOUNDOFF_X"), "Yes", True),
        (lambda: env_bool("SOUNDOFF_X", True), "off", False),
        (lambda: env_int("SOUNDOFF_X", 1), " 42 ", 42),
        (lambda: env_float("SOUNDOFF_X", 0.5), "0.8", 0.8),
        (lambda: env_list("SOUNDOFF_X", "a"), " en, ,es ", ["en", "es"]),
        (lambda: env_choice("SOUNDOFF_X", "INFO", LEVELS), "warning", "WARNING"),
    ],
)
def test_a_value_of_the_type_is_read(monkeypatch, read, raw, value):
    monkeypatch.setenv("SOUNDOFF_X", raw)
    assert read() == value


@pytest.mark.parametrize(
    ("read", "default"),
    [
        (lambda: env_bool("SOUNDOFF_X", True), True),
        (lambda: env_int("SOUNDOFF_X", 7), 7),
        (lambda: env_float("SOUNDOFF_X", 0.5), 0.5),
        (lambda: env_choice("SOUNDOFF_X", "INFO", LEVELS), "INFO"),
    ],
)
@pytest.mark.parametrize("unset", [True, False])
def test_unset_or_blank_is_the_default(monkeypatch, read, default, unset):
    if unset:
        monkeypatch.delenv("SOUNDOFF_X", raising=False)
    else:
        monkeypatch.setenv("SOUNDOFF_X", "   ")
    assert read() == default


def test_text_is_the_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("SOUNDOFF_X", raising=False)
    assert (env_str("SOUNDOFF_X", "d"), env_list("SOUNDOFF_X", "a,b")) == ("d", ["a", "b"])
    monkeypatch.setenv("SOUNDOFF_X", " ")
    assert (env_str("SOUNDOFF_X", "d"), env_list("SOUNDOFF_X", "a,b")) == ("", [])


@pytest.mark.parametrize(
    ("read", "raw", "message"),
    [
        (
            lambda: env_bool("SOUNDOFF_X"),
            "maybe",
            "SOUNDOFF_X must be true or false, not 'maybe'.",
        ),
        (lambda: env_int("SOUNDOFF_X", 1), "1.5", "SOUNDOFF_X must be a whole number, not '1.5'."),
        (
            lambda: env_float("SOUNDOFF_X", 0.5),
            "high",
            "SOUNDOFF_X must be a number, such as 0.8, not 'high'.",
        ),
        (
            lambda: env_choice("SOUNDOFF_X", "INFO", LEVELS),
            "LOUD",
            "SOUNDOFF_X must be one of DEBUG, INFO, WARNING, not 'LOUD'.",
        ),
    ],
)
def test_a_value_of_another_type_is_refused_naming_the_variable(monkeypatch, read, raw, message):
    monkeypatch.setenv("SOUNDOFF_X", raw)
    with pytest.raises(ImproperlyConfigured) as refused:
        read()
    assert str(refused.value) == message
