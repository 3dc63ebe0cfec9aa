import pytest
from hypothesis import given
from hypothesis import strategies as st

from miler.marks import (
    MarkError, beyond_record, check_plausible, event_metres, format_gap, format_mark, normalise_event, parse_mark,
)


@pytest.mark.parametrize(
    "text, seconds, decimals",
    [
        ("3:29.38", 209.38, 2),
        ("13:11.30", 791.30, 2),
        ("1:02:03.4", 3723.4, 1),
        ("10.5", 10.5, 1),
        ("3:44", 224.0, 0),
        ("7:17.55", 437.55, 2),
        ("2:08:44", 7724.0, 0),
        ("3:34.6h", 214.6, 1),
        (" 3:45.34 ", 225.34, 2),
    ],
)
def test_marks_parse_to_seconds_with_printed_precision(text, seconds, decimals):
    mark = parse_mark(text)
    assert mark.seconds == pytest.approx(seconds)
    assert mark.decimals == decimals
    assert mark.status == ""


@pytest.mark.parametrize("text, status", [("DNF", "DNF"), ("dnf", "DNF"), ("DNS", "DNS"), ("dq", "DQ"), ("DSQ", "DQ")])
def test_statuses_are_not_numbers(text, status):
    assert parse_mark(text) == (None, 0, status)


@pytest.mark.parametrize("text", ["3:61.00", "1:60:00", "abc", "-3:30.00", "", "3:5.2", "3:29.38.1", "3::29"])
def test_malformed_marks_are_errors(text):
    with pytest.raises(MarkError):
        parse_mark(text)


@pytest.mark.parametrize(
    "seconds, decimals, text",
    [(209.38, 2, "3:29.38"), (791.3, 2, "13:11.30"), (3723.4, 1, "1:02:03.4"), (10.5, 1, "10.5"),
     (224, 0, "3:44"), (59.999, 2, "1:00.00"), (480.67, 2, "8:00.67")],
)
def test_format_gives_the_conventional_form(seconds, decimals, text):
    assert format_mark(seconds, decimals) == text


def test_gaps_are_signed():
    assert format_gap(-0.27) == "-0.27"
    assert format_gap(0.26) == "+0.26"
    assert format_gap(62.4) == "+1:02.40"
    assert format_gap(float("nan")) == ""


@given(st.integers(min_value=0, max_value=10 * 3600 * 1000), st.integers(min_value=0, max_value=3))
def test_format_then_parse_gives_the_same_value_and_precision(units, decimals):
    seconds = round(units / 1000, decimals)
    text = format_mark(seconds, decimals)
    mark = parse_mark(text)
    assert mark.decimals == decimals
    assert mark.seconds == pytest.approx(seconds, abs=10 ** -(decimals + 3))
    assert format_mark(mark.seconds, decimals) == text


@pytest.mark.parametrize(
    "raw, event",
    [("1500m", "1500m"), ("1500", "1500m"), ("1500 m", "1500m"), ("1500-metres", "1500m"), ("mile", "Mile"),
     ("One Mile", "Mile"), ("2 miles", "2 Miles"), ("two mile", "2 Miles"), ("5k", "5000m"), ("Steeple", "Steeple")],
)
def test_events_are_normalised(raw, event):
    assert normalise_event(raw) == event


def test_event_distances():
    assert event_metres("1500m") == 1500
    assert event_metres("Mile") == pytest.approx(1609.344)
    assert event_metres("High Jump") is None


def test_implausible_marks_are_caught():
    assert check_plausible("1500m", 209.38) is None
    assert "world record" in check_plausible("1500m", 190.0)
    assert check_plausible("1500m", 200.0) is None  # faster than the record, but records fall
    assert "world record (3:26.00)" in beyond_record("1500m", 200.0)
    assert beyond_record("1500m", 206.0) is None and beyond_record("1500m", 190.0) is None
    assert "slow" in check_plausible("1500m", parse_mark("3:29:38").seconds)
    assert check_plausible("Mile", 224.0) is None


MARKISH = st.text(alphabet="0123456789:.h -DNFSQdnfsq٣", max_size=14)


@given(st.lists(MARKISH | st.builds(lambda s, d: format_mark(s, d), st.floats(0, 40000), st.integers(0, 3)),
                max_size=30))
def test_parsing_many_marks_at_once_agrees_with_parsing_each(texts):
    from miler.marks import parse_many

    for text, got in parse_many(texts).items():
        try:
            expected = parse_mark(text)
        except MarkError as exc:
            assert isinstance(got, MarkError) and str(got) == str(exc)
        else:
            assert got == expected, text
