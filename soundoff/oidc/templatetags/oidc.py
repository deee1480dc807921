"""``{% oidc_sign_in next %}``: the "Sign in with …" button, when configured."""

from __future__ import annotations

from typing import Any

from django import template

from soundoff.oidc import client

register = template.Library()


@register.inclusion_tag("oidc/sign_in.html")
def oidc_sign_in(next_url: str = "") -> dict[str, Any]:
    return {"enabled": client.is_enabled(), "label": client.label(), "next": next_url}
