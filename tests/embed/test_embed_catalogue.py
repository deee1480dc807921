"""The widget in the reader's language: embed.js carries the catalogue its
request asked for (Accept-Language), inside its own closure."""

import re

import pytest

from soundoff.embed.views import load_script

SPANISH = {"Accept-Language": "es-AR,es;q=0.9"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_spanish_reader_gets_the_spanish_catalogue(client, db):
    script = client.get("/embed.js", headers=SPANISH).content.decode()
    assert 'var LANGUAGE = "es";' in script
    assert '"Publica un comentario"' in script
    assert '"Sort comments": "Ordenar los comentarios"' in script
    assert '"Show %(count)s more reply": ["Mostrar %(count)s respuesta más"' in script


def test_an_english_reader_gets_an_empty_catalogue_and_the_source_words(client, db):
    script = client.get("/embed.js", headers=ENGLISH).content.decode()
    assert "var CATALOGUE = {};" in script
    assert 'gettext("Post a comment")' in script


def test_the_catalogue_adds_no_global_to_the_host_page(client, db):
    script = client.get("/embed.js", headers=SPANISH).content.decode()
    opening = '(function () {\n  "use strict";\n'
    assert script.index(opening) < script.index("var CATALOGUE")
    assert script.rstrip().endswith("})();")
    # Not Django's JavaScriptCatalog, which sets window.django and window.gettext.
    assert "django." not in script and "window.gettext" not in script


def test_each_language_has_its_own_etag_and_says_it_varies(client, db):
    english = client.get("/embed.js", headers=ENGLISH)
    spanish = client.get("/embed.js", headers=SPANISH)
    assert english["ETag"] != spanish["ETag"]
    assert "Accept-Language" in spanish["Vary"]
    assert spanish["Content-Language"] == "es"
    # A browser whose language changed doesn't revalidate the old copy.
    revalidated = client.get("/embed.js", headers={**SPANISH, "If-None-Match": english["ETag"]})
    assert revalidated.status_code == 200
    assert b"Publica un comentario" in revalidated.content


def test_the_pasted_version_is_current_in_every_language(client, db):
    assert load_script("embed.js", "en").version == load_script("embed.js", "es").version
    version = load_script("embed.js", "es").version
    response = client.get(f"/embed.js?v={version}", headers=SPANISH)
    assert "immutable" in response["Cache-Control"]
    assert b"Publica un comentario" in response.content


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_plural_rule_is_the_catalogue_own_as_code(language):
    script = load_script("embed.js", language).body.decode()
    rule = re.search(r"var form = (.+);", script)
    assert rule is not None and rule[1] == "(n != 1)"


def test_every_string_of_the_widget_goes_through_the_catalogue():
    """No English left as a bare literal in what the widget shows: every
    T entry of 01-core.js is a gettext/ngettext call (or built from one)."""
    script = load_script("embed.js", "en").body.decode()
    table = script.split("var T = {", 1)[1].split("\n  };", 1)[0]
    for line in table.splitlines():
        text = re.findall(r'"([A-Z][^"]*[a-z][^"]*)"', line)
        if text and "gettext(" not in line and "+" not in line:
            pytest.fail(f"untranslated widget text: {line.strip()}")
