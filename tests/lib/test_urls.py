import pytest
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib.urls import InvalidPageURL, normalize_page_url, origin_of


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://Example.ORG/story", "https://example.org/story"),
        ("https://example.org:443/story#comments", "https://example.org/story"),
        ("http://example.org:80/", "http://example.org/"),
        ("http://example.org:8100/a", "http://example.org:8100/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/s?utm_source=x&b=2&a=1&fbclid=z", "https://example.org/s?a=1&b=2"),
        ("https://example.org./s", "https://example.org/s"),
    ],
)
def test_it_normalises(raw, expected):
    assert normalize_page_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "example.org/story",
        "ftp://example.org/",
        "javascript:alert(1)",
        "https://user:pw@example.org/",
        "https://exa mple.org/",
        "https://example.org:99999/",
        "https://example.org/" + "a" * 1000,
        "https:///path-only",
    ],
)
def test_it_refuses_what_is_not_a_page_address(raw):
    with pytest.raises(InvalidPageURL):
        normalize_page_url(raw)


@given(
    st.sampled_from(["a", "b", "utm_medium", "q"]).flatmap(
        lambda k: st.lists(st.tuples(st.just(k), st.text("xyz12", max_size=3)), max_size=3)
    )
)
def test_normalising_twice_changes_nothing(params):
    query = "&".join(f"{k}={v}" for k, v in params)
    once = normalize_page_url(f"https://Example.org/p?{query}#frag")
    assert normalize_page_url(once) == once


def test_origin_is_what_browsers_send():
    assert origin_of("http://127.0.0.1:8100/index.html") == "http://127.0.0.1:8100"
