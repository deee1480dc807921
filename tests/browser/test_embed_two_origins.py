"""The widget on another site, in real Chromium: two origins, one snippet.

A plain static site on http://127.0.0.1:<port> embeds Soundoff, which the
live server runs on http://localhost:<port>: a different origin (and site),
as for a newsroom's CMS and its Soundoff. A second static site, on another
port and not on the allow-list, gets the refusal.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from soundoff.accounts.models import PolicyKind, User
from soundoff.accounts.queries import current_policies
from soundoff.api.tokens import issue_token
from soundoff.discussion.models import Comment, DiscussionMode, Reaction, Thread
from soundoff.moderation.decisions import withhold_comment
from soundoff.moderation.models import Flag
from soundoff.moderation.sanctions import suspend_user
from testkit import cast
from testkit.browser import ARTICLE, BrowserProblems

pytestmark = pytest.mark.browser


def open_the_widget_signed_in(page: Page, article_url: str, reader: User) -> Locator:
    """Open the article and sign ``reader`` in through the widget's popup."""
    page.goto(article_url)
    widget = page.locator("div.soundoff")
    with page.expect_popup() as opened:
        widget.get_by_role("button", name="Log in").click()
    popup = opened.value
    popup.get_by_label("E-mail address").fill(reader.email)
    popup.get_by_label("Password").fill(cast.PASSWORD)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Log in").click()
    return widget


def test_a_reader_on_another_site_reads_signs_in_accepts_and_comments(embedded, page, problems):
    soundoff, host, thread = embedded.soundoff, embedded.host, embedded.thread
    reader = cast.make_reader("New Comer", accepted=False)

    page.goto(embedded.article_url)
    widget = page.locator("div.soundoff")
    expect(widget.get_by_role("heading", name="soundoff (One Response)")).to_be_visible()
    first = widget.locator("li.comment").first
    expect(first.locator(".author")).to_have_text("Alice Reader")
    expect(first.locator(".text em")).to_have_text("short")
    # The host's theme reaches into the shadow root through custom properties.
    log_in = widget.get_by_role("button", name="Log in")
    assert log_in.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 83, 148)"

    # Sign in through Soundoff's own first-party popup.
    with page.expect_popup() as opened:
        log_in.click()
    popup = opened.value
    popup_problems = BrowserProblems(popup)
    expect(popup).to_have_url(re.compile(rf"^{re.escape(soundoff)}/embed/accounts/login/\?next="))
    popup.get_by_label("E-mail address").fill(reader.email)
    popup.get_by_label("Password").fill(cast.PASSWORD)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Log in").click()
    assert popup_problems.messages == []

    expect(widget.get_by_text("Signed in as New Comer", exact=True)).to_be_visible()
    expect(widget.get_by_text("Before you comment, please read and accept:")).to_be_visible()
    widget.get_by_role("button", name="I have read and accept these documents").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you. You can comment now.")

    widget.get_by_label("Your comment").fill("The new lanes are much safer for cyclists.")
    widget.get_by_role("button", name="Post", exact=True).click()
    expect(widget.get_by_role("heading", name="soundoff (2 Responses)")).to_be_visible()
    mine = widget.locator("li.comment").nth(1)
    expect(mine.locator(".author")).to_have_text("New Comer")
    expect(mine.locator(".text")).to_have_text("The new lanes are much safer for cyclists.")
    expect(widget.get_by_label("Your comment")).to_have_value("")
    assert Comment.objects.filter(thread=thread, author=reader).count() == 1

    # The host's index page: every marked link filled in, with one request.
    counts: list[str] = []
    page.on("request", lambda r: counts.append(r.url) if "/api/v1/counts" in r.url else None)
    page.goto(f"{host}/")
    expect(page.locator("a.bridge")).to_have_text("soundoff (2 Responses)")
    expect(page.locator("a.fair")).to_have_text("soundoff (No Responses)")
    assert len(counts) == 1

    assert problems.messages == []


def test_an_unconfirmed_reader_keeps_the_text_and_can_ask_for_the_link(
    embedded, page, problems, tasks_at_once
):
    reader = cast.make_reader("Una Confirmed", verified=False, email="una@example.com")
    widget = open_the_widget_signed_in(page, embedded.article_url, reader)
    expect(widget.get_by_text("Signed in as Una Confirmed", exact=True)).to_be_visible()

    widget.get_by_label("Your comment").fill("Will the lanes stay?")
    widget.get_by_role("button", name="Post", exact=True).click()
    error = widget.locator("form p.error")
    expect(error).to_contain_text("please confirm your e-mail address")
    expect(widget.get_by_label("Your comment")).to_have_value("Will the lanes stay?")
    assert not Comment.objects.filter(author=reader).exists()

    error.get_by_role("button", name="Send the link again").click()
    expect(error).to_have_text(re.compile("^We sent a new link to your e-mail address"))
    assert [message.to for message in mail.outbox] == [["una@example.com"]]
    expect(widget.get_by_label("Your comment")).to_have_value("Will the lanes stay?")
    # The browser logs the refused POST itself; nothing else went wrong.
    assert [m for m in problems.messages if "status of 403" not in m] == []


