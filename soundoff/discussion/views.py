"""Comment, reply, edit, delete and react from the page, without JavaScript.

Views parse the form, call a service, and map its errors to a status and a
message beside the form; the reader's text is always re-rendered.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soundoff.accounts.models import User
from soundoff.accounts.queries import policies_awaiting
from soundoff.accounts.rights.views import send_link
from soundoff.accounts.services import accept_policies
from soundoff.lib.client import client_info
from soundoff.lib.prepared import PreparedInstance
from soundoff.newsroom.models import Post
from soundoff.newsroom.post_page import render_post_page

from . import services
from .errors import DiscussionError, InvalidReply, NotSignedIn
from .forms import CommentForm, EditCommentForm
from .markup import reactions_text
from .models import Comment, ReactionKind
from .queries import (
    CommentNode,
    InvalidCursor,
    find_comment,
    page_cursor_for,
    reactions_by,
    replies_page,
)

# Every comment from the page reads it, so its SQL is written once (soundoff.lib.prepared).
_POST = PreparedInstance(
    Post, lambda slug: Post.objects.filter(slug=slug), related="thread", slug="stand-in-slug"
)


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    post = _POST.first(slug=slug)
    if post is None:
        raise Http404
    if not post.is_published and not request.user.is_staff:
        # Don't reveal the draft; do give the reader their text back.
        return render(
            request,
            "discussion/cannot_post.html",
            {
                "body": request.POST.get("body", ""),
                "errors": [_("This post is not published, so it can't take comments.")],
            },
            status=409,
        )
    thread = post.thread
    if not request.user.is_authenticated:
        request.session["comment_draft"] = {
            "thread": thread.pk,
            "body": request.POST.get("body", ""),
            "parent": request.POST.get("parent") or None,
        }
        messages.info(request, _("Log in to post your comment; we kept what you wrote."))
        return redirect_to_login(f"{post.get_absolute_url()}#comment-form")
    awaiting = policies_awaiting(request.user)
    form = CommentForm(request.POST, needs_acceptance=bool(awaiting))
    if request.POST.get("action") == "send-confirmation" and isinstance(request.user, User):
        # The comment form's "send the link again": the page comes back
        # with what the reader typed.
        send_link(request, request.user)
        return render_post_page(request, post, form=form)
    if not form.is_valid():
        return render_post_page(request, post, form=form, status=400)
    if awaiting and form.cleaned_data.get("accept_policies"):
        accept_policies(request.user, documents=awaiting)
    try:
        parent = _parent(form.cleaned_data.get("parent"), viewer=request.user)
        result = services.post_comment(
            thread,
            author=request.user,
            body=form.cleaned_data["body"],
            client=client_info(request),
            parent=parent,
            submission_key=form.cleaned_data.get("submission_key"),
        )
    except DiscussionError as error:
        form.add_error("body", error.detail)
        return render_post_page(request, post, form=form, status=error.http_status)
    if result.is_visible:
        messages.success(request, _("Your comment is posted."))
    else:
        messages.info(
            request,
            _("Your comment is held for review and will appear once a moderator approves it."),
        )
    return HttpResponseRedirect(_anchor(result.comment), status=303)


def _comment_or_404(request: HttpRequest, comment_id: int) -> Comment:
    comment = find_comment(comment_id, viewer=request.user)
    if comment is None:
        raise Http404
    return comment


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(request, comment_id)
    thread = comment.thread
    if thread.post is None:
        # A discussion embedded on another site lives under that page.
        return redirect(f"{thread.page_url}#soundoff-comment-{comment.pk}")
    return redirect(_anchor(comment))


def replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """All replies under a top-level comment, a window at a time (no JS)."""
    root = _comment_or_404(request, comment_id)
    post = root.thread.post
    if post is None or root.depth != 0:
        raise Http404
    try:
        page = replies_page(root, cursor=request.GET.get("cursor"))
    except InvalidCursor:
        page = replies_page(root)
    return render(
        request,
        "discussion/replies.html",
        {
            "root": root,
            "shown": root.is_visible_to(request.user),
            "post": post,
            "page": page,
            "can_react": request.user.is_authenticated and root.thread.is_open,
            "reader_reactions": reactions_by(request.user, page.nodes),
        },
    )


@require_POST
def react(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Add (on=1) or take back (on=0) one of the reader's reactions.

    A plain form post is sent back to the page it came from, at the
    comment, with a message; reactions.js asks for JSON instead and gets
    the new count and the reader's pressed kinds, or the error shape."""
    comment = _comment_or_404(request, comment_id)
    wants_json = request.get_preferred_type(["text/html", "application/json"]) == (
        "application/json"
    )
    back = f"{_safe_next(request) or _anchor(comment).split('#')[0]}#comment-{comment.pk}"
    try:
        kind = ReactionKind(request.POST.get("kind", ""))
    except ValueError:
        error = DiscussionError(_("Choose one of the reactions shown under the comment."))
        return _refused(request, error, back=back, wants_json=wants_json)
    change = services.unreact if request.POST.get("on") == "0" else services.react
    try:
        comment = change(comment, by=request.user, kind=kind, client=client_info(request))
    except DiscussionError as error:
        return _refused(request, error, back=back, wants_json=wants_json)
    if wants_json:
        mine = reactions_by(request.user, [CommentNode(comment)]).get(comment.pk, set())
        return JsonResponse(
            {
                "reaction_count": comment.reaction_count,
                "text": reactions_text(comment.reaction_count),
                "mine": sorted(mine),
            }
        )
    if change is services.react:
        messages.success(request, _("Your reaction is counted."))
    else:
        messages.success(request, _("Your reaction is taken back."))
    return HttpResponseRedirect(back, status=303)


