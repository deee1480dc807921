"""soundoff.lib.images.initials_svg: the default picture drawn from a name."""

import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soundoff.lib.images import AVATAR_COLOURS, initials_svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    # The input is our own output, and a strict parser is the point: it fails
    # on any markup the name could have smuggled in.
    return ET.fromstring(svg)


def svg_text(display_name: str, **kwargs: int) -> str:
    root = parse(initials_svg(display_name, **kwargs))
    assert root.tag == f"{SVG_NS}svg"
    (text,) = root.iter(f"{SVG_NS}text")
    return text.text or ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ada lovelace", "AL"),
        ("Ada", "A"),
        ("Ada King Lovelace", "AK"),
        ("  grace   hopper  ", "GH"),
        ("'bell' hooks", "BH"),
        ("Σωκράτης Παππάς", "ΣΠ"),
        ("ёжик в тумане", "ЁВ"),
        ("山田 太郎", "山太"),
        ("محمد علي", "مع"),
        ("दिव्या शर्मा", "दिश"),  # the vowel sign stays with its consonant
        ("e\u0301mile zola", "ÉZ"),  # decomposed accent, composed in the output
        ("ßtraße x", "ßX"),  # one character per initial, never "SS"
        ("🎉 Ann", "A"),
        ("", "?"),
        ("   ", "?"),
        ("🎉🎉 🙂", "?"),
        ("-- !!", "?"),
    ],
)
def test_initials_svg_picks_up_to_two_initials(name: str, expected: str) -> None:
    assert svg_text(name) == expected


def test_initials_svg_escapes_markup_in_the_name() -> None:
    name = "<script>alert(1)</script> &\"' <b>x</b>"

    svg = initials_svg(name)

    assert "<script" not in svg
    assert "alert" not in svg
    assert svg_text(name) == "SB"
    assert [element.tag for element in parse(svg)] == [f"{SVG_NS}rect", f"{SVG_NS}text"]


@given(st.text())
def test_initials_svg_is_always_well_formed_and_inert(name: str) -> None:
    svg = initials_svg(name)

    root = parse(svg)
    assert [element.tag for element in root] == [f"{SVG_NS}rect", f"{SVG_NS}text"]
    text = svg_text(name)
    # Only letters, digits and combining marks ever come from the name.
    assert text == "?" or all(unicodedata.category(char)[0] in "LNM" for char in text)
    assert "href" not in svg
    assert "url(" not in svg


def test_initials_svg_uses_a_system_font_and_the_requested_size() -> None:
    root = parse(initials_svg("Ada Lovelace", size=48))

    assert root.get("width") == root.get("height") == "48"
    (text,) = root.iter(f"{SVG_NS}text")
    assert text.get("font-family") == "system-ui, sans-serif"


def test_initials_svg_refuses_a_size_that_is_not_positive() -> None:
    with pytest.raises(ValueError):
        initials_svg("Ada", size=0)


def background(display_name: str) -> str:
    (rect,) = parse(initials_svg(display_name)).iter(f"{SVG_NS}rect")
    return rect.get("fill") or ""


def test_initials_svg_colour_is_deterministic_and_from_the_palette() -> None:
    names = [f"Reader {number}" for number in range(200)]

    colours = [background(name) for name in names]

    assert colours == [background(name) for name in names]
    assert set(colours) == set(AVATAR_COLOURS)  # 200 names reach every colour


def test_palette_keeps_white_text_readable() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert 8 <= len(AVATAR_COLOURS) <= 12
    for colour in AVATAR_COLOURS:
        assert (1.0 + 0.05) / (luminance(colour) + 0.05) >= 4.5, colour
