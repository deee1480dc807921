"""The translation catalogues are complete and their compiled files current.

A string added to the code (a template, a message, the widget) and not
translated fails here: ``makemessages`` is run over a copy of the package,
and the copy's catalogues must have no new, untranslated or fuzzy entry.
A .po edited without ``compilemessages`` fails too: its committed .mo
must hold exactly what the .po says. Both need GNU gettext (xgettext,
msgmerge, msgattrib, msgfmt): skipped with a note without it, except under
CI (.ci/run installs it).
"""

import contextlib
import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "soundoff" / "locale"
DOMAINS = ["django", "djangojs"]
TRANSLATED = [code for code in settings.SHIPPED_LANGUAGES if code != "en"]


@pytest.fixture(scope="module")
def gettext_tools() -> None:
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msgattrib", "msgfmt") if not shutil.which(tool)
    ]
    if missing:
        reason = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the catalogues: {reason}")
        pytest.skip(reason)


def _entries(po: Path, *flags: str) -> str:
    """The entries of ``po`` that msgattrib selects with ``flags``, without the header."""
    selected = subprocess.run(
        ["msgattrib", *flags, "--no-location", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "\n".join(
        block
        for block in selected.split("\n\n")
        if block.strip() and 'msgid ""\nmsgstr ""' not in block
    )


def _msgids(po: Path) -> set[str]:
    listed = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-location", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line for line in listed.splitlines() if line.startswith(("msgid ", "msgctxt "))}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_in_the_code_is_translated(gettext_tools, language, tmp_path):
    # makemessages writes to the locale folder it finds beside the code,
    # whatever LOCALE_PATHS says: it runs over a copy of the package, so
    # that the committed catalogues are never rewritten by a test run.
    shutil.copytree(REPO / "soundoff", tmp_path / "soundoff")
    copy = tmp_path / "soundoff" / "locale"
    with contextlib.chdir(tmp_path):
        for domain in DOMAINS:
            call_command(
                "makemessages", locale=[language], domain=domain, no_obsolete=True, verbosity=0
            )
    for domain in DOMAINS:
        committed = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
        extracted = copy / language / "LC_MESSAGES" / f"{domain}.po"
        new = _msgids(extracted) - _msgids(committed)
        assert not new, (
            f"{domain}.po lacks these strings of the code; run makemessages and "
            f"translate them: {sorted(new)}"
        )
        gone = _msgids(committed) - _msgids(extracted)
        assert not gone, (
            f"{domain}.po keeps strings the code no longer has; run makemessages: {sorted(gone)}"
        )
        untranslated = _entries(extracted, "--untranslated")
        assert not untranslated, f"untranslated in {committed}:\n{untranslated}"
        fuzzy = _entries(extracted, "--only-fuzzy")
        assert not fuzzy, f"fuzzy (unchecked) in {committed}:\n{fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_is_the_po_compiled(gettext_tools, language, domain, tmp_path):
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(folder / f"{domain}.po")], check=True
    )
    with (folder / f"{domain}.mo").open("rb") as committed, fresh.open("rb") as compiled:
        shipped = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
        expected = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    assert shipped == expected, (
        f"run compilemessages: {folder / domain}.mo is not its .po compiled"
    )
