"""moderation.tasks.score_comment: on-device scores after posting."""

import logging

import pytest
from django_tasks_db.models import DBTaskResult

from soundoff.accounts.queries import current_rules
from soundoff.discussion.models import Comment, CommentStatus
from soundoff.discussion.services import post_comment
from soundoff.moderation import scoring
from soundoff.moderation.decisions import remove_comment
from soundoff.moderation.models import ActionKind, ModerationAction, WordList
from soundoff.moderation.tasks import score_comment
from testkit.cast import CLIENT, FixedScorer, make_post, make_reader, run_worker

HOSTILE = "You are a worthless idiot, you piece of shit."
NEUTRAL = "The council meets on Tuesday to discuss the water main budget."
# Scored before the comment is written (moderation.scoring_plan).
INLINE_KINDS = {"spam", "threat", "doxxing", "identity_hate"}


@pytest.fixture(autouse=True)
def _no_word_lists(db):
    """Scores alone decide here: the default suspect list would flag HOSTILE."""
    WordList.objects.all().delete()


def _post(thread, author, body):
    return post_comment(thread, author=author, body=body, client=CLIENT).comment


class BrokenScorer:
    name, version = "broken", "0.0"

    def score(self, text):
        raise RuntimeError(f"cannot read {text}")


@pytest.fixture
def only_scorers(monkeypatch):
    def use(*scorers):
        monkeypatch.setattr(scoring, "available_scorers", lambda: scorers)

    return use


def test_a_hostile_comment_is_scored_and_withheld_citing_the_rule(alice, thread, settings):
    comment = _post(thread, alice, HOSTILE)
    scores = score_comment.call(comment_id=comment.pk)

    comment.refresh_from_db()
    # Spam and the harm patterns were scored before the comment was
    # written; the task adds the rest.
    assert set(scores) == {"toxicity", "offensive"}
    assert set(comment.scores) == {*INLINE_KINDS, "toxicity", "offensive"}
    for kind, stored in comment.scores.items():
        assert stored["model"] and stored["version"]
        if kind in scores:
            assert stored["value"] == pytest.approx(scores[kind], abs=1e-4)
    assert comment.scores["toxicity"]["model"] == "toxic-comment-classifier"
    assert comment.scores["offensive"]["model"] == "alt-profanity-check"
    assert comment.status == CommentStatus.HELD
    assert comment.held_reason in ("score_toxicity", "score_offensive")
    thread.refresh_from_db()
    assert thread.comment_count == 0

    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.actor) == (ActionKind.WITHHELD, None)
    assert (action.status_before, action.status_after) == ("visible", "held")
    assert action.rule.number == settings.SOUNDOFF_TOXICITY_RULE
    assert action.reason_code == comment.held_reason
    assert str(settings.SOUNDOFF_TOXICITY_THRESHOLD) in action.note


def test_a_neutral_comment_is_scored_and_stays_visible(alice, thread):
    comment = _post(thread, alice, NEUTRAL)
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert comment.scores["toxicity"]["value"] < 0.5
    assert not ModerationAction.objects.exists()


def test_the_rule_cited_is_a_setting(alice, thread, settings, only_scorers):
    settings.SOUNDOFF_TOXICITY_RULE = 10
    only_scorers(FixedScorer("toxicity", 0.99))
    comment = _post(thread, alice, NEUTRAL)
    score_comment.call(comment_id=comment.pk)
    assert ModerationAction.objects.get().rule.number == 10


def test_spam_withholds_citing_the_spam_rule(alice, thread, settings, only_scorers):
    only_scorers(FixedScorer("toxicity", 0.1), FixedScorer("spam", 0.95))
    comment = _post(thread, alice, NEUTRAL)
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.held_reason == "score_spam"
    assert ModerationAction.objects.get().rule.number == settings.SOUNDOFF_SPAM_RULE


def test_a_score_at_the_threshold_does_not_withhold(alice, thread, settings, only_scorers):
    only_scorers(FixedScorer("toxicity", settings.SOUNDOFF_TOXICITY_THRESHOLD))
    comment = _post(thread, alice, NEUTRAL)
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_a_failing_scorer_changes_nothing_and_logs_without_the_text(
    alice, thread, only_scorers, caplog
):
    only_scorers(BrokenScorer())
    comment = _post(thread, alice, HOSTILE)
    with caplog.at_level(logging.WARNING):
        assert score_comment.call(comment_id=comment.pk) == {}
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == CommentStatus.VISIBLE
    # Scored inline before it was written; the task added none.
    assert set(stored.scores) == INLINE_KINDS
    assert not ModerationAction.objects.exists()
    assert "broken" in caplog.text
    assert "idiot" not in caplog.text


