"""Nothing scrolls sideways: long unbroken text (URLs, BLNS-style lines, a
long display name) and deep replies stay inside the page at a phone's width
(390 px) and a desktop's (1280 px), on every kind of page."""

import pytest
from django.contrib.auth.models import Group, Permission

from soundoff.accounts.queries import current_rules
from soundoff.discussion import services
from soundoff.moderation.decisions import remove_comment
from soundoff.moderation.models import Flag
from soundoff.newsroom.models import Category, UpdateKind
from soundoff.newsroom.services import add_post_update
from testkit import cast

pytestmark = pytest.mark.browser

LONG_URL = "https://example.org/" + "a-very-long-path-segment-" * 30 + "?q=" + "x" * 200
UNBROKEN = "Ω≈ç√∫\u02dcµ≤≥÷" * 40 + "ZALGO" + "\u0301" * 3 + "_" * 300
TABLE_FLIP = "(╯°□°\uff09╯︵ ┻━┻" * 20


def _scroll_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


@pytest.fixture
def crowded_thread(site, settings):
    settings.SOUNDOFF_COMMENT_RATE = "100/60"
    post = cast.make_post(
        headline="Bridge" + "closure" * 27,  # 195 of the 200 characters
        slug="bridge",
        body=f"Details at {LONG_URL}\n\n    {'code' * 120}",
        category=Category.objects.create(name="Transport" * 8, slug="transport"),
    )
    add_post_update(post, by=None, kind=UpdateKind.CORRECTION, text=f"{LONG_URL} {UNBROKEN}")
    writer = cast.make_reader("W" * 40)
    parent = None
    chain = []
    for depth in range(6):
        body = f"{LONG_URL}\n\n{UNBROKEN}\n\n`{'inline-code' * 40}`\n\n{TABLE_FLIP} {depth}"
        parent = services.post_comment(
            post.thread, author=writer, body=body, client=cast.CLIENT, parent=parent
        ).comment
        chain.append(parent)
    moderator = cast.make_reader("Mod" + "e" * 37)  # 40, the longest name
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="moderation", codename="moderate")
    )
    moderator.groups.add(group)
    reporter = cast.make_reader("Reporter")
    Flag.objects.create(comment=chain[-1], reporter=reporter, explanation=UNBROKEN[:500])
    remove_comment(chain[2], by=moderator, rule=current_rules()[0], note=UNBROKEN[:200])
    return post, writer, moderator, chain[-1]


def _log_in(page, site, user) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(site, browser, crowded_thread, width):
    post, writer, moderator, deepest = crowded_thread
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        reader_pages = [
            "/",
            "/transport/",
            post.get_absolute_url(),
            f"/comments/{deepest.root_id}/replies/",
            "/rules/",
            "/terms/",
            "/privacy/",
            "/accounts/login/",
            "/accounts/register/",
            "/search/?q=details",
            "/search/?q=" + "x" * 200,
        ]
        for path in reader_pages:
            page.goto(site.url + path)
            assert _scroll_overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
        page.goto(site.url + "/search/?q=details")
        assert page.locator("main mark").count() > 0  # the results were there to measure
        _log_in(page, site, moderator)
        for path in [
            post.get_absolute_url(),
            "/accounts/profile/",
            "/moderate/",
            "/moderate/queue/recent/",
            "/moderate/queue/decided/",
            "/moderate/log/",
            f"/moderate/readers/{writer.pk}/",
            "/moderate/queue/rejected/",
            "/moderate/queue/approved/",
            f"/moderate/story/{post.thread.pk}/recent/",
            "/moderate/dashboard/",
            "/moderate/search/?q=inline",
        ]:
            page.goto(site.url + path)
            assert page.url.startswith(site.url + path.split("?")[0]), page.url
            assert _scroll_overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
        assert page.locator("main mark").count() > 0
    finally:
        context.close()


def test_deep_replies_keep_a_readable_width_on_a_phone(site, browser, crowded_thread):
    post, *_ = crowded_thread
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        page.goto(site.url + post.get_absolute_url())
        narrowest = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('.comment__body')]"
            ".map(body => body.getBoundingClientRect().width))"
        )
        assert narrowest >= 240, f"the deepest reply is {narrowest} px wide at 390 px"
    finally:
        context.close()
