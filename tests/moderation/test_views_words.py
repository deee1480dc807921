"""The word lists page: moderators edit the banned and suspect words."""

from django.urls import reverse

from soundoff.discussion.models import Comment
from soundoff.moderation.models import ActionKind, ModerationAction, WordList
from testkit.pages import assert_sent_to_log_in, page_text

URL = "/moderate/words/"


def _save(client, banned="", suspect="", banned_rule="", allowed=""):
    return client.post(
        URL, {"banned": banned, "suspect": suspect, "banned_rule": banned_rule, "allowed": allowed}
    )


def _lists():
    return list(WordList.objects.order_by("kind").values_list("kind", "words", "version"))


def _words(kind):
    return WordList.objects.get(kind=kind).words


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert_sent_to_log_in(response)


def test_readers_can_neither_see_nor_change_the_lists(client, alice):
    client.force_login(alice)
    before = _lists()
    assert client.get(URL).status_code == 403
    assert _save(client, banned="anything").status_code == 403
    assert _lists() == before
    assert not ModerationAction.objects.exists()


def test_lists_are_saved_deduplicated_and_sorted(client, moderator):
    client.force_login(moderator)
    response = _save(
        client,
        banned="turnip\n  Beet  \n\nturnip\nartichoke\n",
        suspect="Zeta\nzeta\neta\n",
        banned_rule=3,
    )
    assert response.status_code == 303
    assert _words("banned") == "artichoke\nBeet\nturnip"
    assert _words("suspect") == "eta\nZeta"
    assert WordList.objects.get(kind="banned").rule_number == 3
    page = page_text(client.get(URL))
    assert "The word lists are saved." in page
    assert "artichoke\nBeet\nturnip" in page


def test_saving_is_audited(client, moderator):
    client.force_login(moderator)
    _save(client, banned="turnip", suspect="beet")
    rows = ModerationAction.objects.filter(action=ActionKind.WORDS_CHANGED)
    assert {(row.reason_code, row.actor) for row in rows} == {
        ("banned", moderator),
        ("suspect", moderator),
        ("allowed", moderator),
    }


def test_a_banned_word_is_then_refused_citing_the_rule(client, moderator, alice, post):
    client.force_login(moderator)
    _save(client, banned="turnip", banned_rule=3)

    client.force_login(alice)
    response = client.post(
        reverse("discussion:post_comment", args=[post.slug]),
        {"body": "You absolute TURNIP."},
    )

    assert response.status_code == 422
    page = page_text(response)
    assert "breaks Rule 3 (No hate speech)" in page
    assert "You absolute TURNIP." in page
    assert not Comment.objects.exists()


def test_a_suspect_word_is_then_flagged_for_the_moderators(client, moderator, alice, post):
    client.force_login(moderator)
    _save(client, suspect="beet")

    client.force_login(alice)
    client.post(reverse("discussion:post_comment", args=[post.slug]), {"body": "What a beet."})
    comment = Comment.objects.get()
    assert comment.is_visible
    assert comment.open_flags == 1

    client.force_login(moderator)
    page = page_text(client.get(reverse("moderation:queue_named", args=["reported"])))
    assert "What a beet." in page
    assert "A check: a suspect word" in page


def test_a_too_long_entry_saves_neither_list(client, moderator):
    client.force_login(moderator)
    _save(client, banned="turnip", suspect="beet")
    response = _save(client, banned="parsnip", suspect="x" * 101)
    assert response.status_code == 400
    assert "under 100 characters" in page_text(response)
    assert _words("banned") == "turnip"
    assert _words("suspect") == "beet"


def test_regex_metacharacters_are_plain_text(client, moderator, alice, post):
    client.force_login(moderator)
    _save(client, banned="(a+)+$\n.*", banned_rule=3)
    assert _words("banned") == "(a+)+$\n.*"

    client.force_login(alice)
    response = client.post(
        reverse("discussion:post_comment", args=[post.slug]), {"body": "aaaaaaaaaaaaaaaaaaaaaaa!"}
    )
    assert response.status_code == 303
    assert Comment.objects.get().is_visible


def test_the_cited_rule_must_exist(client, moderator):
    client.force_login(moderator)
    before = _lists()
    response = _save(client, banned="turnip", banned_rule=99)
    assert response.status_code == 400
    assert "There is no Rule 99 in the current Rules of Conduct." in page_text(response)
    assert _lists() == before


def test_the_allowed_phrases_are_edited_beside_the_lists(client, moderator, alice, post):
    client.force_login(moderator)
    page = page_text(client.get(URL))
    assert "Allowed phrases: a banned or suspect word inside one does not count" in page
    assert "chink in the armor" in page  # the default list, ready to edit
    _save(client, banned="turnip", banned_rule=3, allowed="turnip soup")
    assert _words("allowed") == "turnip soup"

    client.force_login(alice)
    url = reverse("discussion:post_comment", args=[post.slug])
    assert client.post(url, {"body": "Turnip soup again?"}).status_code == 303
    refused = client.post(url, {"body": "You turnip."})
    assert refused.status_code == 422
    assert "You turnip." in page_text(refused)
