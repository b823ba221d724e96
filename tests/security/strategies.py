"""Hypothesis strategies for what people type: free text (with the characters that break things
mixed in), dates typed in three boxes (real, impossible and not numbers at all) and money."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from tests.security import battery

# Characters that have broken text handling somewhere: controls, bidi overrides, zero-width and
# combining marks, a lone surrogate, markup and template syntax, SQL and formula starters, emoji.
TROUBLE = ["\x00", "\x07", "\x1b", "\r", "\n", "\t", "\u202e", "\u202d", "\u200b", "\u200d", "\ufeff", "\u0301",
           "\u0351", "\ud800", "\udfff", "<", ">", '"', "'", "&", "{", "}", "%", "\\", ";", "--", "=", "+", "-",
           "@", "\U0001f3e0", "\U0001f469\u200d\U0001f467", "javascript:", "{{", "}}", "{%", "<script>",
           " onload=", " hx-get="]


def free_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Any text a person (or an attacker) might type, often with trouble in it."""
    pieces = st.one_of(st.text(max_size=20), st.sampled_from(TROUBLE),
                       st.sampled_from(list(battery.MARKUP_PAYLOADS.values())
                                       + list(battery.INJECTION_PAYLOADS.values())))
    return st.lists(pieces, max_size=12).map("".join).map(lambda s: s[:max_size])


def typed_number(low: int, high: int) -> st.SearchStrategy[str]:
    """A number as typed in one box: usually in range, sometimes zero-padded, negative, huge or words."""
    return st.one_of(
        st.integers(low, high).map(str),
        st.integers(low, high).map(lambda n: f"{n:02d}"),
        st.integers(-10_000, 10**30).map(str),
        st.sampled_from(["", " ", "0", "00", "-0", "1.5", "1e3", "NaN", "٣", "２", "first", "May"]),
        st.text(max_size=6),
    )


def date_parts() -> st.SearchStrategy[tuple[str, str, str]]:
    """(day, month, year) as typed into a GOV.UK date input."""
    real = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
        lambda d: (str(d.day), str(d.month), f"{d.year:04d}"))
    return st.one_of(real, st.tuples(typed_number(0, 32), typed_number(0, 13), typed_number(0, 10_000)))


def money_text() -> st.SearchStrategy[str]:
    """An amount as typed: plain, with £ and commas, negative, fractions of a penny, floats, words."""
    return st.one_of(
        st.integers(-10**9, 10**12).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(str),
        st.from_regex(r"\A[£-]{0,2}[0-9,]{0,12}(\.[0-9]{0,4})?\Z"),
        st.text(max_size=12),
    )
