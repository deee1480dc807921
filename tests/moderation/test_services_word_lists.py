"""moderation.discussion_settings.update_word_list: moderators edit the lists."""

import pytest

from soundoff.discussion.errors import NotAllowed
from soundoff.moderation.discussion_settings import update_word_list
from soundoff.moderation.errors import InvalidDecision
from soundoff.moderation.models import ActionKind, ModerationAction, WordList
from soundoff.moderation.pipeline import Submission
from soundoff.moderation.pipeline.phases import banned_words
from testkit.cast import CLIENT


def _lists():
    return list(WordList.objects.order_by("kind").values_list("kind", "words", "version"))


def test_it_keeps_each_entry_once_trimmed_and_sorted(moderator):
    word_list = update_word_list(
        "banned", by=moderator, words="  moron\nIdiot\n\nmoron \n idiot\nMORON\n", rule_number=2
    )
    assert word_list.entries() == ["Idiot", "moron"]
    assert word_list.rule_number == 2


def test_each_change_bumps_the_version_and_is_audited(moderator):
    first = update_word_list("suspect", by=moderator, words="scam")
    second = update_word_list("suspect", by=moderator, words="scam\nfraud")
    assert second.version == first.version + 1
    assert WordList.objects.filter(kind="suspect").count() == 1
    actions = ModerationAction.objects.filter(action=ActionKind.WORDS_CHANGED)
    assert actions.count() == 2
    latest = actions.first()
    assert (latest.actor, latest.reason_code, latest.note) == (moderator, "suspect", "2 entries")


def test_a_change_takes_effect_at_once(alice, thread, moderator):
    def refused(body):
        submission = Submission(thread=thread, author=alice, body=body, client=CLIENT)
        return banned_words.check(submission) is not None

    update_word_list("banned", by=moderator, words="idiot")
    assert refused("idiot") and not refused("moron")
    update_word_list("banned", by=moderator, words="moron")
    assert refused("moron") and not refused("idiot")


def test_entries_over_100_characters_are_refused(moderator):
    before = _lists()
    with pytest.raises(InvalidDecision, match="100"):
        update_word_list("banned", by=moderator, words="x" * 101)
    assert _lists() == before
    assert not ModerationAction.objects.exists()


def test_readers_cannot_edit_the_lists(alice):
    before = _lists()
    with pytest.raises(NotAllowed):
        update_word_list("banned", by=alice, words="idiot")
    assert _lists() == before
