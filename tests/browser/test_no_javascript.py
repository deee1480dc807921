"""The site works with JavaScript switched off: log in and comment."""

import pytest
from playwright.sync_api import expect

from testkit import cast

pytestmark = pytest.mark.browser


def test_a_reader_without_javascript_logs_in_and_comments(site, browser):
    reader = cast.make_reader("Dana Reader")
    post = cast.make_post(headline="Council passes budget", slug="budget")
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(f"{site.url}{post.get_absolute_url()}")
        page.locator("#comment-form").get_by_role("link", name="Log in").click()
        page.get_by_label("E-mail address").fill(reader.email)
        page.get_by_label("Password").fill(cast.PASSWORD)
        page.get_by_role("button", name="Log in").click()

        expect(page).to_have_url(f"{site.url}{post.get_absolute_url()}#comment-form")
        expect(page.locator(".masthead__me")).to_contain_text("Dana Reader")
        page.get_by_label("Your comment").fill("Where does the money for the parks go?")
        page.get_by_role("button", name="Post", exact=True).click()

        expect(page.locator(".discussion__count")).to_have_text("soundoff (One Response)")
        comment = page.locator("li.comment").first
        expect(comment.locator(".comment__author")).to_have_text("Dana Reader")
        expect(comment.locator(".comment__body")).to_have_text(
            "Where does the money for the parks go?"
        )
    finally:
        context.close()
