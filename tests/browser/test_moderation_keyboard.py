"""A moderator works the Reported and Appeals queues from the keyboard, in real Chromium."""

import pytest
from playwright.sync_api import expect

from soundoff.accounts.queries import current_policies
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.moderation import appeals
from soundoff.moderation.decisions import remove_comment
from soundoff.moderation.models import ActionKind, Flag, ModerationAction
from testkit import cast
from testkit.browser import log_in

pytestmark = pytest.mark.browser


def _reported(thread, body, flags):
    """A visible comment with ``flags`` open reports from other readers."""
    comment = cast.make_comment(thread, cast.make_reader(), body, open_flags=flags)
    for _ in range(flags):
        Flag.objects.create(comment=comment, reporter=cast.make_reader(), explanation="Rude.")
    return comment


def _focused_item(page):
    return page.evaluate("() => document.activeElement.closest('.mod-item')?.id ?? null")


def test_a_moderator_works_the_reported_queue_from_the_keyboard(site, page, problems):
    cast.make_moderator("Mona Moderator", email="mona@example.com")
    post = cast.make_post(headline="Council votes on the budget", slug="budget")
    most = _reported(post.thread, "Most reported.", 3)
    middle = _reported(post.thread, "Reported twice.", 2)
    least = _reported(post.thread, "Reported once.", 1)
    queue_url = f"{site.url}/moderate/queue/reported/"

    log_in(page, f"{site.url}/accounts/login/?next=/moderate/queue/reported/", "mona@example.com")
    expect(page).to_have_url(queue_url)
    items = page.locator(".mod-item")
    expect(items).to_have_count(3)
    expect(items.first).to_be_focused()

    # j, j, k: from the first item down two and back one.
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _focused_item(page) == f"item-{least.pk}"
    page.keyboard.press("k")
    assert _focused_item(page) == f"item-{middle.pk}"
    assert page.evaluate("() => document.activeElement.classList.contains('mod-item')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

    # a approves the focused comment; the page comes back without it.
    page.keyboard.press("a")
    expect(page.locator(".message")).to_contain_text(f"Comment {middle.pk}: done (approve).")
    expect(items).to_have_count(2)
    expect(page.locator(f"#item-{middle.pk}")).to_have_count(0)
    assert Comment.objects.get(pk=middle.pk).reviewed_at is not None
    # Focus goes to the item that followed the decided one, not to the top.
    expect(page.locator(f"#item-{least.pk}")).to_be_focused()

    # u opens the reader's drawer beside the queue; Escape comes back.
    page.keyboard.press("u")
    drawer = page.locator("#reader-drawer .drawer__title")
    expect(drawer).to_be_focused()
    expect(drawer).to_contain_text(least.author.display_name)
    page.keyboard.press("Escape")
    expect(page.locator(f"#item-{least.pk}")).to_be_focused()

    # r on another goes to its rule; choose one, then Tab to the note, to
    # Remove, and send.
    assert _focused_item(page) == f"item-{least.pk}"
    page.keyboard.press("r")
    rule = page.locator(f"#item-{least.pk} form[data-key=r] select[name=rule]")
    expect(rule).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    rule.select_option(label="2. No personal attacks or harassment")
    page.keyboard.press("Tab")
    page.keyboard.type("Name-calling.")
    page.keyboard.press("Tab")
    expect(page.locator(f"#item-{least.pk} button[value=remove]")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".message")).to_contain_text(f"Comment {least.pk}: done (remove).")
    expect(items).to_have_count(1)
    expect(page.locator(f"#item-{most.pk}")).to_have_count(1)
    removed = Comment.objects.get(pk=least.pk)
    assert removed.status == CommentStatus.REMOVED
    action = ModerationAction.objects.get(comment=removed, action=ActionKind.REMOVED)
    assert (action.rule.number, action.actor.display_name) == (2, "Mona Moderator")
    assert action.note == "Name-calling."

    # f features the last one; the Rejected queue shows the removed text,
    # and s restores it from there.
    expect(page.locator(f"#item-{most.pk}")).to_be_focused()
    page.keyboard.press("f")
    expect(page.locator(".message")).to_contain_text(f"Comment {most.pk}: done (feature).")
    assert Comment.objects.get(pk=most.pk).featured
    page.goto(f"{site.url}/moderate/queue/rejected/")
    expect(page.locator(f"#item-{least.pk} .comment__body")).to_contain_text("Reported once.")
    expect(page.locator(f"#item-{least.pk}")).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator(".message")).to_contain_text(f"Comment {least.pk}: done (restore).")
    assert Comment.objects.get(pk=least.pk).status == CommentStatus.VISIBLE

    assert problems.messages == [], "\n".join(dict.fromkeys(problems.messages))


