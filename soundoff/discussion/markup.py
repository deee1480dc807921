"""The HTML of comments wherever a page shows them: the post page, the
replies page, a reader's held comments, and the live events.

A listing renders up to 50 top-level comments with their first replies.
As Django templates, nested includes of about twenty nodes a comment, that
cost ~1.6 M instructions a comment and most of a cold page
(bench/RESULTS.md); here a comment is a few string joins, with the
translated words and the reader's part worked out once a listing. The
markup is held to what the templates rendered by
tests/discussion/test_comment_markup.py. The templates call it through
the tags of templatetags/discussion.py.

Every value from a reader (a display name, a picture's address) is
escaped here; the comment's HTML is the sanitizer's (Comment.body_html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from soundoff.lib.addresses import Addresses
from soundoff.lib.dateline import StampLines

from .models import Comment, CommentStatus, ReactionKind
from .rows import CommentRow

if TYPE_CHECKING:
    from .queries import CommentNode

Shown = CommentRow | Comment


@dataclass(frozen=True)
class Reader:
    """Who the comments are rendered for. The default is the public: no
    per-reader link or button, as on the shared page and in live events."""

    user: Any = None
    can_react: bool = False
    # queries.reactions_by's answer: the kinds this reader pressed, by comment.
    pressed: dict[int, set[str]] = field(default_factory=dict)
    csrf_token: str = ""
    next_path: str = ""
    # Asked for every comment, and request.user is a lazy object: once.
    signed_in: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        signed_in = self.user is not None and bool(self.user.is_authenticated)
        object.__setattr__(self, "signed_in", signed_in)


class _Words:
    """The words of a listing in the active language, translated once."""

    def __init__(self) -> None:
        self.featured = escape(gettext("Featured"))
        self.edited = escape(gettext("edited"))
        self.held = escape(
            gettext(
                "Waiting for a moderator: only you can see this comment until a "
                "moderator has looked at it."
            )
        )
        self.actions = gettext("Actions for %(author)s's comment")
        self.reply = escape(gettext("Reply"))
        self.edit = escape(gettext("Edit"))
        self.delete = escape(gettext("Delete"))
        self.report = escape(gettext("Report"))
        self.deleted = escape(gettext("This comment was deleted by its author."))
        self.removed = escape(gettext("This comment was removed by a moderator."))
        self.kinds = [(kind.value, escape(str(kind.label))) for kind in ReactionKind]


def reactions_text(count: int) -> str:
    """Empty for none, so that a comment nobody reacted to shows nothing."""
    if count == 0:
        return ""
    return ngettext("%(count)d reaction", "%(count)d reactions", count) % {"count": count}


class Listing:
    """Renders comments for one reader in the active language."""

    def __init__(self, reader: Reader | None = None) -> None:
        self.reader = reader or Reader()
        self.words = _Words()
        self.stamp_line = StampLines()
        # What each comment's addresses and times read from request-local
        # state, read once a listing.
        self.address = Addresses()
        self.zone = timezone.get_current_timezone()
        token = self.reader.csrf_token
        self._csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED"  # noqa: S105 - Django's word for none
            else ""
        )

    def nodes(self, nodes: Iterable[CommentNode]) -> str:
        return "".join(self.node(node) for node in nodes)

    def node(self, node: CommentNode) -> str:
        """A comment as a list item, with its replies and a link to more."""
        comment = node.comment
        pk = comment.pk
        if node.is_placeholder:
            parts = [
                f'<li class="comment comment--placeholder" id="comment-{pk}">',
                self.placeholder(comment),
            ]
        else:
            parts = [f'<li class="comment" id="comment-{pk}">', self.card(comment)]
        if node.replies:
            parts.append('<ol class="comments comments--replies">')
            parts.extend(self.node(reply) for reply in node.replies)
            parts.append("</ol>")
        if node.more_replies > 0:
            more = ngettext("%(n)s more reply", "%(n)s more replies", node.more_replies) % {
                "n": node.more_replies
            }
            replies = self.address("discussion:replies", comment_id=pk)
            parts.append(f'<p class="comments__more"><a href="{replies}">{escape(more)}</a></p>')
        parts.append("</li>")
        return "\n".join(parts)

    def placeholder(self, comment: Shown) -> str:
        """What stands for a removed or deleted comment: no text, no author."""
        gone = (
            self.words.deleted if comment.status == CommentStatus.DELETED else self.words.removed
        )
        return f'<p class="comment__gone">{gone}</p>'

    def card(self, comment: Shown) -> str:
        """The comment itself: author, time, text, reactions, actions."""
        words, pk = self.words, comment.pk
        author = comment.author
        name = escape(author.display_name)
        created: datetime = comment.created_at
        parts = [
            f'<article class="comment__card" aria-labelledby="comment-{pk}-author">',
            '<header class="comment__meta">',
            f'<img class="avatar" src="{escape(author.avatar_url())}" alt="" width="48" '
            'height="48" loading="lazy">',
            f'<span class="comment__author" id="comment-{pk}-author">{name}</span>',
            f'<a class="comment__time" href="{comment.get_absolute_url(self.address)}"><time '
            f'datetime="{created.astimezone(self.zone).isoformat()}">{escape(self.stamp_line(created))}</time></a>',
        ]
        if comment.featured:
            parts.append(f'<span class="comment__featured">{words.featured}</span>')
        if comment.edited_at:
            parts.append(f'<span class="comment__edited">{words.edited}</span>')
        parts.append("</header>")
        if comment.status == CommentStatus.HELD:
            parts.append(f'<p class="comment__held">{words.held}</p>')
        parts.append(f'<div class="comment__body">{comment.body_html}</div>')
        parts.append(self.reactions(comment))
        if self.reader.signed_in:
            parts.append(self._actions(comment, name))
        parts.append("</article>")
        return "\n".join(parts)

    def reactions(self, comment: Shown | None) -> str:
        """The count and, for a reader who may react, the buttons; for
        ``comment`` None, the empty box live comments get a copy of."""
        can_react = self.reader.can_react
        count = comment.reaction_count if comment is not None else 0
        if not can_react and not count:
            return ""
        parts = [
            '<div class="reactions">',
            f'<span class="reactions__count" data-reaction-count>{escape(reactions_text(count))}'
            "</span>",
        ]
        if can_react:
            pk = comment.pk if comment is not None else 0
            mine = self.reader.pressed.get(pk, set()) if comment is not None else set()
            action = self.address("discussion:react", comment_id=pk)
            back = escape(self.reader.next_path)
            for kind, label in self.words.kinds:
                pressed = kind in mine
                parts.append(
                    f'<form class="reactions__form" method="post" action="{action}" '
                    f'data-reaction-form>{self._csrf}<input type="hidden" name="kind" '
                    f'value="{kind}"><input type="hidden" name="on" '
                    f'value="{"0" if pressed else "1"}"><input type="hidden" name="next" '
                    f'value="{back}"><button type="submit" class="reaction" '
                    f'aria-pressed="{"true" if pressed else "false"}">{label}</button></form>'
                )
        parts.append("</div>")
        return "".join(parts)

    def _actions(self, comment: Shown, name: str) -> str:
        """Reply, and Edit and Delete for its author or Report for others."""
        words, user, pk = self.words, self.reader.user, comment.pk
        # As the template put it: the name escaped, the sentence as translated.
        label = words.actions % {"author": name}
        links = [
            f'<a href="{self.address("discussion:reply", comment_id=pk)}">{words.reply}</a>',
        ]
        if comment.can_be_edited_by(user):
            links.append(
                f'<a href="{self.address("discussion:edit", comment_id=pk)}">{words.edit}</a>'
            )
        if comment.author_id == user.pk:
            links.append(
                f'<a href="{self.address("discussion:delete", comment_id=pk)}">{words.delete}</a>'
            )
        else:
            links.append(
                f'<a href="{self.address("report_comment", comment_id=pk)}">{words.report}</a>'
            )
        return f'<nav class="comment__actions" aria-label="{label}">{"".join(links)}</nav>'
