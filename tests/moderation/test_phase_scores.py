"""The scores phase: cheap on-device scores decide before the comment is
written, so a comment they withhold is never public; the task worker adds
the expensive ones after the commit (moderation.scoring_plan)."""

import pytest

from soundoff.discussion.models import CommentStatus
from soundoff.discussion.services import edit_comment, post_comment
from soundoff.moderation import scoring
from soundoff.moderation.models import ActionKind, ModerationAction
from soundoff.moderation.pipeline import Outcome, Submission
from soundoff.moderation.pipeline.phases import scores
from soundoff.moderation.scoring_plan import INLINE_MODELS, background_scorers, inline_scorers
from soundoff.moderation.tasks import score_comment
from testkit.cast import CLIENT, FixedScorer

SPAM = (
    "Make money fast from home! Earn $5000 a week, no experience needed. "
    "Click here to unsubscribe or order now: http://cash.example"
)
NEUTRAL = "The council meets on Tuesday to discuss the water main budget."


def _submission(author, thread, body):
    return Submission(thread=thread, author=author, body=body, client=CLIENT)


def test_the_spam_model_runs_inline_and_the_heavy_models_do_not():
    assert [s.name for s in inline_scorers()] == [
        "soundoff-spam-linear",
        "soundoff-harm-patterns",
        "soundoff-harm-patterns",
        "soundoff-harm-patterns",
    ]
    assert not INLINE_MODELS & {s.name for s in background_scorers()}


def test_spam_is_held_by_the_phase(alice, thread):
    verdict = scores.check(_submission(alice, thread, SPAM))
    assert verdict.outcome is Outcome.HELD
    assert verdict.reason == "score_spam"


def test_an_ordinary_comment_passes(alice, thread):
    assert scores.check(_submission(alice, thread, NEUTRAL)) is None


def test_a_spam_comment_is_never_public(alice, thread):
    comment = post_comment(thread, author=alice, body=SPAM, client=CLIENT).comment
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == "score_spam"
    assert comment.scores["spam"]["model"] == "soundoff-spam-linear"
    assert comment.scores["spam"]["value"] > 0.9
    thread.refresh_from_db()
    assert thread.comment_count == 0
    held = ModerationAction.objects.get(comment=comment)
    assert (held.action, held.actor, held.reason_code) == (ActionKind.HELD, None, "score_spam")


def test_the_task_adds_the_heavy_scores_beside_the_inline_one(alice, thread, monkeypatch):
    monkeypatch.setattr(scoring, "available_scorers", lambda: (FixedScorer("toxicity", 0.99),))
    comment = post_comment(thread, author=alice, body=NEUTRAL, client=CLIENT).comment
    # A background score, however high, does not decide before the write.
    assert comment.status == CommentStatus.VISIBLE
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert set(comment.scores) == {"spam", "threat", "doxxing", "identity_hate", "toxicity"}
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == "score_toxicity"


@pytest.mark.parametrize("body", [SPAM])
def test_an_edit_into_spam_is_held_at_once(alice, thread, body):
    comment = post_comment(thread, author=alice, body=NEUTRAL, client=CLIENT).comment
    assert comment.scores["spam"]["value"] < 0.5
    edited = edit_comment(comment, by=alice, body=body, client=CLIENT)
    assert edited.status == CommentStatus.HELD
    assert edited.scores["spam"]["value"] > 0.9


def test_a_threat_is_never_public(alice, thread):
    body = "Somebody should shoot the mayor. I'd do it myself."
    comment = post_comment(thread, author=alice, body=body, client=CLIENT).comment
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == "score_threat"
    assert comment.scores["threat"]["model"] == "soundoff-harm-patterns"
