"""The one rule of where a reply is shown (discussion.nesting)."""

from soundoff.discussion.nesting import TOP_LEVEL, Place, reply_place


def test_a_reply_to_a_top_level_comment_hangs_under_it():
    assert reply_place(7, TOP_LEVEL) == Place(parent_id=7, root_id=7, depth=1)


def test_a_reply_keeps_the_root_of_its_parent(settings):
    settings.SOUNDOFF_REPLY_DEPTH = 3
    assert reply_place(9, Place(parent_id=7, root_id=7, depth=1)) == Place(9, 7, 2)


def test_a_reply_below_the_deepest_level_joins_its_parents_siblings(settings):
    settings.SOUNDOFF_REPLY_DEPTH = 2
    deepest = Place(parent_id=9, root_id=7, depth=2)
    assert reply_place(11, deepest) == deepest


def test_with_no_nesting_allowed_a_top_level_comment_still_takes_replies(settings):
    settings.SOUNDOFF_REPLY_DEPTH = 0
    assert reply_place(7, TOP_LEVEL) == Place(parent_id=7, root_id=7, depth=1)
