"""A reader's whole path through the site, in real Chromium."""

import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from testkit import cast

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/soundoff-post.png"


def _profile_picture(tmp_path):
    path = tmp_path / "me.png"
    image = Image.new("RGB", (240, 240), (30, 90, 160))
    for x in range(60, 180):
        for y in range(60, 180):
            image.putpixel((x, y), (240, 200, 40))
    image.save(path, format="PNG")
    return path


def test_reader_registers_comments_replies_edits_and_deletes(
    site, page, problems, tmp_path, tasks_at_once
):
    post = cast.make_post(
        headline="Water main breaks downtown",
        slug="water-main",
        body="Crews closed Main Street.\n\n> Expect delays, the city said.",
    )
    post_url = f"{site.url}{post.get_absolute_url()}"

    # The front page lists the post with its count.
    page.goto(site.url + "/")
    teaser = page.locator("article.teaser", has_text="Water main breaks downtown")
    expect(teaser).to_be_visible()
    expect(teaser.get_by_role("link", name="soundoff (No Responses)")).to_be_visible()

    # The post page, then Register from the header.
    teaser.get_by_role("link", name="Water main breaks downtown").click()
    expect(page).to_have_url(post_url)
    expect(page.locator(".discussion__count")).to_have_text("soundoff (No Responses)")
    page.locator(".masthead").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Register")).to_be_visible()

    page.get_by_label("E-mail address").fill("carol@example.com")
    page.get_by_label("Display name").fill("Carol Reader")
    page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
    page.get_by_label("Password again").fill(cast.PASSWORD)
    page.get_by_label("Profile picture").set_input_files(_profile_picture(tmp_path))
    page.get_by_label(re.compile("I accept the Terms of Service")).check()
    page.get_by_role("button", name="Create my account").click()

    # Registering answers alike for new and taken addresses, so the reader
    # logs in next, the address already filled in.
    expect(page.get_by_role("heading", name="Thank you for registering")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("carol@example.com")
    page.get_by_label("Password", exact=True).fill(cast.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The next parameter brings the reader back to the post.
    expect(page).to_have_url(post_url)
    me = page.locator(".masthead__me")
    expect(me).to_contain_text("Carol Reader")
    expect(me.locator("img")).to_have_attribute("src", re.compile(r"/avatars/.+\.webp$"))
    assert me.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")

    # The address is confirmed by the link mailed to it, before the first comment.
    [message] = mail.outbox
    assert message.to == ["carol@example.com"]
    page.goto(re.search(r"http://\S+/accounts/email/confirm/\?token=\S+", message.body)[0])
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_text("your e-mail address is confirmed")).to_be_visible()
    page.goto(post_url)

    # A comment.
    page.get_by_label("Your comment").fill("Is the water safe to drink?")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".discussion__count")).to_have_text("soundoff (One Response)")
    first = page.locator("ol.comments > li.comment").first
    expect(first.locator(".comment__body")).to_have_text("Is the water safe to drink?")
    expect(first.locator(".comment__author").first).to_have_text("Carol Reader")
    expect(first.locator("img.avatar").first).to_have_attribute(
        "src", re.compile(r"/avatars/.+\.webp$")
    )

    # A reply, nested under it.
    first.get_by_role("link", name="Reply").first.click()
    expect(page.get_by_role("heading", name="Reply to Carol Reader")).to_be_visible()
    page.get_by_label("Your comment").fill("Boil it first, to be safe.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(post_url)))
    expect(page.locator(".discussion__count")).to_have_text("soundoff (2 Responses)")
    reply = first.locator("ol.comments--replies > li.comment").first
    expect(reply.locator(".comment__body")).to_have_text("Boil it first, to be safe.")
    expect(reply.locator(".comment__author")).to_have_text("Carol Reader")

    # Edit the reply.
    reply.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    page.get_by_label("Your comment").fill("Boil it for a full minute, to be safe.")
    page.get_by_role("button", name="Save changes").click()
    reply = page.locator("ol.comments--replies > li.comment").first
    expect(reply.locator(".comment__body")).to_have_text("Boil it for a full minute, to be safe.")
    expect(reply.locator(".comment__edited")).to_have_text("edited")

    page.screenshot(path=SCREENSHOT, full_page=True)

    # Delete the first comment: a placeholder keeps the reply in context.
    first = page.locator("ol.comments > li.comment").first
    first.locator(".comment__actions").first.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete your comment?")).to_be_visible()
    page.get_by_role("button", name="Delete comment").click()
    first = page.locator("ol.comments > li.comment").first
    expect(first.locator(".comment__gone")).to_have_text("This comment was deleted by its author.")
    expect(first.locator("ol.comments--replies .comment__body")).to_have_text(
        "Boil it for a full minute, to be safe."
    )
    expect(page.locator(".discussion__count")).to_have_text("soundoff (One Response)")

    assert problems.messages == [], "\n".join(dict.fromkeys(problems.messages))
