"""The site and the widget in Spanish, in real Chromium whose language is
Spanish (locale es-ES: Accept-Language and navigator.language), with axe's
WCAG audit passing in Spanish as in English."""

from datetime import UTC, datetime

import pytest
from axe_audit import audit
from django.utils import timezone
from playwright.sync_api import expect

from soundoff.discussion import services
from testkit import cast

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_page(browser):
    context = browser.new_context(locale="es-ES")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_spanish_reader_reads_the_post_page_in_spanish(site, spanish_page):
    published = datetime(2011, 7, 13, 21, 58, tzinfo=UTC)
    post = cast.make_post(
        headline="Se rompe una tubería en el centro",
        slug="tuberia",
        published_ago=timezone.now() - published,
    )
    services.post_comment(
        post.thread,
        author=cast.make_reader("Lucía Lectora"),
        body="Otra vez sin agua.",
        client=cast.CLIENT,
    )
    page = spanish_page
    page.goto(f"{site.url}{post.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".stamp__date")).to_have_text("13 de julio de 2011")
    expect(page.locator(".stamp__time")).to_have_text("17:58 ET")
    expect(page.get_by_role("heading", name="soundoff (Una respuesta)")).to_be_visible()
    expect(page.get_by_role("link", name="Normas de conducta").first).to_be_visible()
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    assert page.get_by_text("Post a comment").count() == 0
    assert audit(page) == []


def test_the_embedded_widget_speaks_the_reader_language(embedded, spanish_page):
    page = spanish_page
    page.goto(embedded.article_url)
    widget = page.locator("div.soundoff")
    expect(widget.get_by_role("heading", name="soundoff (Una respuesta)")).to_be_visible()
    expect(widget.locator("section")).to_have_attribute("lang", "es")
    expect(widget.get_by_role("heading", name="Publica un comentario")).to_be_visible()
    expect(widget.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    expect(widget.get_by_role("group", name="Ordenar los comentarios")).to_be_visible()
    expect(widget.get_by_role("link", name="Política de privacidad")).to_be_visible()
    expect(widget.locator("li.comment time").first).to_contain_text(" de ")
    assert widget.get_by_text("Post a comment").count() == 0
    assert audit(page) == []
