"""``{% fixed %}…{% endfixed %}``: a part of a page rendered once per
language and site address, then given as it is.

The post page's shell is about 114 template nodes, and a third of them are
words in the reader's language and the site's own addresses and static
files (the footer, the policy notice, the live updates' messages), the same
on every page in one language. Rendered each time, they cost a cold page
more than its queries (bench/RESULTS.md, target 3); rendered once, they
cost a dictionary look-up.

What a fixed part may hold is what ``{% translate %}``, ``{% url %}`` and
``{% static %}`` give, and nothing of the page's context: it is rendered
with an empty one, so that a variable in it renders empty in every test
rather than one reader's value being shown to others. A change of settings
(as tests make) forgets every rendered part.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import template
from django.template.base import NodeList, Parser, Token
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Bumped by any change of settings: parts rendered before are not used again.
_settings_changes = [0]


class FixedNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[Any, ...], SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        current_app = _current_app(context)
        key = (
            _settings_changes[0],
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            current_app,
            context.autoescape,
        )
        text = self.rendered.get(key)
        if text is None:
            alone = template.Context(autoescape=context.autoescape)
            alone.template = context.template
            # {% url %} reverses in the page's application instance (the
            # embed's pop-up has its own accounts pages): that alone of
            # the request goes in.
            alone.request = SimpleNamespace(current_app=current_app)  # type: ignore[attr-defined]
            text = self.rendered[key] = mark_safe(self.nodelist.render(alone))  # noqa: S308 - the template's own output
        return text


def _current_app(context: template.Context) -> str | None:
    """The instance {% url %} reverses in, as it finds it."""
    request = getattr(context, "request", None)
    try:
        return request.current_app  # type: ignore[union-attr]
    except AttributeError:
        try:
            return request.resolver_match.namespace  # type: ignore[union-attr]
        except AttributeError:
            return None


@register.tag
def fixed(parser: Parser, token: Token) -> FixedNode:
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist)


def forget_fixed_parts(**kwargs: Any) -> None:
    """setting_changed's receiver (NewsroomConfig.ready)."""
    _settings_changes[0] += 1
