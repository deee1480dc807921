"""/embed.js and /counts.js: one address to paste, cached, small."""

import gzip

import pytest
from django.contrib.staticfiles import finders

from soundoff.embed.views import load_script

SCRIPTS = ["/embed.js", "/counts.js"]
GZIPPED_BUDGET = 30 * 1024


@pytest.mark.parametrize("url", SCRIPTS)
def test_it_serves_javascript_from_the_site_root(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response.content.startswith(b"/*")


@pytest.mark.parametrize("url", SCRIPTS)
def test_it_is_cached_and_revalidated_by_etag(client, db, url):
    response = client.get(url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=3600" in cache_control
    assert "stale-while-revalidate" in cache_control
    etag = response["ETag"]
    assert etag

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_the_current_version_is_cached_for_a_year(client, db):
    version = load_script("embed.js").version
    response = client.get(f"/embed.js?v={version}")
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    stale = client.get("/embed.js?v=0123456789abcdef")
    assert "immutable" not in stale["Cache-Control"]


def test_it_is_sent_gzipped_to_browsers_that_take_it(client, db):
    plain = client.get("/embed.js")
    zipped = client.get("/embed.js", headers={"Accept-Encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content


def test_it_lets_cross_origin_isolated_sites_load_it(client, db):
    assert client.get("/embed.js")["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_widget_stays_under_30_kb_gzipped():
    path = finders.find("soundoff/embed.js")
    assert isinstance(path, str)
    with open(path, "rb") as source:
        size = len(gzip.compress(source.read(), compresslevel=9))
    assert size < GZIPPED_BUDGET, f"embed.js is {size} bytes gzipped; the budget is 30 kB"


def test_other_names_are_not_served(client, db):
    assert client.get("/embed.css").status_code == 404
    assert client.post("/embed.js").status_code == 405


@pytest.mark.parametrize("name", ["soundoff/embed.js", "soundoff/counts.js"])
def test_the_scripts_ask_no_one_but_soundoff(name):
    """No third-party request: every address is built from the script's own origin."""
    path = finders.find(name)
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as source:
        text = source.read()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("*"))
    assert "http://" not in code
    assert "https://" not in code
    assert 'credentials: "omit"' in code