def test_a_site_not_on_the_allow_list_is_refused_and_creates_nothing(
    embedded, site, page, static_site
):
    host, root = static_site("scraper")
    article_url = f"{host}/news/bridge.html"
    (root / "news" / "bridge.html").write_text(ARTICLE.format(soundoff=site.url, page=article_url))

    page.goto(article_url)
    widget = page.locator("div.soundoff")
    refusal = widget.get_by_role("alert")
    expect(refusal).to_contain_text("This site is not allowed to embed discussions")
    expect(refusal).to_contain_text(host)
    expect(widget.get_by_role("button", name="Log in")).to_be_hidden()
    expect(widget.get_by_label("Your comment")).to_be_hidden()
    assert not Thread.objects.filter(page_url__startswith=host).exists()

    # Even holding a reader's token, the page can't post: the browser's CORS
    # check stops the request before it is sent.
    outcome = page.evaluate(
        """async ([api, token, url]) => {
            try {
                const response = await fetch(api, {
                    method: "POST",
                    headers: {
                        "Authorization": "Bearer " + token,
                        "Content-Type": "application/json",
                    },
                    body: JSON.stringify({body: "Scraped.", page_url: url, title: "Scraped"}),
                });
                return response.status;
            } catch (error) {
                return "blocked";
            }
        }""",
        [f"{site.url}/api/v1/comments", issue_token(embedded.alice), article_url],
    )
    assert outcome == "blocked"
    assert not Thread.objects.filter(page_url__startswith=host).exists()


def test_a_signed_in_reader_pages_sorts_reacts_replies_edits_reports_and_deletes(
    embedded, page, problems
):
    thread, alice = embedded.thread, embedded.alice
    first = Comment.objects.get(thread=thread)
    bob = cast.make_reader("Bob Reader")
    for n in range(5):
        cast.make_comment(thread, bob, f"Reply number {n + 1}.", parent=first)
    for n in range(21):
        cast.make_comment(thread, alice, f"Comment number {n + 2}.")
    carol = cast.make_reader("Carol Reader")

    # Signed in earlier in this tab: the token waits in sessionStorage.
    page.goto(f"{embedded.host}/")
    page.evaluate(
        "([key, token]) => sessionStorage.setItem(key, token)",
        [f"soundoff-token:{embedded.soundoff}", issue_token(carol)],
    )
    page.goto(embedded.article_url)
    widget = page.locator("div.soundoff")
    expect(widget.get_by_role("heading", name="soundoff (27 Responses)")).to_be_visible()
    expect(widget.get_by_text("Signed in as Carol Reader", exact=True)).to_be_visible()
    top_level = widget.locator("ol.comments > li.comment")

    # Twenty at a time, then the rest; three replies, then the others.
    expect(top_level).to_have_count(20)
    widget.get_by_role("button", name="Load more comments").click()
    expect(top_level).to_have_count(22)
    expect(widget.get_by_role("button", name="Load more comments")).to_be_hidden()
    opening = top_level.first
    expect(opening.locator("ol.replies > li.comment")).to_have_count(3)
    opening.get_by_role("button", name="Show 2 more replies").click()
    expect(opening.locator("ol.replies > li.comment")).to_have_count(5)

    widget.get_by_role("button", name="Newest first").click()
    expect(top_level.first.locator(":scope > article .text")).to_have_text("Comment number 22.")
    widget.get_by_role("button", name="Oldest first").click()
    opening = top_level.first
    expect(opening.locator(":scope > article .text")).to_have_text(
        "Finally! My commute is short again."
    )
    actions = opening.locator("article").first

    # React, and take it back.
    actions.get_by_role("button", name="Agree").click()
    expect(actions.get_by_role("button", name="Agree")).to_have_attribute("aria-pressed", "true")
    expect(actions.get_by_text("1 reaction")).to_be_visible()
    assert Reaction.objects.filter(comment=first, user=carol, kind="agree").exists()

    # Reply, then edit the reply from its own text.
    actions.get_by_role("button", name="Reply").click()
    opening.get_by_label("Your reply to Alice Reader").fill("Mine is **shorter** too.")
    opening.get_by_role("button", name="Post reply").click()
    expect(widget.get_by_role("heading", name="soundoff (28 Responses)")).to_be_visible()
    reply = opening.locator("li.comment", has_text="too.")
    expect(reply.locator(".text strong")).to_have_text("shorter")
    reply.get_by_role("button", name="Edit").click()
    expect(reply.get_by_label("Edit your comment")).to_have_value("Mine is **shorter** too.")
    reply.get_by_label("Edit your comment").fill("Mine is *much* shorter too.")
    reply.get_by_role("button", name="Save").click()
    expect(reply.locator(".text em")).to_have_text("much")
    expect(reply.get_by_text("edited", exact=True)).to_be_visible()
    assert Comment.objects.get(author=carol).body == "Mine is *much* shorter too."

    # Report someone else's comment, citing a rule.
    second = top_level.nth(1)
    second.get_by_role("button", name="Report").click()
    second.get_by_label("Which rule does it break?").select_option("2")
    second.get_by_role("button", name="Send report").click()
    expect(second.get_by_text("Thank you. A moderator will review this comment.")).to_be_visible()
    flag = Flag.objects.get(reporter=carol)
    assert flag.rule is not None and flag.rule.number == 2

    # Delete the reply.
    reply.get_by_role("button", name="Delete").click()
    reply.get_by_role("button", name="Yes, delete it").click()
    expect(reply).to_have_count(0)
    expect(widget.get_by_role("heading", name="soundoff (27 Responses)")).to_be_visible()

    # A refusal from the server keeps what the reader typed.
    too_long = "word " * 1200
    widget.get_by_label("Your comment").fill(too_long)
    widget.get_by_role("button", name="Post", exact=True).click()
    expect(widget.locator("form .error").last).to_be_visible()
    expect(widget.get_by_label("Your comment")).to_have_value(too_long)

    # Signing out forgets the token on this page.
    widget.get_by_role("button", name="Sign out").click()
    expect(widget.get_by_role("button", name="Log in")).to_be_visible()
    stored = page.evaluate(
        "key => sessionStorage.getItem(key)", f"soundoff-token:{embedded.soundoff}"
    )
    assert stored is None

    unexpected = [m for m in problems.messages if "status of 422" not in m]
    assert unexpected == []