def _refused(
    request: HttpRequest, error: DiscussionError, *, back: str, wants_json: bool
) -> HttpResponse:
    response: HttpResponse
    if wants_json:
        response = JsonResponse(
            {"error": error.code, "detail": error.detail}, status=error.http_status
        )
    elif isinstance(error, NotSignedIn):
        messages.info(request, error.detail)
        return redirect_to_login(back)
    else:
        messages.error(request, error.detail)
        response = HttpResponseRedirect(back, status=303)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _safe_next(request: HttpRequest) -> str | None:
    """The page the form was on (its sort and cursor kept), if it is ours."""
    target = request.POST.get("next", "").split("#")[0]
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = _comment_or_404(request, comment_id)
    post = parent.thread.post
    if post is None or not parent.is_visible:
        # Only a comment everyone sees takes replies (see post_comment).
        raise Http404
    form = CommentForm(
        initial={"parent": parent.pk},
        needs_acceptance=bool(policies_awaiting(request.user)),
    )
    return render(request, "discussion/reply.html", {"parent": parent, "post": post, "form": form})


@login_required
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(request, comment_id)
    if not comment.can_be_edited_by(request.user) and request.method == "GET":
        messages.error(request, _("This comment can no longer be edited."))
        return redirect(_anchor(comment))
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    status = 200
    retry_after: int | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment,
                by=request.user,
                body=form.cleaned_data["body"],
                client=client_info(request),
            )
        except DiscussionError as error:
            form.add_error("body", error.detail)
            status = error.http_status
            retry_after = getattr(error, "retry_after", None)
        else:
            messages.success(request, _("Your comment is updated."))
            return HttpResponseRedirect(_anchor(comment), status=303)
    response = render(
        request, "discussion/edit.html", {"comment": comment, "form": form}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(request, comment_id)
    if request.method == "POST":
        try:
            services.delete_comment(comment, by=request.user)
        except DiscussionError as error:
            messages.error(request, error.detail)
            return HttpResponseRedirect(_anchor(comment), status=303)
        messages.success(request, _("Your comment is deleted."))
        return HttpResponseRedirect(_anchor(comment), status=303)
    if not comment.can_be_deleted_by(request.user):
        messages.error(request, _("You can only delete your own comments."))
        return redirect(_anchor(comment))
    return render(request, "discussion/delete.html", {"comment": comment})


def _parent(parent_id: int | None, *, viewer: User) -> Comment | None:
    if parent_id is None:
        return None
    # The service checks that it is in the same discussion (which the
    # caller has checked readers, or staff on a draft, may see).
    parent = Comment.objects.known_to(viewer).filter(pk=parent_id).first()
    if parent is None:
        raise InvalidReply(_("The comment you replied to no longer exists."))
    return parent


def _anchor(comment: Comment) -> str:
    post = comment.thread.post
    base = post.get_absolute_url() if post else reverse("newsroom:front")
    cursor = page_cursor_for(comment)
    query = f"?{urlencode({'cursor': cursor})}" if cursor else ""
    return f"{base}{query}#comment-{comment.pk}"
