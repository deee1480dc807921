"""The moderators' own pages: queues, decisions, readers, log, word lists,
comment search.

Views parse, call a moderation service (decisions, sanctions,
discussion_settings) and report what happened; every decision is made and
audited there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soundoff.accounts.models import User
from soundoff.discussion.errors import DiscussionError
from soundoff.discussion.models import Comment, DiscussionMode, Thread
from soundoff.discussion.policy import DiscussionPolicy
from soundoff.discussion.queries import find_comment
from soundoff.lib.fulltext import MAX_QUERY_LENGTH, asked, paginate

from . import decisions, queues, sanctions
from .access import may_set_discussion_policy, moderator_action, moderator_only
from .desk import reader_context
from .discussion_settings import set_discussion_policy, update_word_list
from .forms import (
    BulkForm,
    DecisionForm,
    FlagForm,
    LogFilterForm,
    PolicyForm,
    SanctionForm,
    WordListsForm,
    current_rule_choices,
)
from .models import ModerationAction, WordList
from .pages import PAGE_SIZE, back_to, decision_posted, form_saved, tell_outcome
from .queries import author_histories, search_comments


@moderator_only
def queue(
    request: HttpRequest, name: str = "reported", thread_id: int | None = None
) -> HttpResponse:
    if name not in queues.COMMENT_QUEUES:
        raise Http404
    story = request.GET.get("story", "")
    if story.isdigit():
        # The story picker: its choice becomes the story's own address.
        return HttpResponseRedirect(reverse("moderation:story_queue", args=[int(story), name]))
    if story == "all":
        return HttpResponseRedirect(reverse("moderation:queue_named", args=[name]))
    thread = None
    if thread_id is not None:
        thread = get_object_or_404(Thread.objects.select_related("post"), pk=thread_id)
    source = queues.comments_in(name, thread_id=thread_id)
    page = Paginator(source, PAGE_SIZE).get_page(request.GET.get("page"))
    comments: list[Comment] = list(page.object_list)
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": name,
            "thread": thread,
            "stories": queues.stories_with_work(),
            "page": page,
            "items": comments,
            "histories": author_histories(c.author_id for c in comments),
            "counts": queues.counts(thread_id=thread_id),
            # Read once: every item's remove form lists them.
            "rules": list(current_rule_choices()),
        },
    )


@moderator_action
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id)
    return decision_posted(
        request,
        DecisionForm(request.POST),
        lambda by, data: _apply(request, comment, by, data, data.get("seen_version")),
        back=_back(request),
    )


@moderator_action
def bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("comments") if v.isdigit()]

    def decide_each(by: User, data: dict[str, Any]) -> None:
        for comment in Comment.objects.filter(pk__in=data["comments"]):
            seen = request.POST.get(f"seen-{comment.pk}", "")
            _apply(request, comment, by, data, int(seen) if seen.isdigit() else None)

    return decision_posted(
        request, BulkForm(request.POST, comment_ids=ids), decide_each, back=_back(request)
    )


def _apply(
    request: HttpRequest,
    comment: Comment,
    by: User,
    data: dict[str, Any],
    seen_version: int | None,
) -> None:
    decision = data["decision"]

    def decide() -> None:
        if decision == "approve":
            decisions.approve_comment(comment, by=by, seen_version=seen_version)
        elif decision == "remove":
            decisions.remove_comment(
                comment, by=by, rule=data["rule"], note=data["note"], seen_version=seen_version
            )
        elif decision == "restore":
            decisions.restore_comment(comment, by=by, seen_version=seen_version)
        else:
            decisions.feature_comment(
                comment, by=by, featured=decision == "feature", seen_version=seen_version
            )

    tell_outcome(
        request,
        decide,
        pk=comment.pk,
        refused=_("Comment %(id)d: %(detail)s"),
        done=_("Comment %(id)d: done (%(decision)s).") % {"id": comment.pk, "decision": decision},
    )


@moderator_only
def reader(request: HttpRequest, user_id: int) -> HttpResponse:
    """A reader's history, and the sanctions form."""
    subject = get_object_or_404(User, pk=user_id)
    form = SanctionForm(request.POST or None)

    def sanction(by: User, data: dict[str, Any]) -> None:
        if data["sanction"] == "suspend":
            sanctions.suspend_user(
                subject,
                by=by,
                duration=timedelta(days=data["days"]),
                rule=data["rule"],
                note=data["note"],
            )
        elif data["sanction"] == "ban":
            sanctions.ban_user(subject, by=by, rule=data["rule"], note=data["note"])
        else:
            sanctions.lift_sanctions(subject, by=by, note=data["note"])

    return form_saved(request, form, sanction, done=_("Saved."), then=request.path) or render(
        request,
        "moderation/reader.html",
        {**reader_context(subject), "form": form},
        status=400 if form.errors else 200,
    )