def test_the_widget_prints_times_as_the_site_and_a_closed_discussion_takes_no_replies(
    embedded, page, problems
):
    comment = Comment.objects.get(thread=embedded.thread)
    # 22:20 UTC on July 13th, 2011 is 06:20 PM in New York (EDT).
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2011, 7, 13, 22, 20, tzinfo=UTC)
    )
    Thread.objects.filter(pk=embedded.thread.pk).changed()

    page.goto(embedded.article_url)
    widget = page.locator("div.soundoff")
    first = widget.locator("li.comment").first
    expect(first.locator("time")).to_have_text("July 13th, 2011 06:20 PM ET")
    expect(first.get_by_role("button", name="Reply")).to_be_visible()
    expect(first.get_by_role("button", name="Agree")).to_be_visible()

    Thread.objects.filter(pk=embedded.thread.pk).changed(mode=DiscussionMode.CLOSED)
    page.reload()
    expect(widget.get_by_text("The discussion is closed.")).to_be_visible()
    first = widget.locator("li.comment").first
    expect(first.locator(".text em")).to_have_text("short")
    expect(first.locator(".count-r")).to_have_text("0 reactions")
    expect(first.get_by_role("button", name="Reply")).to_have_count(0)
    expect(first.get_by_role("button", name="Agree")).to_have_count(0)
    assert problems.messages == []


def test_a_suspended_reader_sees_the_notice_and_their_held_comment_in_the_widget(
    embedded, page, problems
):
    reader = cast.make_reader("Sam Pended", email="sam@example.com")
    held = cast.make_comment(embedded.thread, reader, "My comment that waits.")
    withhold_comment(held, reason_code="flags")
    operator = cast.make_reader("Olga Operator", email="olga@example.com")
    operator.is_superuser = True
    operator.save()
    rule = current_policies()[PolicyKind.TERMS].rules.get(number=2)
    suspend_user(reader, by=operator, duration=timedelta(days=3), rule=rule)

    widget = open_the_widget_signed_in(page, embedded.article_url, reader)
    expect(widget.get_by_text("Signed in as Sam Pended", exact=True)).to_be_visible()

    # The notice, with the rule, the end and the appeal link, instead of the form.
    notice = widget.locator("p.refusal", has_text="suspended from commenting")
    expect(notice).to_contain_text("Rule 2")
    expect(notice.get_by_role("link", name="Appeal this decision")).to_have_attribute(
        "href", re.compile(r"/appeals/$")
    )
    expect(widget.get_by_label("Your comment")).to_be_hidden()
    # Their withheld comment is there, for them, marked.
    mine = widget.locator(f"#so-c-{held.pk}")
    expect(mine).to_contain_text("My comment that waits.")
    expect(mine).to_contain_text("Awaiting review")
    # A reply is refused before anything is typed.
    first = widget.locator("li.comment", has_text="Finally!")
    first.get_by_role("button", name="Reply").click()
    expect(first.get_by_role("textbox")).to_have_count(0)
    assert problems.messages == [], "\n".join(dict.fromkeys(problems.messages))
