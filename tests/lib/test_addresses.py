from django.urls import reverse, set_script_prefix

from soundoff.lib.addresses import address


def test_addresses_are_what_reverse_gives():
    for name, arguments in [
        ("discussion:comment", {"comment_id": 42}),
        ("avatar", {"user_id": 7, "digest": "0123456789abcdef", "size": 96}),
        ("default_avatar", {"user_id": 12345}),
    ]:
        assert address(name, **arguments) == reverse(name, kwargs=arguments)


def test_a_site_mounted_under_a_path_gets_its_prefix():
    try:
        set_script_prefix("/news/")
        assert address("discussion:comment", comment_id=3) == "/news/comments/3/"
    finally:
        set_script_prefix("/")
    assert address("discussion:comment", comment_id=3) == "/comments/3/"
