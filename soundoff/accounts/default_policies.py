"""Version 1 of the Terms of Service (with the Rules of Conduct) and of the
Privacy Policy, written for Soundoff, installed so that a new site can take
comments at once. Operators edit them by drafting version 2 in the admin."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from soundoff.lib.text import render_post

TEXTS = Path(__file__).parent / "policy_texts"


def install_default_policies(policy_model: Any, rule_model: Any) -> None:
    """Create version 1 of each document unless the site has any version.

    Takes the model classes so the data migration can pass its historical
    models (which have no custom save(); hence body_html is computed here).
    """
    now = timezone.now()
    if not policy_model.objects.filter(kind="terms").exists():
        terms = _first_version(policy_model, "terms", "Terms of Service", now)
        rules = tomllib.loads((TEXTS / "rules.toml").read_text())["rule"]
        rule_model.objects.bulk_create(
            rule_model(
                terms=terms,
                number=rule["number"],
                slug=rule["slug"],
                title=rule["title"],
                text=rule["text"],
                text_html=render_post(rule["text"]),
            )
            for rule in rules
        )
    if not policy_model.objects.filter(kind="privacy").exists():
        _first_version(policy_model, "privacy", "Privacy Policy", now)


def _first_version(policy_model: Any, kind: str, title: str, now: datetime) -> Any:
    """Version 1 of the ``kind`` document, its text from ``policy_texts/<kind>.md``."""
    body = (TEXTS / f"{kind}.md").read_text()
    return policy_model.objects.create(
        kind=kind,
        version=1,
        title=title,
        body=body,
        body_html=render_post(body),
        published_at=now,
    )
