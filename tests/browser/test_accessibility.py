"""WCAG 2.2 AA in real Chromium: axe-core on every page type, in the light and
the dark theme, signed out and signed in, the embedded widget included; and
the post page used by keyboard alone."""

import pytest
from axe_audit import audit
from playwright.sync_api import expect

from soundoff.accounts.models import ConductRule
from soundoff.discussion import services
from soundoff.moderation.decisions import flag_comment, remove_comment
from soundoff.newsroom.models import Category
from testkit import cast
from testkit.servers import api_post, seeded_server

pytestmark = pytest.mark.browser

THEMES = ["light", "dark"]


@pytest.fixture
def newsroom(site, make_moderator):
    """A category, a post whose discussion has a reported comment, a reply and
    a removed comment, and a moderator who is also an admin (for the post
    change page)."""
    world = Category.objects.create(name="World", slug="world")
    post = cast.make_post(headline="Harbour ferry returns", slug="ferry", category=world)
    writer = cast.make_reader("Wes Writer")
    first = services.post_comment(
        post.thread, author=writer, body="About time.", client=cast.CLIENT
    ).comment
    rae = cast.make_reader("Rae Reader")
    services.post_comment(
        post.thread, author=rae, body="It was *missed*.", client=cast.CLIENT, parent=first
    )
    # One reported comment, so that the moderator queue has an item to decide.
    flag_comment(first, by=rae, explanation="Off topic.")
    removed = services.post_comment(
        post.thread, author=writer, body="Something rude.", client=cast.CLIENT
    ).comment
    services.post_comment(  # keeps the removed comment's placeholder on the page
        post.thread,
        author=cast.make_reader("Pat Replier"),
        body="Steady on.",
        client=cast.CLIENT,
        parent=removed,
    )
    moderator = make_moderator("Mona Moderator")
    moderator.is_staff = moderator.is_superuser = True
    moderator.save(update_fields=["is_staff", "is_superuser"])
    remove_comment(removed, by=moderator, rule=ConductRule.objects.order_by("pk").first())
    return post, first, writer, moderator


def _context(browser, theme: str):
    context = browser.new_context(color_scheme=theme)
    context.set_default_timeout(10_000)
    return context


def _log_in(page, site, user) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".masthead__me")).to_be_visible()


def _audit_all(page, site, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(site.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        found += audit(page)
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_every_page_type_meets_wcag_aa(site, browser, newsroom, theme):
    post, first, writer, moderator = newsroom
    public = [
        "/",
        post.get_absolute_url(),
        "/world/",
        f"/comments/{first.pk}/replies/",
        "/search/?q=ferry",
        "/rules/",
        "/terms/",
        "/privacy/",
        "/accounts/login/",
        "/accounts/register/",
    ]
    signed_in = [
        post.get_absolute_url(),
        f"/comments/{first.pk}/replies/",
        "/accounts/profile/",
        "/accounts/profile/email/",
        "/accounts/profile/delete/",
        "/moderate/",
        "/moderate/queue/decided/",
        "/moderate/log/",
        f"/moderate/readers/{writer.pk}/",
        "/moderate/search/?q=time",
        "/moderate/words/",
        "/moderate/queue/rejected/",
        "/moderate/queue/approved/",
        f"/moderate/story/{post.thread.pk}/recent/",
        "/moderate/dashboard/",
        f"/admin/newsroom/post/{post.pk}/change/",
    ]
    context = _context(browser, theme)
    try:
        page = context.new_page()
        page.goto(site.url + post.get_absolute_url())
        expect(page.locator(".comment--placeholder")).to_have_count(1)
        found = _audit_all(page, site, public)
        _log_in(page, site, moderator)
        page.goto(site.url + "/moderate/")
        expect(page.locator(".mod-item")).to_have_count(1)
        found += _audit_all(page, site, signed_in)
        # The queue with the reader drawer open beside it.
        page.goto(site.url + "/moderate/")
        page.locator(".mod-item").first.focus()
        page.keyboard.press("u")
        expect(page.locator("#reader-drawer .drawer__title")).to_be_focused()
        found += audit(page)
    finally:
        context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("theme", THEMES)
def test_the_embedded_widget_meets_wcag_aa(embedded, browser, theme):
    """The host's article with the widget in its open shadow root, which axe
    audits with the rest of the page: signed out, in the sign-in popup, and
    signed in with the comment form, reply and reaction buttons."""
    reader = cast.make_reader("Wren Widget")
    context = _context(browser, theme)
    try:
        page = context.new_page()
        page.goto(embedded.article_url)
        widget = page.locator("div.soundoff")
        expect(widget.get_by_text("My commute is")).to_be_visible()
        found = audit(page)

        with page.expect_popup() as opened:
            widget.get_by_role("button", name="Log in").click()
        popup = opened.value
        popup.get_by_label("E-mail address").fill(reader.email)
        found += audit(popup)
        popup.get_by_label("Password").fill(cast.PASSWORD)
        with popup.expect_event("close"):
            popup.get_by_role("button", name="Log in").click()
        expect(widget.get_by_text("Signed in as Wren Widget", exact=True)).to_be_visible()
        expect(widget.get_by_label("Your comment")).to_be_visible()
        found += audit(page)
    finally:
        context.close()
    assert found == [], "\n".join(found)


FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        name: element.getAttribute("name"),
        text: (element.textContent || "").trim().slice(0, 40),
        outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
}"""


@pytest.mark.parametrize("theme", THEMES)
def test_the_post_page_by_keyboard_with_focus_always_visible(site, browser, newsroom, theme):
    """Tab from the top of the post page to the comment form, write and post
    by keyboard alone; every stop on the way shows where focus is."""
    post = newsroom[0]
    reader = cast.make_reader("Kay Keyboard")
    context = _context(browser, theme)
    try:
        _post_by_keyboard(context.new_page(), site, post, reader)
    finally:
        context.close()
    assert post.thread.comments.filter(author=reader).count() == 1


def _post_by_keyboard(page, site, post, reader) -> None:
    _log_in(page, site, reader)
    page.goto(site.url + post.get_absolute_url())
    stops = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        stops.append(focused)
        if focused["tag"] == "textarea" and focused["name"] == "body":
            break
    else:
        pytest.fail(f"Tab never reached the comment form: {stops}")
    assert [stop for stop in stops if not stop["outlined"]] == []
    assert len(stops) > 10  # through the masthead, the story and the comments

    page.keyboard.type("Seen from the ferry deck this morning.")
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outlined"], focused
        if focused["tag"] == "button" and focused["text"] == "Post":
            break
    page.keyboard.press("Enter")

    expect(page.get_by_text("Seen from the ferry deck this morning.")).to_be_visible()


@pytest.fixture
def running_server(tmp_path):
    """The server bin/run starts (live updates need it), with a seeded post."""
    with seeded_server(tmp_path) as world:
        yield world


def test_a_comment_arriving_live_keeps_the_page_accessible(running_server, browser):
    server, seed = running_server
    context = _context(browser, "light")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/accounts/login/?next=/posts/{seed['slug']}/")
        page.get_by_label("E-mail address").fill("bob@example.com")
        page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".masthead__me")).to_be_visible()

        status, posted = api_post(server.port, seed["token"], seed["thread"], "Hourly ferries!")
        assert status == 201, posted

        arrived = page.locator(f"#comment-{posted['id']}")
        expect(
            arrived.get_by_role("navigation", name="Actions for Alice Reader's comment")
        ).to_be_visible()
        found = audit(page)
    finally:
        context.close()
    assert found == [], "\n".join(found)
