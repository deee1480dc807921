import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from soundoff.lib.names import (
    INVISIBLE,
    InvalidDisplayName,
    clean_display_name,
    display_name_key,
    display_name_skeleton,
    numbered,
)

LISTED_INVISIBLE = (
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    "\u200b\u200c\u200d\u2060\ufeff"
)


def test_it_keeps_an_ordinary_name_as_typed() -> None:
    assert clean_display_name("Ada Lovelace") == "Ada Lovelace"


def test_it_collapses_and_strips_whitespace() -> None:
    assert clean_display_name("  Ada \t\n Lovelace\u3000 ") == "Ada Lovelace"


def test_it_normalises_compatibility_characters() -> None:
    assert clean_display_name("\uff2a\uff4f\uff45") == "Joe"
    assert clean_display_name("ﬁona") == "fiona"


@pytest.mark.parametrize("char", list(LISTED_INVISIBLE))
def test_it_removes_each_bidi_control_and_zero_width_character(char: str) -> None:
    assert clean_display_name(f"Jo{char}e") == "Joe"


def test_it_removes_other_format_characters_too() -> None:
    assert clean_display_name("Jo\u00ade\u2063") == "Joe"  # soft hyphen, invisible separator


def test_it_composes_letters_split_by_an_invisible_character() -> None:
    assert clean_display_name("Jose\u200b\u0301") == "Jos\u00e9"


def test_it_refuses_names_made_only_of_blank_letters() -> None:
    with pytest.raises(InvalidDisplayName):
        clean_display_name("\u3164\u3164\u3164")


@pytest.mark.parametrize("raw", ["", "J", " J ", "J\u200b\u200b", "\u202e"])
def test_it_refuses_names_shorter_than_two_characters(raw: str) -> None:
    with pytest.raises(InvalidDisplayName, match="at least 2"):
        clean_display_name(raw)


def test_it_accepts_forty_characters_and_refuses_forty_one() -> None:
    assert clean_display_name("x" * 40) == "x" * 40
    with pytest.raises(InvalidDisplayName, match="at most 40"):
        clean_display_name("x" * 41)


def test_it_measures_length_after_cleaning() -> None:
    assert clean_display_name("x" * 40 + "\u200b" * 10 + "   ") == "x" * 40
    with pytest.raises(InvalidDisplayName, match="at most 40"):
        clean_display_name("\u00bd" * 20)  # NFKC turns each one-half sign into three characters


@pytest.mark.parametrize("raw", ["a\x00b", "ab\x07", "a\x1bb", "a\x85b", "a\ud800b"])
def test_it_refuses_control_characters_and_unstorable_text(raw: str) -> None:
    with pytest.raises(InvalidDisplayName, match="can't be stored"):
        clean_display_name(raw)


@pytest.mark.parametrize("raw", ["!!", "--- ---", "🙂🙂", ". ."])
def test_it_refuses_names_without_a_letter_or_digit(raw: str) -> None:
    with pytest.raises(InvalidDisplayName, match="letter or digit"):
        clean_display_name(raw)


@pytest.mark.parametrize("raw", ["42", "李雷", "Zoë 🙂", "Ольга"])
def test_it_accepts_letters_and_digits_of_any_script(raw: str) -> None:
    assert clean_display_name(raw) == raw


def test_invalid_display_name_is_a_value_error_with_a_message() -> None:
    with pytest.raises(ValueError, match="at least 2") as caught:
        clean_display_name("x")
    assert caught.value.message == str(caught.value)


@pytest.mark.parametrize(
    "variant",
    ["joe", "Joe", "JOE", "\uff2a\uff4f\uff45", "Jo\u200be", "\u202eJoe", " joe ", "J\u00adoe"],
)
def test_look_alike_names_share_a_key(variant: str) -> None:
    assert display_name_key(variant) == "joe"


def test_case_folding_goes_beyond_lowercase() -> None:
    assert display_name_key("STRASSE") == display_name_key("straße")
    assert display_name_key("ΣΊΣΥΦΟΣ") == display_name_key("σίσυφος")


def test_different_names_get_different_keys() -> None:
    assert display_name_key("Joe Smith") != display_name_key("JoeSmith")
    assert display_name_key("José") != display_name_key("Jose")


