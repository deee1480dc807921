import pytest

from soundoff.lib.languages import reader_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-MX,es;q=0.9", "es"),
        ("es-419", "es"),
        ("en-GB,en;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("en;q=0.1, es;q=0.9", "es"),
        ("de-DE", "en"),
        ("", "en"),
        ("*", "en"),
        ("not a header;;q=x", "en"),
    ],
)
def test_it_picks_the_preferred_offered_language(header: str, language: str) -> None:
    assert reader_language(header) == language


def test_it_falls_back_to_the_site_language(settings) -> None:
    assert reader_language("de-DE") == "en"
    settings.LANGUAGE_CODE = "es"
    assert reader_language("de-DE") == "es"
    assert reader_language("en-US") == "en"


def test_it_offers_only_the_offered_languages(settings) -> None:
    assert reader_language("es-ES") == "es"
    settings.LANGUAGES = [("en", "English")]
    assert reader_language("es-ES") == "en"