@moderator_only
def search(request: HttpRequest) -> HttpResponse:
    """Comments in every status, found by their words, with their author."""
    question = asked(request)
    page = paginate(search_comments(question.text), PAGE_SIZE, request.GET.get("page"))
    return render(
        request,
        "moderation/search.html",
        {
            "q": question.text,
            "query": question.link,
            "searched": question.has_words,
            "page": page,
            "max_length": MAX_QUERY_LENGTH,
            "queue": "search",
            "counts": queues.counts(),
        },
    )


@moderator_only
def log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    actions = ModerationAction.objects.select_related("actor", "rule", "comment", "user")
    if form.is_valid():
        data = form.cleaned_data
        if data["moderator"]:
            if data["moderator"].casefold() == _("system").casefold():
                actions = actions.filter(actor__isnull=True)
            else:
                actions = actions.filter(actor__display_name__icontains=data["moderator"])
        if data["action"]:
            actions = actions.filter(action=data["action"])
        if data["rule"]:
            actions = actions.filter(rule__number=data["rule"])
        if data["since"]:
            actions = actions.filter(created_at__date__gte=data["since"])
        if data["until"]:
            actions = actions.filter(created_at__date__lte=data["until"])
    elif form.is_bound:
        # A filter that can't be read shows its error and no rows, rather
        # than the whole log looking like the filtered one.
        actions = actions.none()
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "queue": "log",
            "counts": queues.counts(),
        },
        status=400 if form.errors else 200,
    )


@moderator_only
def words(request: HttpRequest) -> HttpResponse:
    lists = {row.kind: row for row in WordList.objects.all()}
    banned = lists.get("banned")
    form = WordListsForm(
        request.POST or None,
        initial={
            "banned": banned.words if banned else "",
            "banned_rule": banned.rule_number if banned else None,
            **{
                kind: lists[kind].words if kind in lists else "" for kind in ("suspect", "allowed")
            },
        },
    )

    def save(by: User, data: dict[str, Any]) -> None:
        # All lists or none: a refused suspect list must not leave the
        # banned list saved behind the moderator's back.
        with transaction.atomic():
            update_word_list(
                "banned", by=by, words=data["banned"], rule_number=data["banned_rule"]
            )
            for kind in ("suspect", "allowed"):
                update_word_list(kind, by=by, words=data[kind])

    done = _("The word lists are saved.")
    return form_saved(request, form, save, done=done, then=request.path) or render(
        request,
        "moderation/words.html",
        {"form": form, "queue": "words", "counts": queues.counts()},
        status=400 if form.errors else 200,
    )


@login_required
def discussion_policy(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Editors and moderators open, close, slow down or pre-moderate."""
    thread = get_object_or_404(Thread.objects.select_related("post"), pk=thread_id)
    by = request.user
    assert isinstance(by, User)
    if not may_set_discussion_policy(by):
        raise PermissionDenied
    form = PolicyForm(
        request.POST or None,
        initial={
            "mode": thread.mode,
            "slow_mode_seconds": thread.slow_mode_seconds,
            "close_after_hours": thread.close_after_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        set_discussion_policy(
            thread,
            by=by,
            policy=DiscussionPolicy(
                DiscussionMode(data["mode"]), data["slow_mode_seconds"], data["close_after_hours"]
            ),
        )
        messages.success(request, _("The discussion policy is saved."))
        target = thread.post.get_absolute_url() if thread.post else reverse("moderation:queue")
        return HttpResponseRedirect(target, status=303)
    return render(
        request,
        "moderation/policy.html",
        {"thread": thread, "form": form},
        status=400 if form.errors else 200,
    )


def _back(request: HttpRequest) -> str:
    return back_to(request, reverse("moderation:queue"))


@login_required
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A reader reports a comment, citing a rule."""
    comment = find_comment(comment_id, viewer=request.user)
    if comment is None:
        raise Http404
    if request.method != "POST" and not comment.is_visible:
        # Removed or deleted (or held, shown to its author or a moderator):
        # nothing to report, so the page names no one and quotes nothing
        # (a POST gets the service's refusal).
        return render(request, "moderation/report.html", {"comment": comment}, status=410)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        by = request.user
        assert isinstance(by, User)
        try:
            decisions.flag_comment(
                comment,
                by=by,
                rule=form.cleaned_data["rule"],
                explanation=form.cleaned_data["explanation"],
            )
        except DiscussionError as error:
            form.add_error(None, error.detail)
            status = error.http_status
        else:
            messages.success(request, _("Thank you. The moderators will look at it."))
            return HttpResponseRedirect(comment.get_absolute_url(), status=303)
    return render(
        request,
        "moderation/report.html",
        {"comment": comment, "form": form},
        status=400 if status == 200 and form.errors else status,
    )
