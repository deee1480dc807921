"""Reactions from the post page and the replies page, without JavaScript
(the test client posts the forms as a browser would), and the JSON answer
reactions.js asks for."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from soundoff.discussion import services
from soundoff.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionMode,
    Reaction,
    ReactionKind,
    Thread,
)
from testkit.cast import CLIENT, form_values
from testkit.pages import assert_sent_to_log_in

FORM = re.compile(r'<form class="reactions__form".*?</form>', re.S)


@pytest.fixture
def comment(alice, thread):
    return services.post_comment(
        thread, author=alice, body="Crews worked all night.", client=CLIENT
    ).comment


def _forms(page, comment):
    """Each reaction form under ``comment``: kind -> (action, fields, pressed)."""
    action = reverse("discussion:react", args=[comment.pk])
    forms = {}
    for markup in FORM.findall(page):
        if f'action="{action}"' not in markup:
            continue
        fields = form_values(markup)
        forms[fields["kind"]] = (action, fields, 'aria-pressed="true"' in markup)
    return forms


def _press(client, page, comment, kind, **headers):
    action, fields, _pressed = _forms(page, comment)[kind]
    return client.post(action, fields, headers=headers)


def test_a_reaction_from_the_page_counts_and_shows_pressed(client, bob, post, comment):
    client.force_login(bob)
    page = client.get(post.get_absolute_url()).content.decode()
    forms = _forms(page, comment)
    assert [(kind, pressed) for kind, (_a, _f, pressed) in forms.items()] == [
        ("agree", False),
        ("insightful", False),
        ("funny", False),
    ]

    response = _press(client, page, comment, "agree")

    assert response.status_code == 303
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Your reaction is counted." in page
    assert "1 reaction<" in page
    assert {kind: pressed for kind, (_a, _f, pressed) in _forms(page, comment).items()} == {
        "agree": True,
        "insightful": False,
        "funny": False,
    }
    assert list(Reaction.objects.values_list("user", "kind")) == [(bob.pk, "agree")]


def test_a_pressed_reaction_is_taken_back_by_pressing_it_again(client, bob, post, comment):
    client.force_login(bob)
    page = client.get(post.get_absolute_url()).content.decode()
    _press(client, page, comment, "funny")
    page = client.get(post.get_absolute_url()).content.decode()

    response = _press(client, page, comment, "funny")

    page = client.get(response["Location"]).content.decode()
    assert "Your reaction is taken back." in page
    assert not Reaction.objects.exists()
    assert not any(pressed for _a, _f, pressed in _forms(page, comment).values())
    comment.refresh_from_db()
    assert comment.reaction_count == 0


def test_the_reader_goes_back_to_the_page_and_order_they_were_on(client, bob, post, comment):
    client.force_login(bob)
    url = f"{post.get_absolute_url()}?sort=reactions"
    response = _press(client, client.get(url).content.decode(), comment, "agree")
    assert response["Location"] == f"{url}#comment-{comment.pk}"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_a_next_address_elsewhere_is_ignored(client, bob, post, comment, target):
    client.force_login(bob)
    response = client.post(
        reverse("discussion:react", args=[comment.pk]), {"kind": "agree", "next": target}
    )
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"


def test_reacting_moves_a_comment_up_in_most_reactions(client, alice, bob, post, comment):
    later = services.post_comment(
        post.thread, author=alice, body="Later one", client=CLIENT
    ).comment
    client.force_login(bob)
    url = f"{post.get_absolute_url()}?sort=reactions"
    page = client.get(url).content.decode()
    # A tie: the newer comment comes first.
    assert page.index(f'id="comment-{later.pk}"') < page.index(f'id="comment-{comment.pk}"')

    _press(client, page, comment, "insightful")

    page = client.get(url).content.decode()
    assert page.index(f'id="comment-{comment.pk}"') < page.index(f'id="comment-{later.pk}"')


def test_the_form_needs_the_csrf_token(bob, post, comment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    page = client.get(post.get_absolute_url()).content.decode()
    action, fields, _pressed = _forms(page, comment)["agree"]
    refused = client.post(action, {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"})
    assert refused.status_code == 403
    assert not Reaction.objects.exists()
    assert client.post(action, fields).status_code == 303
    assert Reaction.objects.count() == 1


def test_the_shared_page_has_counts_and_nothing_of_any_reader(client, bob, post, comment):
    services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
    reader = Client()
    reader.force_login(bob)
    assert 'aria-pressed="true"' in reader.get(post.get_absolute_url()).content.decode()

    for _ in range(2):  # rendered, then from the fragment cache
        page = client.get(post.get_absolute_url()).content.decode()
        assert "1 reaction<" in page
        assert "aria-pressed" not in page
        assert "reactions__form" not in page
        assert "reactions.js" not in page


def test_a_logged_out_reader_is_asked_to_log_in(client, post, comment):
    url = reverse("discussion:react", args=[comment.pk])
    response = client.post(url, {"kind": "agree", "next": post.get_absolute_url()})
    assert_sent_to_log_in(response)
    assert not Reaction.objects.exists()


def test_too_many_reactions_keep_the_reader_on_the_page_with_the_wait(
    client, bob, post, comment, settings
):
    settings.SOUNDOFF_REACTION_RATE = "1/3600"
    client.force_login(bob)
    page = client.get(post.get_absolute_url()).content.decode()
    _press(client, page, comment, "agree")

    response = _press(client, page, comment, "funny")

    assert response.status_code == 303
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    page = unescape(client.get(response["Location"]).content.decode())
    assert "You are reacting faster than this site allows. Try again in" in page
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["agree"]


def test_the_json_answer_for_the_script(client, bob, post, comment, settings):
    settings.SOUNDOFF_REACTION_RATE = "1/3600"
    client.force_login(bob)
    page = client.get(post.get_absolute_url()).content.decode()

    answer = _press(client, page, comment, "insightful", accept="application/json")

    assert answer.status_code == 200
    assert answer.json() == {"reaction_count": 1, "text": "1 reaction", "mine": ["insightful"]}
    refused = _press(client, page, comment, "agree", accept="application/json")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert "You are reacting faster" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_a_held_comment_of_someone_else_is_not_found(client, alice, bob, comment):
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.HELD)
    client.force_login(bob)
    response = client.post(reverse("discussion:react", args=[comment.pk]), {"kind": "agree"})
    assert response.status_code == 404
    assert not Reaction.objects.exists()


@pytest.mark.parametrize(
    "status, kind, message",
    [
        (CommentStatus.REMOVED, "agree", "You can only react to comments that are shown."),
        (CommentStatus.VISIBLE, "love", "Choose one of the reactions shown under the comment."),
        (CommentStatus.VISIBLE, "", "Choose one of the reactions shown under the comment."),
    ],
)
def test_refusals_come_back_to_the_comment_with_a_message(
    client, bob, post, comment, status, kind, message
):
    Comment.objects.filter(pk=comment.pk).update(status=status)
    client.force_login(bob)
    response = client.post(reverse("discussion:react", args=[comment.pk]), {"kind": kind})
    assert response.status_code == 303
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert message in client.get(response["Location"]).content.decode()
    assert not Reaction.objects.exists()


def test_a_closed_discussion_shows_counts_and_takes_no_reactions(client, bob, post, comment):
    services.react(comment, by=bob, kind=ReactionKind.AGREE, client=CLIENT)
    Thread.objects.filter(pk=post.thread.pk).changed(mode=DiscussionMode.CLOSED)
    client.force_login(bob)

    page = client.get(post.get_absolute_url()).content.decode()
    assert "1 reaction<" in page
    assert not _forms(page, comment)

    response = client.post(
        reverse("discussion:react", args=[comment.pk]), {"kind": "agree", "on": "0"}, follow=True
    )
    assert "This discussion is closed, so its reactions can no longer change." in (
        response.content.decode()
    )
    assert Reaction.objects.count() == 1


def test_the_replies_page_has_the_buttons_too(client, alice, bob, post, comment, settings):
    settings.SOUNDOFF_REPLY_WINDOW = 0
    reply = services.post_comment(
        post.thread, author=alice, body="A reply", client=CLIENT, parent=comment
    ).comment
    services.react(reply, by=bob, kind=ReactionKind.FUNNY, client=CLIENT)
    client.force_login(bob)
    url = reverse("discussion:replies", args=[comment.pk])

    page = client.get(url).content.decode()

    assert {kind: pressed for kind, (_a, _f, pressed) in _forms(page, reply).items()} == {
        "agree": False,
        "insightful": False,
        "funny": True,
    }
    response = _press(client, page, reply, "agree")
    assert response["Location"] == f"{url}#comment-{reply.pk}"
