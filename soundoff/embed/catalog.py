"""The widget's strings in the reader's language, served inside embed.js.

The widget runs on other sites, under their Content-Security-Policy, so it
can't load Django's JavaScriptCatalog as a second script that defines
globals in the host's page. Instead embed.js begins, inside its own
closure, with the catalogue of the language its request asked for
(Accept-Language, as for pages): the djangojs strings of soundoff/locale,
and the language's plural rule as code. The widget's parts call
``gettext``, ``ngettext`` and ``interpolate`` (defined in 00-i18n.js) like
any Django JavaScript, so ``makemessages -d djangojs`` finds their strings.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog


def catalogue_files(language: str) -> tuple[Path, ...]:
    """The compiled djangojs catalogues a language's strings come from."""
    locale = to_locale(language)
    return tuple(
        path
        for root in settings.LOCALE_PATHS
        if (path := Path(root) / locale / "LC_MESSAGES" / "djangojs.mo").exists()
    )


def catalogues_modified() -> tuple[int, ...]:
    """When each offered language's catalogue was last compiled."""
    return tuple(
        path.stat().st_mtime_ns
        for code, _name in settings.LANGUAGES
        for path in catalogue_files(code)
    )


def script_catalogue(language: str) -> bytes:
    """The catalogue of ``language`` as the widget's first statements."""
    files = catalogue_files(language)
    return _catalogue(language, files, tuple(path.stat().st_mtime_ns for path in files))


@lru_cache(maxsize=16)
def _catalogue(language: str, files: tuple[Path, ...], modified_ns: tuple[int, ...]) -> bytes:
    reader = JavaScriptCatalog()
    reader.translation = DjangoTranslation(
        language, domain="djangojs", localedirs=[str(root) for root in settings.LOCALE_PATHS]
    )
    entries = json.dumps(reader.get_catalog(), ensure_ascii=False, sort_keys=True)
    # The rule is the catalogue's own Plural-Forms, e.g. "(n != 1)": code we
    # ship, not input. English has no catalogue: one and other.
    rule = reader.get_plural() or "(n != 1)"
    return (
        f"  var LANGUAGE = {json.dumps(language)};\n"
        f"  var CATALOGUE = {entries};\n"
        f"  function pluralForm(n) {{\n"
        f"    var form = {rule};\n"
        f'    return typeof form === "boolean" ? (form ? 1 : 0) : form;\n'
        f"  }}\n\n"
    ).encode()
