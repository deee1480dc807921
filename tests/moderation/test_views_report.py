"""A reader reports a comment from its page, citing a rule."""

import pytest
from django.urls import reverse

from soundoff.discussion import services as discussion
from soundoff.discussion.models import CommentStatus
from soundoff.moderation.decisions import remove_comment
from soundoff.moderation.models import Flag
from testkit.cast import CLIENT, conduct_rule, make_reader
from testkit.pages import assert_sent_to_log_in, page_text


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.SOUNDOFF_FLAG_THRESHOLD = 2


@pytest.fixture
def comment(alice, thread):
    body = "Everyone on the council is a crook."
    return discussion.post_comment(thread, author=alice, body=body, client=CLIENT).comment


def _url(comment):
    return reverse("report_comment", args=[comment.pk])


def _report(client, comment, rule=None, explanation=""):
    return client.post(
        _url(comment), {"rule": rule.pk if rule else "", "explanation": explanation}
    )


def test_anonymous_visitors_are_sent_to_log_in(client, comment):
    response = client.get(_url(comment))
    assert_sent_to_log_in(response)
    assert _report(client, comment, conduct_rule(2)).status_code == 302
    assert not Flag.objects.exists()


def test_the_form_lists_the_rules_and_other(client, bob, comment):
    client.force_login(bob)
    response = client.get(_url(comment))
    assert response.status_code == 200
    page = page_text(response)
    assert "Report a comment by Alice Reader" in page
    assert "Everyone on the council is a crook." in page
    assert "2. No personal attacks or harassment" in page
    assert "Other (explain below)" in page


def test_a_report_cites_a_rule(client, bob, comment):
    client.force_login(bob)
    response = _report(client, comment, conduct_rule(2), "Calls them crooks.")
    assert response.status_code == 303
    assert response["Location"] == comment.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.reporter, flag.rule.number, flag.explanation) == (bob, 2, "Calls them crooks.")
    comment.refresh_from_db()
    assert comment.open_flags == 1
    assert comment.is_visible


def test_other_needs_an_explanation(client, bob, comment):
    client.force_login(bob)
    response = _report(client, comment)
    assert response.status_code == 422
    assert "Choose the rule the comment breaks, or explain what is wrong." in page_text(response)
    assert not Flag.objects.exists()


def test_other_with_an_explanation_is_accepted(client, bob, comment):
    client.force_login(bob)
    assert _report(client, comment, None, "It copies a paywalled article.").status_code == 303
    flag = Flag.objects.get()
    assert flag.rule is None
    assert flag.explanation == "It copies a paywalled article."


def test_readers_cannot_report_their_own_comment(client, alice, comment):
    client.force_login(alice)
    response = _report(client, comment, conduct_rule(1))
    assert response.status_code == 422
    assert "You can't report your own comment." in page_text(response)
    assert not Flag.objects.exists()


def test_a_second_report_by_the_same_reader_is_refused(client, bob, comment):
    client.force_login(bob)
    _report(client, comment, conduct_rule(2))
    response = _report(client, comment, conduct_rule(1))
    assert response.status_code == 422
    assert "You have already reported this comment." in page_text(response)
    assert Flag.objects.count() == 1
    comment.refresh_from_db()
    assert comment.open_flags == 1


def test_enough_reports_withhold_the_comment_for_the_moderators(
    client, bob, moderator, comment, post
):
    carol = make_reader("Carol Reader")
    client.force_login(bob)
    _report(client, comment, conduct_rule(2))
    assert "Everyone on the council is a crook." in page_text(client.get(post.get_absolute_url()))

    client.force_login(carol)
    _report(client, comment, conduct_rule(2))

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == "flags"
    assert "Everyone on the council is a crook." not in page_text(
        client.get(post.get_absolute_url())
    )
    client.force_login(moderator)
    withheld = client.get(reverse("moderation:queue_named", args=["withheld"]))
    assert [c.pk for c in withheld.context["items"]] == [comment.pk]
    page = page_text(withheld)
    assert "Held after reader reports" in page
    assert "Rule 2 (No personal attacks or harassment)" in page


def test_a_removed_comment_cannot_be_reported_and_its_text_is_not_shown(
    client, bob, moderator, comment
):
    remove_comment(comment, by=moderator, rule=conduct_rule(2))
    client.force_login(bob)
    response = client.get(_url(comment))
    assert response.status_code == 410
    assert "no longer shown" in page_text(response)
    assert "Everyone on the council is a crook." not in page_text(response)
    response = _report(client, comment, conduct_rule(2))
    assert response.status_code == 422
    assert "no longer shown" in page_text(response)
    assert "Everyone on the council is a crook." not in page_text(response)
    assert not Flag.objects.exists()


def test_reports_are_rate_limited(client, bob, thread, settings):
    settings.SOUNDOFF_FLAG_RATE = "2/3600"
    comments = [
        discussion.post_comment(thread, author=make_reader(), body=f"Text {i}", client=CLIENT)
        for i in range(3)
    ]
    client.force_login(bob)
    for posted in comments[:2]:
        assert _report(client, posted.comment, conduct_rule(1)).status_code == 303
    response = _report(client, comments[2].comment, conduct_rule(1))
    assert response.status_code == 422
    assert "You have sent many reports recently." in page_text(response)
    assert Flag.objects.count() == 2


def test_an_unknown_comment_is_not_found(client, bob):
    client.force_login(bob)
    assert client.get(reverse("report_comment", args=[999999])).status_code == 404
