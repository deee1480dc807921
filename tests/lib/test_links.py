"""soundoff.lib.links: signed, expiring link tokens."""

import pytest

from soundoff.lib.links import LinkExpired, LinkInvalid, make_link_token, read_link_token


def test_a_token_reads_back_what_was_signed():
    token = make_link_token({"user": 7, "email": "a@example.org"}, salt="one")
    assert read_link_token(token, salt="one", max_age=60) == {"user": 7, "email": "a@example.org"}


def test_another_salt_or_a_changed_token_is_invalid():
    token = make_link_token({"user": 7}, salt="one")
    for bad, salt in ((token, "two"), (token[:-1], "one"), ("", "one"), ("no:colon", "one")):
        with pytest.raises(LinkInvalid):
            read_link_token(bad, salt=salt, max_age=60)


def test_a_signed_value_that_is_not_a_dict_is_invalid():
    with pytest.raises(LinkInvalid):
        read_link_token(make_link_token(["not", "a", "dict"], salt="one"), salt="one", max_age=60)  # type: ignore[arg-type]


def test_past_its_age_a_token_has_expired():
    token = make_link_token({"user": 7}, salt="one")
    with pytest.raises(LinkExpired):
        read_link_token(token, salt="one", max_age=-1)