def test_on_a_phone_the_reader_drawer_covers_the_queue_and_escape_closes_it(site, browser):
    moderator = cast.make_moderator("Mona Moderator", email="mona@example.com")
    post = cast.make_post(headline="Council votes on the budget", slug="budget")
    reported = _reported(post.thread, "Reported once.", 1)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site.url}/accounts/login/?next=/moderate/queue/reported/")
        page.get_by_label("E-mail address").fill(moderator.email)
        page.get_by_label("Password").fill(cast.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        item = page.locator(f"#item-{reported.pk}")
        expect(item).to_be_focused()
        drawer = page.locator("#reader-drawer")
        expect(drawer).to_be_hidden()  # nothing beside the queue on a phone

        page.keyboard.press("u")
        expect(drawer.locator(".drawer__title")).to_be_focused()
        expect(drawer).to_contain_text("Always pre-moderate this reader")
        box = drawer.bounding_box()
        assert box["x"] == 0 and box["width"] == 390
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0

        page.keyboard.press("Escape")
        expect(drawer).to_be_hidden()
        expect(item).to_be_focused()
        assert errors == []
    finally:
        context.close()


def _appealed_removal(thread, moderator, body):
    """A comment removed under Rule 2, and its author's appeal."""
    comment = _reported(thread, body, 0)
    rule = current_policies()["terms"].rules.get(number=2)
    remove_comment(comment, by=moderator, rule=rule)
    decision = ModerationAction.objects.get(comment=comment, action=ActionKind.REMOVED)
    return appeals.file_appeal(decision, by=comment.author, text=f"Please look again at: {body}")


def test_a_moderator_works_the_appeals_queue_from_the_keyboard(site, page, problems):
    moderator = cast.make_moderator("Mona Moderator", email="mona@example.com")
    post = cast.make_post(headline="Council votes on the budget", slug="budget")
    first = _appealed_removal(post.thread, moderator, "First removed.")
    second = _appealed_removal(post.thread, moderator, "Second removed.")
    queue_url = f"{site.url}/moderate/appeals/"

    log_in(page, f"{site.url}/accounts/login/?next=/moderate/appeals/", "mona@example.com")
    expect(page).to_have_url(queue_url)
    items = page.locator(".mod-item")
    expect(items).to_have_count(2)
    expect(items.first).to_be_focused()
    expect(items.first).to_contain_text("First removed.")  # the comment, rendered

    page.keyboard.press("j")
    assert _focused_item(page) == f"appeal-{second.pk}"
    page.keyboard.press("k")
    assert _focused_item(page) == f"appeal-{first.pk}"

    # r goes to the decision; grant it, write the answer, Tab to Decide.
    page.keyboard.press("r")
    outcome = page.locator(f"#appeal-{first.pk} select[name=outcome]")
    expect(outcome).to_be_focused()
    outcome.select_option(value="grant")
    page.keyboard.press("Tab")
    expect(page.locator(f"#appeal-{first.pk} textarea[name=answer]")).to_be_focused()
    page.keyboard.type("Fair enough: it is back.")
    page.keyboard.press("Tab")
    expect(page.locator(f"#appeal-{first.pk} button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".message")).to_contain_text(f"Appeal {first.pk} granted")
    expect(items).to_have_count(1)
    expect(page.locator(f"#appeal-{second.pk}")).to_have_count(1)
    first.refresh_from_db()
    assert (first.status, first.answer) == ("overturned", "Fair enough: it is back.")
    assert first.decision.comment.status == CommentStatus.VISIBLE
    expect(items.first).to_be_focused()

    assert problems.messages == [], "\n".join(dict.fromkeys(problems.messages))
