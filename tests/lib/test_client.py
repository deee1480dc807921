import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib.client import ClientInfo, client_info

rf = RequestFactory()


def test_it_uses_the_direct_peer_without_proxies() -> None:
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140")
    assert client_info(request) == ClientInfo(ip="203.0.113.9", user_agent="Firefox/140")


def test_it_ignores_a_spoofed_forwarded_for_without_proxies() -> None:
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_info(request).ip == "203.0.113.9"


def test_it_takes_the_rightmost_entry_behind_one_proxy(settings) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    # 198.51.100.1 was written by the client itself; only our proxy's entry counts.
    assert client_info(request).ip == "203.0.113.9"


def test_it_counts_hops_from_the_right_behind_two_proxies(settings) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.2"
    )
    assert client_info(request).ip == "203.0.113.9"


@pytest.mark.parametrize(
    "forwarded",
    ["", "not-an-ip", "203.0.113.9:443", "203.0.113.9, ", "999.1.1.1", "unknown"],
)
def test_it_falls_back_to_the_peer_on_malformed_forwarded_for(settings, forwarded: str) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_info(request).ip == "10.0.0.2"


def test_it_falls_back_to_the_peer_when_there_are_fewer_entries_than_hops(settings) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 3
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    assert client_info(request).ip == "10.0.0.2"


def test_it_falls_back_to_the_peer_when_the_header_is_missing(settings) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 1
    assert client_info(rf.get("/", REMOTE_ADDR="10.0.0.2")).ip == "10.0.0.2"


def test_it_canonicalises_ipv6_and_ipv4_mapped_addresses(settings) -> None:
    assert client_info(rf.get("/", REMOTE_ADDR="2001:DB8:0:0::1")).ip == "2001:db8::1"
    assert client_info(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.9")).ip == "203.0.113.9"
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=" 2001:db8::0:1 ")
    assert client_info(request).ip == "2001:db8::1"


def test_it_gives_an_empty_ip_when_the_peer_is_not_an_address() -> None:
    assert client_info(rf.get("/", REMOTE_ADDR="unix:/run/soundoff.sock")).ip == ""
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]
    assert client_info(request).ip == ""


@pytest.mark.parametrize("hops", [-1, "1", 1.0, True, None])
def test_it_refuses_a_nonsense_hop_count(settings, hops: object) -> None:
    settings.SOUNDOFF_TRUSTED_PROXY_HOPS = hops
    with pytest.raises(ImproperlyConfigured, match="SOUNDOFF_TRUSTED_PROXY_HOPS"):
        client_info(rf.get("/"))


def test_it_truncates_the_user_agent_to_300_characters() -> None:
    request = rf.get("/", HTTP_USER_AGENT="A" * 301)
    assert client_info(request).user_agent == "A" * 300
    request = rf.get("/", HTTP_USER_AGENT="A" * 300)
    assert client_info(request).user_agent == "A" * 300


def test_it_drops_control_characters_from_the_user_agent() -> None:
    request = rf.get("/", HTTP_USER_AGENT="Bot\x00/1\x1b[31m\x85")
    assert client_info(request).user_agent == "Bot/1[31m"


def test_it_gives_an_empty_user_agent_when_there_is_none() -> None:
    assert client_info(rf.get("/")).user_agent == ""


@given(st.lists(st.one_of(st.ip_addresses().map(str), st.text(max_size=12)), max_size=5))
def test_without_proxies_the_header_never_matters(entries: list[str]) -> None:
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=", ".join(entries))
    assert client_info(request).ip == "203.0.113.9"
