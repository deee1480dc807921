"""{% fixed %}: parts of a page rendered once per language and site
address, with nothing of the page's context in them."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from soundoff.embed.views import POPUP_ACCOUNTS

PART = Template(
    "{% load i18n fixed %}{% fixed %}{% translate 'Search' %} {% url 'accounts:login' %}"
    " [{{ secret }}]{% endfixed %}"
)


def _rendered(language: str, **request: object) -> str:
    context = Context({"secret": "hers"})
    context.request = SimpleNamespace(**request)  # as a RequestContext has it
    with translation.override(language):
        return PART.render(context)


def test_a_part_is_in_each_language_and_holds_nothing_of_the_page():
    assert _rendered("en") == f"Search {reverse('accounts:login')} []"
    assert _rendered("es").startswith("Buscar ")
    assert _rendered("en") == f"Search {reverse('accounts:login')} []"


def test_a_part_reverses_in_the_pages_application_instance():
    popup = reverse("accounts:login", current_app=POPUP_ACCOUNTS)
    assert popup != reverse("accounts:login")

    assert _rendered("en", current_app=POPUP_ACCOUNTS) == f"Search {popup} []"
    assert _rendered("en") == f"Search {reverse('accounts:login')} []"


def test_a_change_of_settings_renders_it_again(settings):
    _rendered("en")
    settings.SOUNDOFF_SITE_NAME = "Another"  # any setting: the parts are forgotten
    settings.ROOT_URLCONF = "tests.newsroom.test_fixed_parts_urls"

    assert _rendered("en") == "Search /elsewhere/login/ []"
