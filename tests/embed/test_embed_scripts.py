"""/embed.js and /counts.js: one address to paste, cached, small."""

import gzip
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from soundoff.embed.catalog import script_catalogue
from soundoff.embed.views import EMBED, load_script

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
    size = len(gzip.compress(load_script("embed.js").body, compresslevel=9))
    assert size < GZIPPED_BUDGET, f"embed.js is {size} bytes gzipped; the budget is 30 kB"


def test_the_widget_is_its_parts_in_order_inside_one_function(client, db):
    parts = []
    for part in EMBED.parts:
        path = finders.find(part)
        assert isinstance(path, str), f"{part} is missing"
        parts.append(Path(path).read_bytes())
    served = client.get("/embed.js", headers={"Accept-Language": "en"}).content
    catalogue = script_catalogue("en")
    assert served == EMBED.opening + catalogue + b"".join(parts) + EMBED.closing
    assert served.count(b'"use strict"') == 1


def test_a_change_to_any_part_is_served_under_a_new_etag(client, db, settings, tmp_path):
    for part in EMBED.parts:
        copy = tmp_path / part
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(finders.find(part), copy)
    settings.STATICFILES_DIRS = [tmp_path]
    before = client.get("/embed.js")

    changed = tmp_path / EMBED.parts[3]
    changed.write_text(changed.read_text() + "  // changed\n")
    saved = changed.stat().st_mtime_ns + 1_000_000_000  # saved later, even on a coarse clock
    os.utime(changed, ns=(saved, saved))
    after = client.get("/embed.js", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"  // changed\n" in after.content


def test_other_names_are_not_served(client, db):
    assert client.get("/embed.css").status_code == 404
    assert client.post("/embed.js").status_code == 405


@pytest.mark.parametrize("name", ["embed.js", "counts.js"])
def test_the_scripts_ask_no_one_but_soundoff(name):
    """No third-party request: every address is built from the script's own origin."""
    text = load_script(name).body.decode("utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("*"))
    assert "http://" not in code
    assert "https://" not in code
    assert 'credentials: "omit"' in code