# Names built from characters that are easy to get wrong: invisibles,
# compatibility forms, case-folding oddities, combining marks and spaces.
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            sorted(INVISIBLE)
            + list("ßẞİıΣσςﬁﬃＪｊ\u0301\u0308\u00a8\u3000 \t\n½ǅǄ")
            + ["\u1e9b", "\u0345", "\u0390", "\u1f80"]
        ),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    max_size=60,
)


@given(TRICKY)
def test_the_key_is_idempotent(name: str) -> None:
    key = display_name_key(name)
    assert display_name_key(key) == key


@given(TRICKY)
def test_cleaning_is_idempotent(name: str) -> None:
    try:
        cleaned = clean_display_name(name)
    except InvalidDisplayName:
        return
    assert clean_display_name(cleaned) == cleaned
    assert display_name_key(cleaned) == display_name_key(name)


@given(TRICKY)
def test_cleaned_names_never_contain_removed_or_control_characters(name: str) -> None:
    try:
        cleaned = clean_display_name(name)
    except InvalidDisplayName:
        return
    assert not set(cleaned) & INVISIBLE
    assert not any(unicodedata.category(c) in ("Cf", "Cc") for c in cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert 2 <= len(cleaned) <= 40


@given(TRICKY)
def test_a_valid_names_keys_fit_their_columns(name: str) -> None:
    try:
        cleaned = clean_display_name(name)
    except InvalidDisplayName:
        return
    assert len(display_name_key(cleaned)) <= 2 * len(cleaned) <= 80
    assert len(display_name_skeleton(cleaned)) <= 400


@given(TRICKY, st.sampled_from(sorted(INVISIBLE)), st.integers(min_value=0))
def test_inserting_an_invisible_character_never_changes_the_key(
    name: str, invisible: str, position: int
) -> None:
    assume(name)
    at = position % (len(name) + 1)
    assert display_name_key(name[:at] + invisible + name[at:]) == display_name_key(name)


# --- look-alikes across scripts: the confusables skeleton (UTS #39) ---------


@pytest.mark.parametrize(
    ("look_alike", "original"),
    [
        ("\u0410lice", "Alice"),  # Cyrillic capital A
        ("\u0430lice", "alice"),  # Cyrillic small a
        ("\u0391\u0392\u0395", "ABE"),  # Greek capitals Alpha, Beta, Epsilon
        ("\u03a1aul", "Paul"),  # Greek capital Rho
        ("J\u03bfe", "Joe"),  # Greek small omicron
        ("J\u043ee Sm\u0456th", "Joe Smith"),  # mixed: Cyrillic o and i in a Latin name
        ("B0b", "Bob"),  # a digit zero
        ("A1ice", "Alice"),  # a digit one for a small L
        ("Ian", "lan"),  # a capital I for a small L
        ("\u0410LICE", "ALICE"),  # in capitals too
    ],
)
def test_look_alikes_across_scripts_share_a_skeleton(look_alike: str, original: str) -> None:
    assert display_name_skeleton(look_alike) == display_name_skeleton(original)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("José", "Jose"),
        ("Zoë", "Zoe"),
        ("Ольга", "Olga"),  # a Russian name is not its transliteration
        ("李小龍", "李小龙"),  # traditional and simplified dragon differ
        ("Ann", "Anne"),
    ],
)
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert display_name_skeleton(one) != display_name_skeleton(other)


# --- piles of combining marks ("zalgo") -------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Z\u0335\u0322\u031b\u0316a\u0335lgo",  # four marks on the Z
        "Joe" + "\u0336\u0337\u0338\u0334\u0335" * 3,
        "Ha\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307ns",
    ],
)
def test_it_refuses_piles_of_combining_marks(raw: str) -> None:
    with pytest.raises(InvalidDisplayName, match="at most 3 accents or other marks on one letter"):
        clean_display_name(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "José",
        "Zoë",
        "李小龍",
        "Nguyễn Thị Bích",  # Vietnamese: two marks on one letter
        "Jose\u0301",  # an accent typed as a combining mark
        "e\u0323\u0302\u0300 three",  # three marks, the most allowed
        "Ольга",
        "हिन्दी",  # Devanagari vowel signs and virama are marks too
    ],
)
def test_it_accepts_ordinary_accented_names(raw: str) -> None:
    assert clean_display_name(raw)


def test_numbered_names_fit_the_length_limit() -> None:
    assert numbered("Ann", 2) == "Ann (2)"
    assert numbered("x" * 40, 12) == "x" * 35 + " (12)"
