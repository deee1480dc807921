"""Answers the importers give to other apps' signals; connected in
ImportersConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .claims import start_claim


def offer_claim(sender: Any, *, email: str, site_url: str, **kwargs: Any) -> None:
    """Someone registered with the address of an imported identity: mail the
    claim link, which moves the comments to whoever proves the address."""
    start_claim(email, by=None, confirm_url=site_url + reverse("importers:claim_confirm"))
