"""Surge alerts: many reports or withheld comments on one story in a short
time e-mail the moderators, once per surge.

Every report and every hold asks the task worker to look at its story
(``watch_for_surge``); the count is read there, not in the reader's
request. The story's thread row is locked while the count is compared, so
two workers finishing at once send one e-mail, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

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

from .models import ActionKind, Flag, ModerationAction, SurgeAlert
from .notices import send_notice
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
        transaction.on_commit(partial(watch_for_surge.enqueue, thread_id=thread_id))


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
            transaction.on_commit(
                partial(
                    tell_of_surge.enqueue,
                    alert_id=alert.pk,
                    moderator_id=moderator.pk,
                    minutes=minutes,
                )
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


@task
def tell_of_surge(*, alert_id: int, moderator_id: int, minutes: int) -> int:
    alert = SurgeAlert.objects.select_related("thread__post").get(pk=alert_id)
    moderator = User.objects.get(pk=moderator_id)
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
