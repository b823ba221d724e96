"""Pure helpers used by templates: plan comparisons and multi-line text."""

from pathway.views.formatting import nl2br
from pathway.views.plan_diff import word_diff


def test_a_changed_phrase_is_one_removed_run_and_one_added_run():
    segments = word_diff("You are registered. You find it hard to sleep.",
                         "You are registered. You have not got a dentist yet.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "You are registered. You "),
        ("removed", "find it hard to sleep."),
        ("added", "have not got a dentist yet."),
    ]


def test_no_change_is_one_same_run():
    assert [(s.kind, s.text) for s in word_diff("Same text.", "Same text.")] == [("same", "Same text.")]


def test_empty_to_text_is_all_added():
    assert [(s.kind, s.text) for s in word_diff("", "New text")] == [("added", "New text")]


def test_nl2br_escapes_and_keeps_line_breaks():
    assert str(nl2br("<b>one</b>\ntwo")) == "&lt;b&gt;one&lt;/b&gt;<br>two"
    assert str(nl2br(None)) == ""
