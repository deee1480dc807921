"""The parts of full-text search every engine shares: reading the reader's
words and turning the engine's markers into safe <mark> elements."""

from soundoff.lib.fulltext import MAX_WORDS, START, STOP, fts5_query, marked, words


def test_words_keep_letters_and_digits_only():
    assert words('"Flood* NEAR(warning) -río (2024') == ["flood", "near", "warning", "río", "2024"]


def test_words_drop_repeats_and_underscores_and_stop_at_a_limit():
    assert words("flood FLOOD __ _x_") == ["flood", "x"]
    assert len(words(" ".join(f"w{n}" for n in range(50)))) == MAX_WORDS


def test_words_of_pure_syntax_are_none():
    assert words('"*()-^:{}') == []


def test_the_fts5_query_quotes_every_word():
    assert fts5_query(["flood", "near"]) == '"flood" "near"'


def test_marked_escapes_the_text_and_marks_only_our_markers():
    html = marked(f'<script>x</script> {START}flood{STOP} & "q"')

    assert html == "&lt;script&gt;x&lt;/script&gt; <mark>flood</mark> &amp; &quot;q&quot;"


def test_marked_stays_balanced_when_the_stored_text_holds_markers():
    assert marked(f"a{STOP}b{START}c{START}d") == "ab<mark>cd</mark>"
