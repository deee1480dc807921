"""The comment form on the post page, through the test client."""

import pytest
from django.urls import reverse

from soundoff.discussion import services
from soundoff.discussion.models import Comment, CommentStatus, DiscussionMode
from soundoff.newsroom.models import PostStatus
from testkit.cast import CLIENT, PASSWORD, make_post


def _url(post):
    return reverse("discussion:post_comment", args=[post.slug])


def test_a_posted_comment_appears_at_once(client, alice, post):
    client.force_login(alice)
    response = client.post(_url(post), {"body": "Crews were out *all night*."}, follow=True)
    comment = Comment.objects.get()
    assert response.redirect_chain[-1][1] == 303
    assert f"#comment-{comment.pk}" in response.redirect_chain[-1][0]
    page = response.content.decode()
    assert "soundoff (One Response)" in page
    assert "Crews were out <em>all night</em>." in page
    assert "Alice Reader" in page
    assert f"/avatars/{alice.pk}/initials.svg" in page


def test_replies_are_nested_in_the_page(client, alice, bob, post):
    top = services.post_comment(post.thread, author=alice, body="Top", client=CLIENT).comment
    client.force_login(bob)
    client.post(_url(post), {"body": "A reply", "parent": top.pk})
    page = client.get(post.get_absolute_url()).content.decode()
    assert page.index(f'id="comment-{top.pk}"') < page.index('class="comments comments--replies"')
    assert "soundoff (2 Responses)" in page


def _assert_kept(response, text, message):
    page = response.content.decode()
    assert message in page, page
    assert text in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body, status, message",
    [
        ("", 422, "Your comment is empty"),
        ("   \n  ", 422, "Your comment is empty"),
        ("x" * 5001, 422, "the limit is 5,000"),
        ("before\x00after", 422, "NUL"),
    ],
)
def test_bad_text_gets_a_message_and_keeps_the_text(client, alice, post, body, status, message):
    client.force_login(alice)
    response = client.post(_url(post), {"body": body})
    assert response.status_code == status
    _assert_kept(response, body.strip() or "<textarea", message)


def test_a_closed_discussion_shows_a_notice_instead_of_the_form(client, alice):
    post = make_post(discussion=DiscussionMode.CLOSED)
    client.force_login(alice)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This discussion is closed" in page
    assert 'name="body"' not in page
    response = client.post(_url(post), {"body": "Let me in"})
    assert response.status_code == 422
    assert "closed to new comments" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": PostStatus.DRAFT},
        {
            "status": PostStatus.SCHEDULED,
            "published_ago": -__import__("datetime").timedelta(days=1),
        },
    ],
)
def test_unpublished_posts_refuse_without_revealing_the_post(client, alice, kwargs):
    post = make_post(headline="Secret scoop", **kwargs)
    client.force_login(alice)
    response = client.post(_url(post), {"body": "Typed with care"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "not published" in page
    assert "Typed with care" in page
    assert "Secret scoop" not in page
    assert not Comment.objects.exists()


def test_a_logged_out_comment_is_kept_through_log_in(client, alice, post):
    response = client.post(_url(post), {"body": "Written before logging in"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Comment.objects.exists()
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Written before logging in" in page


def test_a_reader_who_has_not_accepted_is_asked_and_keeps_the_text(client, newcomer, post):
    client.force_login(newcomer)
    form_page = client.get(post.get_absolute_url()).content.decode()
    assert 'name="accept_policies"' in form_page
    response = client.post(_url(post), {"body": "My first words"})
    assert response.status_code == 403
    _assert_kept(response, "My first words", "accept the current Terms of Service")


def test_ticking_the_acceptance_box_records_it_and_posts(client, newcomer, post):
    client.force_login(newcomer)
    client.post(_url(post), {"body": "My first words", "accept_policies": "on"})
    assert Comment.objects.get().author == newcomer
    assert newcomer.policy_acceptances.count() == 2


def test_a_reply_to_a_deleted_comment_keeps_the_text(client, alice, bob, post):
    gone = services.post_comment(
        post.thread, author=alice, body="Soon gone", client=CLIENT
    ).comment
    services.delete_comment(gone, by=alice)
    client.force_login(bob)
    response = client.post(_url(post), {"body": "But I disagree", "parent": gone.pk})
    assert response.status_code == 422
    assert "deleted or removed" in response.content.decode()
    assert "But I disagree" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_of_another_post_is_refused(client, alice, post):
    other = services.post_comment(
        make_post().thread, author=alice, body="Elsewhere", client=CLIENT
    ).comment
    client.force_login(alice)
    response = client.post(_url(post), {"body": "Crossed wires", "parent": other.pk})
    assert response.status_code == 422
    assert "same discussion" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_that_never_existed_is_refused(client, alice, post):
    client.force_login(alice)
    response = client.post(_url(post), {"body": "Hello?", "parent": 999999})
    assert response.status_code == 422
    assert "Hello?" in response.content.decode()


def test_the_same_form_submitted_twice_posts_once(client, alice, post):
    client.force_login(alice)
    form = {"body": "Double click", "submission_key": "0c6a2b1e-51f5-4a5c-9d1e-3f0d1b9c7a11"}
    first = client.post(_url(post), form)
    second = client.post(_url(post), form)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_the_rate_limit_message_keeps_the_text(client, alice, post, settings):
    settings.SOUNDOFF_COMMENT_RATE = "1/3600"
    client.force_login(alice)
    client.post(_url(post), {"body": "One"})
    response = client.post(_url(post), {"body": "Two, too fast"})
    assert response.status_code == 429
    assert "Try again in" in response.content.decode()
    assert "Two, too fast" in response.content.decode()
    assert Comment.objects.count() == 1


def test_edit_page_changes_text_and_refuses_others(client, alice, bob, post):
    comment = services.post_comment(post.thread, author=alice, body="Tpyo", client=CLIENT).comment
    url = reverse("discussion:edit", args=[comment.pk])
    client.force_login(bob)
    assert client.post(url, {"body": "Mine now"}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"body": ""}).status_code == 422
    client.post(url, {"body": "Typo"})
    comment.refresh_from_db()
    assert comment.body == "Typo"


def test_delete_leaves_a_placeholder_only_where_replies_hang(client, alice, bob, post):
    with_reply = services.post_comment(post.thread, author=alice, body="Parent", client=CLIENT)
    services.post_comment(
        post.thread, author=bob, body="Child", client=CLIENT, parent=with_reply.comment
    )
    lonely = services.post_comment(post.thread, author=alice, body="Lonely", client=CLIENT)
    client.force_login(alice)
    for result in (with_reply, lonely):
        client.post(reverse("discussion:delete", args=[result.comment.pk]))
    page = client.get(post.get_absolute_url()).content.decode()
    assert page.count("This comment was deleted by its author.") == 1
    assert "Child" in page and "Lonely" not in page and "Parent" not in page
    assert "soundoff (One Response)" in page
    assert Comment.objects.filter(status=CommentStatus.DELETED).count() == 2


def test_another_reader_cannot_delete(client, alice, bob, post):
    comment = services.post_comment(post.thread, author=alice, body="Stay", client=CLIENT).comment
    client.force_login(bob)
    client.post(reverse("discussion:delete", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
