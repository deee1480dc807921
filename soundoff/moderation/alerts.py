"""Moderator alerts by e-mail: a surge (many reports or withheld comments
on one story in a short time, once per surge) and every new appeal.

Every report and every hold asks the task worker to look at its story
(``watch_for_surge``); the count is read there, not in the reader's
request. The story's thread row is locked while the count is compared, so
two workers finishing at once send one e-mail, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soundoff.accounts.language import written_for
from soundoff.accounts.models import User
from soundoff.discussion.models import MODERATE, Thread
from soundoff.lib.queueing import enqueue_with_writes

from .models import ActionKind, Appeal, Flag, ModerationAction, SurgeAlert
from .notices import comment_url, moment, quote, send_notice, until, where
from .queries import story_title

HOLDS = (ActionKind.HELD, ActionKind.WITHHELD)


@dataclass(frozen=True)
class StoryActivity:
    reports: int
    withheld: int

    @property
    def total(self) -> int:
        return self.reports + self.withheld


def is_on() -> bool:
    return settings.SOUNDOFF_SURGE_COUNT > 0


def watch_story(thread_id: int) -> None:
    """After commit, have the worker look for a surge on the story."""
    if is_on():
        enqueue_with_writes(watch_for_surge, thread_id=thread_id)


def recent_activity(thread_id: int, *, minutes: int) -> StoryActivity:
    """Readers' reports and holds (on posting or after) on the story's
    comments in the last ``minutes``: two counts on indexed columns."""
    since = timezone.now() - timedelta(minutes=minutes)
    return StoryActivity(
        reports=Flag.objects.filter(
            comment__thread_id=thread_id, reporter__isnull=False, created_at__gte=since
        ).count(),
        withheld=ModerationAction.objects.filter(
            comment__thread_id=thread_id, action__in=HOLDS, created_at__gte=since
        ).count(),
    )


@task
def watch_for_surge(*, thread_id: int) -> bool:
    """E-mail the moderators if the story is in a surge not yet announced;
    returns whether an e-mail went out."""
    if not is_on():
        return False
    minutes = settings.SOUNDOFF_SURGE_MINUTES
    with transaction.atomic():
        # of=("self",): PostgreSQL can't lock the nullable side of the join.
        locked = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("post")
            .filter(pk=thread_id)
            .first()
        )
        if locked is None:
            return False
        activity = recent_activity(thread_id, minutes=minutes)
        if activity.total < settings.SOUNDOFF_SURGE_COUNT:
            return False
        now = timezone.now()
        ongoing = SurgeAlert.objects.filter(
            thread=locked, last_seen_at__gte=now - timedelta(minutes=minutes)
        ).first()
        if ongoing is not None:
            ongoing.last_seen_at = now
            ongoing.save(update_fields=["last_seen_at"])
            return False
        alert = SurgeAlert.objects.create(
            thread=locked, reports=activity.reports, withheld=activity.withheld, last_seen_at=now
        )
        # One message per moderator, each in their language: no moderator's
        # address is shown to another, and one bad address stops no other.
        for moderator in moderators_to_alert():
            enqueue_with_writes(
                tell_of_surge, alert_id=alert.pk, moderator_id=moderator.pk, minutes=minutes
            )
    return True


def moderators_to_alert() -> list[User]:
    """The active accounts with an address holding moderation.moderate."""
    app_label, codename = MODERATE.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return list(
        User.objects.filter(
            Q(groups__permissions__in=granted)
            | Q(user_permissions__in=granted)
            | Q(is_superuser=True),
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def still_moderating(moderator_id: int) -> User | None:
    """The moderator an alert was queued for, if they still are one when the
    worker writes it: an alert quotes readers' comments, held and removed
    ones too, and a task may wait in the queue while an operator takes the
    role away or deletes the account."""
    moderator = User.objects.filter(pk=moderator_id, is_active=True).first()
    if moderator is None or not moderator.has_perm(MODERATE):
        return None
    return moderator


@task
def tell_of_surge(*, alert_id: int, moderator_id: int, minutes: int) -> int:
    alert = SurgeAlert.objects.select_related("thread__post").get(pk=alert_id)
    moderator = still_moderating(moderator_id)
    if moderator is None:
        return 0
    site = settings.SOUNDOFF_SITE_URL
    with written_for(moderator):
        story = story_title(alert.thread)
        return send_notice(
            moderator,
            subject=_("Surge of reports on “%(story)s”") % {"story": story},
            template="moderation/email/surge.txt",
            context={
                "story": story,
                "alert": alert,
                "minutes": minutes,
                "withheld_url": site
                + reverse("moderation:story_queue", args=[alert.thread_id, "withheld"]),
                "reported_url": site
                + reverse("moderation:story_queue", args=[alert.thread_id, "reported"]),
            },
        )


def announce_appeal(appeal: Appeal) -> None:
    """Called where a reader files ``appeal``, in the same transaction: once
    it commits, the worker mails each moderator (not the appellant, should
    they be one) in their language, one message each as for a surge."""
    for moderator in moderators_to_alert():
        if moderator.pk != appeal.user_id:
            enqueue_with_writes(tell_of_appeal, appeal_id=appeal.pk, moderator_id=moderator.pk)


@task
def tell_of_appeal(*, appeal_id: int, moderator_id: int) -> int:
    """The appeal, the decision it is about and the queue where it is decided;
    nothing once another moderator has decided it, or once it went with the
    reader's account (account deletion deletes their appeals)."""
    appeal = (
        Appeal.objects.select_related(
            "user", "decision__rule", "decision__sanction", "decision__comment__thread__post"
        )
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None or not appeal.is_open:
        return 0
    moderator = still_moderating(moderator_id)
    if moderator is None:
        return 0
    decision = appeal.decision
    comment = decision.comment
    sanction = getattr(decision, "sanction", None)
    with written_for(moderator):
        return send_notice(
            moderator,
            subject=_("New appeal from %(reader)s") % {"reader": appeal.user.display_name},
            template="moderation/email/appeal_filed.txt",
            context={
                "reader": appeal.user.display_name,
                "appeal": appeal.text,
                "decision": decision.get_action_display(),
                "decided_on": moment(decision.created_at),
                "rule": decision.rule,
                "note": decision.note,
                "until": until(sanction) if sanction is not None else "",
                "where": where(comment) if comment else "",
                "text": quote(comment) if comment else "",
                "url": comment_url(comment) if comment else "",
                "queue_url": settings.SOUNDOFF_SITE_URL + reverse("moderation:appeals"),
            },
        )
