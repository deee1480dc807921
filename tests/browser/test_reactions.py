"""Reacting to a comment in Chromium: in place with JavaScript, through the
page's forms without it."""

import pytest
from playwright.sync_api import expect

from soundoff.discussion import services
from soundoff.discussion.models import Reaction
from testkit import cast

pytestmark = pytest.mark.browser


@pytest.fixture
def discussed(site):
    post = cast.make_post(headline="Harbour ferry returns", slug="ferry")
    writer = cast.make_reader("Wes Writer")
    comment = services.post_comment(
        post.thread, author=writer, body="About time.", client=cast.CLIENT
    ).comment
    return post, comment, cast.make_reader("Rae Reader")


def _log_in(page, site, user, then: str) -> None:
    page.goto(f"{site.url}/accounts/login/?next={then}")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".masthead__me")).to_be_visible()


def test_a_reaction_updates_in_place_with_javascript(site, page, problems, discussed):
    post, comment, reader = discussed
    _log_in(page, site, reader, post.get_absolute_url())
    card = page.locator(f"#comment-{comment.pk}")
    agree = card.get_by_role("button", name="Agree")
    expect(agree).to_have_attribute("aria-pressed", "false")
    page.evaluate("() => { window.notReloaded = true; }")

    agree.click()

    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")
    card.get_by_role("button", name="Funny").click()
    expect(card.locator("[data-reaction-count]")).to_have_text("2 reactions")
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "false")
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")
    expect(card.get_by_role("button", name="Funny")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => window.notReloaded") is True
    assert list(Reaction.objects.values_list("user", "kind")) == [(reader.pk, "funny")]
    assert problems.messages == []


def test_a_refusal_is_said_beside_the_buttons(site, page, problems, discussed, settings):
    settings.SOUNDOFF_REACTION_RATE = "1/3600"
    post, comment, reader = discussed
    _log_in(page, site, reader, post.get_absolute_url())
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_role("button", name="Agree").click()
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")

    card.get_by_role("button", name="Insightful").click()

    expect(card.get_by_role("alert")).to_contain_text("You are reacting faster than this site")
    expect(card.get_by_role("button", name="Insightful")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")


def test_a_reaction_without_javascript(site, browser, discussed):
    post, comment, reader = discussed
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        _log_in(page, site, reader, post.get_absolute_url())
        card = page.locator(f"#comment-{comment.pk}")

        card.get_by_role("button", name="Insightful").click()

        expect(page).to_have_url(f"{site.url}{post.get_absolute_url()}#comment-{comment.pk}")
        expect(page.locator(".messages")).to_contain_text("Your reaction is counted.")
        expect(card.get_by_role("button", name="Insightful")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(card.locator("[data-reaction-count]")).to_have_text("1 reaction")
    finally:
        context.close()
