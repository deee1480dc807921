"""The discussion header's count text as a filter (defined in
soundoff.discussion.counts), and the comments' markup as tags (defined in
soundoff.discussion.markup), rendered for the reader of the page."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from soundoff.discussion.counts import soundoff_count
from soundoff.discussion.markup import Listing, Reader
from soundoff.discussion.models import Comment
from soundoff.discussion.queries import CommentNode

register = template.Library()
register.filter("soundoff_count", soundoff_count)


def _listing(context: template.Context) -> Listing:
    """One Listing per rendered page: its words are translated once."""
    listing: Listing | None = context.render_context.get("soundoff_listing")
    if listing is None:
        request = context.get("request")
        can_react = bool(context.get("can_react"))
        listing = Listing(
            Reader(
                user=context.get("user"),
                can_react=can_react,
                pressed=context.get("reader_reactions") or {},
                csrf_token=str(context.get("csrf_token") or "") if can_react else "",
                next_path=request.get_full_path() if can_react and request else "",
            )
        )
        context.render_context["soundoff_listing"] = listing
    return listing


@register.simple_tag(takes_context=True)
def comment_nodes(context: template.Context, nodes: Any) -> SafeString:
    """Comments (a CommentNode or a list of them) as list items, with replies."""
    listing = _listing(context)
    if isinstance(nodes, CommentNode):
        return mark_safe(listing.node(nodes))  # noqa: S308 - escaped by markup
    return mark_safe(listing.nodes(nodes))  # noqa: S308 - escaped by markup


@register.simple_tag(takes_context=True)
def comment_card(context: template.Context, comment: Comment) -> SafeString:
    """A comment alone, without its list item or replies."""
    return mark_safe(_listing(context).card(comment))  # noqa: S308 - escaped by markup


@register.simple_tag(takes_context=True)
def comment_placeholder(context: template.Context, comment: Comment) -> SafeString:
    return mark_safe(_listing(context).placeholder(comment))  # noqa: S308 - escaped by markup


@register.simple_tag(takes_context=True)
def reaction_box(context: template.Context, comment: Comment | None) -> SafeString:
    """The reactions of ``comment``; None for the empty box of a live comment."""
    return mark_safe(_listing(context).reactions(comment))  # noqa: S308 - escaped by markup
