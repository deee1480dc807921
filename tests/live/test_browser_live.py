"""Live updates in real Chromium, against the server bin/run starts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from testkit import cast
from testkit.servers import api_post, free_port, request, seeded_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["streams on their own port", "streams through granian"])
def site(request, tmp_path_factory):
    """bin/run's server: the streams in their own process on a port of
    their own (a cross-origin EventSource), or on the pages' port."""
    data_dir = tmp_path_factory.mktemp("live-browser")
    own_port = {"SOUNDOFF_LIVE_PORT": str(free_port())} if request.param.endswith("port") else {}
    with seeded_server(data_dir, **own_port) as world:
        yield world


def problems_of(page) -> list[str]:
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda m: (
            seen.append(f"{m.type}: {m.text}")
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    return seen


def test_a_comment_posted_on_one_page_appears_on_another_without_reload(chromium, site):
    server, seed = site
    post_url = f"{server.url}/posts/{seed['slug']}/"
    watching = chromium.new_context().new_page()
    writing = chromium.new_context().new_page()
    for page in (watching, writing):
        page.set_default_timeout(10_000)
    problems = problems_of(watching)

    watching.goto(post_url)
    expect(watching.locator(".discussion__count")).to_have_text("soundoff (No Responses)")
    watching.evaluate("window.notReloaded = true")

    writing.goto(f"{server.url}/accounts/login/?next=/posts/{seed['slug']}/")
    writing.get_by_label("E-mail address").fill(seed["reader"])
    writing.get_by_label("Password").fill(cast.PASSWORD)
    writing.get_by_role("button", name="Log in").click()
    expect(writing).to_have_url(post_url)
    writing.get_by_label("Your comment").fill("Is the water safe to drink?")
    writing.get_by_role("button", name="Post", exact=True).click()
    expect(writing.locator(".discussion__count")).to_have_text("soundoff (One Response)")

    expect(watching.locator(".discussion__count")).to_have_text("soundoff (One Response)")
    first = watching.locator("ol.comments > li.comment").first
    expect(first.locator(".comment__body")).to_have_text("Is the water safe to drink?")
    expect(first.locator(".comment__author")).to_have_text("Alice Reader")

    # A reply goes under its parent.
    writing.locator("ol.comments > li.comment").first.get_by_role("link", name="Reply").click()
    writing.get_by_label("Your comment").fill("Boil it first, to be safe.")
    writing.get_by_role("button", name="Post", exact=True).click()
    expect(writing).to_have_url(re.compile(re.escape(post_url)))

    expect(watching.locator(".discussion__count")).to_have_text("soundoff (2 Responses)")
    reply = first.locator("ol.comments--replies > li.comment")
    expect(reply.locator(".comment__body")).to_have_text("Boil it first, to be safe.")
    assert watching.evaluate("window.notReloaded") is True
    assert problems == []
    watching.context.close()
    writing.context.close()


def test_page_says_politely_when_live_updates_are_unavailable(chromium, site):
    server, seed = site
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.route(
        re.compile(r".*/live/threads/.*"),
        lambda route: route.fulfill(status=503, body="Live updates are unavailable."),
    )
    page.goto(f"{server.url}/posts/{seed['slug']}/")
    expect(page.get_by_role("status").filter(has_text="Live updates are paused")).to_have_text(
        "Live updates are paused; new comments will appear when you reload."
    )
    expect(page.locator(".discussion__count")).to_have_text(re.compile(r"^soundoff \("))
    context.close()


def test_a_comment_edited_live_keeps_the_readers_pressed_reactions(chromium, site):
    server, seed = site
    post_url = f"{server.url}/posts/{seed['slug']}/"
    status, posted = api_post(server.port, seed["token"], seed["thread"], "The ferry runs again.")
    assert status == 201, posted
    comment_id = posted["id"]
    watching = chromium.new_context().new_page()
    watching.set_default_timeout(10_000)
    problems = problems_of(watching)
    watching.goto(f"{server.url}/accounts/login/?next=/posts/{seed['slug']}/")
    watching.get_by_label("E-mail address").fill("bob@example.com")
    watching.get_by_label("Password").fill(cast.PASSWORD)
    watching.get_by_role("button", name="Log in").click()
    expect(watching).to_have_url(post_url)
    card = watching.locator(f"#comment-{comment_id}")
    card.get_by_role("button", name="Agree").click()
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")

    status, _, body = request(
        server.port,
        "PATCH",
        f"/api/v1/comments/{comment_id}",
        {"body": "The ferry runs again, hourly."},
        {"Authorization": f"Bearer {seed['token']}"},
    )
    assert status == 200, body

    expect(card.locator(".comment__body")).to_have_text("The ferry runs again, hourly.")
    expect(card.get_by_role("button", name="Agree")).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")

    # A comment that arrives live has the buttons too.
    status, posted = api_post(server.port, seed["token"], seed["thread"], "Hourly!")
    assert status == 201, posted
    arrived = watching.locator(f"#comment-{posted['id']}")
    arrived.get_by_role("button", name="Funny").click()
    expect(arrived.get_by_role("button", name="Funny")).to_have_attribute("aria-pressed", "true")
    expect(arrived.locator("[data-reaction-count]")).to_have_text("1 reaction")
    assert problems == []
    watching.context.close()