def test_a_failing_scorer_leaves_the_others_to_decide(alice, thread, only_scorers):
    only_scorers(BrokenScorer(), FixedScorer("offensive", 0.99))
    comment = _post(thread, alice, NEUTRAL)
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert set(comment.scores) == {*INLINE_KINDS, "offensive"}
    assert comment.status == CommentStatus.HELD


def test_a_comment_a_moderator_removed_meanwhile_stays_removed(alice, thread, only_scorers):
    only_scorers(FixedScorer("toxicity", 0.99))
    comment = _post(thread, alice, HOSTILE)
    remove_comment(comment, by=None, rule=current_rules()[1])
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert not ModerationAction.objects.filter(action=ActionKind.WITHHELD).exists()


def test_a_comment_gone_from_the_database_is_skipped(db):
    assert score_comment.call(comment_id=123456) == {}


@pytest.mark.django_db(transaction=True)
def test_posting_enqueues_scoring_and_the_worker_runs_it(policies, only_scorers):
    only_scorers(FixedScorer("toxicity", 0.99))
    comment = _post(make_post().thread, make_reader(), HOSTILE)
    task = DBTaskResult.objects.get()
    assert task.task_path == "soundoff.moderation.tasks.score_comment"
    assert task.args_kwargs["kwargs"] == {"comment_id": comment.pk}

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert comment.scores["toxicity"]["model"] == "fixed-toxicity"


@pytest.mark.parametrize(
    "body",
    [
        "Holy shit, the water bill went up 38 percent?",
        "Damn, that storm was a hell of a thing.",
        "The budget shows $4.2 million for road repair, up 12% from last year. "
        "https://www.riverside.gov/budget/2026.pdf",
        "According to the court filing (Case No. 24-cv-01187), the city asked for 90 days.",
        "Police say the suspect threatened to shoot the mayor before he was arrested.",
    ],
)
def test_ordinary_comments_stay_visible_after_real_scoring(alice, thread, body):
    comment = _post(thread, alice, body)
    assert comment.status == CommentStatus.VISIBLE
    score_comment.call(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE, comment.scores
    assert not ModerationAction.objects.filter(comment=comment).exists()


@pytest.mark.parametrize(
    ("body", "kind", "rule_setting"),
    [
        (
            "Somebody should shoot the mayor. I'd do it myself.",
            "threat",
            "SOUNDOFF_THREAT_RULE",
        ),
        ("I know where you live.", "threat", "SOUNDOFF_THREAT_RULE"),
        (
            "Jane Porter lives at 412 Maple Street, go tell her what you think.",
            "doxxing",
            "SOUNDOFF_DOXXING_RULE",
        ),
        (
            "Immigrants are vermin and should be thrown out of this country.",
            "identity_hate",
            "SOUNDOFF_HATE_RULE",
        ),
    ],
)
def test_threats_doxxing_and_identity_hate_are_held_before_anyone_sees_them(
    alice, thread, settings, body, kind, rule_setting
):
    # The harm patterns run inline (scoring_plan): the comment is held as
    # it is written, never public.
    comment = _post(thread, alice, body)

    assert comment.status == CommentStatus.HELD
    assert comment.held_reason == f"score_{kind}"
    assert comment.scores[kind]["model"] == "soundoff-harm-patterns"
    action = ModerationAction.objects.get(comment=comment)
    assert (action.action, action.actor) == (ActionKind.HELD, None)
    assert action.rule.number == getattr(settings, rule_setting)
    assert str(settings.SOUNDOFF_HARM_THRESHOLD) in action.note


def test_the_harm_threshold_setting_decides(alice, thread, settings):
    settings.SOUNDOFF_HARM_THRESHOLD = 0.95
    comment = _post(thread, alice, "I know where you live.")
    assert comment.status == CommentStatus.VISIBLE
    assert comment.scores["threat"]["value"] == pytest.approx(0.7)
