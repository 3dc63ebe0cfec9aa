"""render.write, tested directly on a StringIO for each format: one description of an answer
(Sections), four renderings that agree; text from files shown as text, never as instructions."""

import csv
import re
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miler import render
from miler.answer import Column, Fact, Section, gap_text

R = "right"


def answer(rows=None):
    frame = pd.DataFrame(rows if rows is not None else [
        {"athlete": "Josh Kerr", "place": 1, "time": "3:29.38", "gap": 0.0},
        {"athlete": "Jakob Ingebrigtsen", "place": 2, "time": "3:29.65", "gap": 0.27},
    ])
    cols = [Column("place", justify=R), Column("athlete"), Column("time", justify=R),
            Column("gap", "to winner", gap_text, justify=R)]
    return [Section("Budapest 2023 — 1500m final", [Fact("2 finishers", "finishers", 2)], frame, cols, key="results")]


def written(sections, fmt):
    out = io.StringIO()
    render.write(sections, fmt, out)
    return out.getvalue()


def rich_drawing(sections):
    """What Rich itself draws for the answer at the pipe width."""
    out = io.StringIO()
    render._rich(render._blocks(sections), out)
    return out.getvalue()


def test_every_format_shows_the_same_rows():
    s = answer()
    table, md = written(s, "table"), written(s, "markdown")
    assert "Josh Kerr" in table and "+0.27" in table and "2 finishers" in table
    assert "| 1 | Josh Kerr | 3:29.38 | 0.00 |" in md and "|---:|---|---:|---:|" in md
    rows = list(csv.DictReader(io.StringIO(written(s, "csv"))))
    assert [r["athlete"] for r in rows] == ["Josh Kerr", "Jakob Ingebrigtsen"] and rows[1]["gap"] == "0.27"
    data = json.loads(written(s, "json"))
    assert data == {"finishers": 2, "results": [
        {"athlete": "Josh Kerr", "place": 1, "time": "3:29.38", "gap": 0.0},
        {"athlete": "Jakob Ingebrigtsen", "place": 2, "time": "3:29.65", "gap": 0.27}]}


def test_an_answer_that_is_one_table_is_a_json_list_and_a_split_table_one_table_per_group():
    frame = pd.DataFrame({"race": ["heat 1", "heat 1", "heat 2"], "athlete": ["A", "B", "C"]})
    s = [Section("Heats", frame=frame, columns=[Column("race", table=False), Column("athlete")], split="race")]
    assert json.loads(written(s, "json")) == [{"race": "heat 1", "athlete": "A"}, {"race": "heat 1", "athlete": "B"},
                                              {"race": "heat 2", "athlete": "C"}]
    table = written(s, "table")
    assert table.startswith("Heats\n\nheat 1\nathlete\n") and "\n\nheat 2\nathlete\n" in table
    assert len(list(csv.DictReader(io.StringIO(written(s, "csv"))))) == 3


WIDE = st.text(alphabet=st.sampled_from("abcXYZ019 .:-åøéñßÆ漢字カタ😀́"), max_size=14)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(WIDE, WIDE, WIDE), max_size=6), st.lists(WIDE, min_size=3, max_size=3))
def test_the_plain_table_is_exactly_what_rich_draws(rows, headers):
    """Without a terminal miler draws tables itself (fast); the bytes are Rich's, whatever the
    characters (accents, wide CJK, emoji, combining marks)."""
    frame = pd.DataFrame(rows, columns=["a", "b", "c"]) if rows else pd.DataFrame(columns=["a", "b", "c"])
    cols = [Column("a", headers[0]), Column("b", headers[1], justify=R), Column("c", headers[2])]
    sections = [Section("title", [Fact("a line")], frame, cols), Section("", [Fact("after")])]
    assert written(sections, "table") == rich_drawing(sections)


def test_a_table_too_wide_for_a_pipe_is_drawn_by_rich_as_before():
    frame = pd.DataFrame({"text": ["word " * 60]})
    sections = [Section("", frame=frame, columns=[Column("text")])]
    assert render._plain_text(render._blocks(sections)) is None
    assert written(sections, "table") == rich_drawing(sections)


# --- text from a file is text ----------------------------------------------------------------

HOSTILE = {
    "clear screen": "Cole\x1b[2JHocker",
    "OSC 8 link": "\x1b]8;;http://evil.example\x07Josh Kerr\x1b]8;;\x07",
    "window title": "\x1b]0;pwned\x07Kerr",
    "C1 CSI": "Kerr\x9b31m",
    "bell and backspace": "Ker\x08\x08\x07rr",
    "carriage return": "Fake\rJosh Kerr",
    "rich markup": "Cole [/] Hocker",
    "rich link": "[link=http://evil.example]Kerr[/link]",
    "black on black": "[black on black]hidden[/]",
    "bidi override": "Kerr\u202eregnirbegnI",
    "zero width": "Jos\u200bh Kerr",
    "markdown link": "[click](http://evil.example)",
    "pipe": "Kerr | 1 | 3:00.00",
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_from_a_file_reaches_a_terminal_as_text(name, fmt):
    value = HOSTILE[name]
    rows = [{"athlete": value, "place": 1, "time": "3:29.38", "gap": 0.0}]
    sections = [Section(value, [Fact(f"won by {value}")], pd.DataFrame(rows),
                        [Column("place"), Column("athlete"), Column("time")])]
    out = written(sections, fmt)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out and "\x08" not in out and "\r" not in out
    assert "\u202e" not in out and "\u200b" not in out
    if "[" in value and fmt == "table":
        assert render.safe(value) in out  # markup shown as written, never interpreted
    if fmt == "markdown":
        assert not re.search(r"(?<!\\)\]\(http", out)  # no live link
        assert "| 1 | 3:00.00" not in out  # no forged cell


@pytest.mark.parametrize("name", list(HOSTILE))
def test_csv_and_json_keep_the_data_exact(name):
    value = HOSTILE[name]
    sections = [Section("", frame=pd.DataFrame([{"athlete": value}]), columns=[Column("athlete")])]
    assert json.loads(written(sections, "json")) == [{"athlete": value}]
    assert "\x1b" not in written(sections, "json")  # JSON escapes control characters
    back = list(csv.reader(io.StringIO(written(sections, "csv"), newline="")))
    assert back[1] == [value]


def test_escapes_are_visible_and_say_what_they_hide():
    assert render.safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert render.safe("x\u202ey") == "x<U+202E>y"
    assert render.safe("line\nbreak") == "line\\nbreak"
    assert render.safe("line\nbreak", newlines=True) == "line\nbreak"
    assert render.safe("Narve Gilje Nordås") == "Narve Gilje Nordås"


def test_stderr_shows_text_from_a_file_as_text_too(runner, tmp_path):
    # warnings that echo a header, notes that name athletes, errors that echo a query: all escaped
    from miler.cli import app

    (tmp_path / "races.csv").write_text(
        "date,meet,event,round,athlete,time,\x1b]8;;http://evil.example\x07wind\n"
        "2024-06-01,Bislett Games,1500m,final,Josh Kerr,3:30.00,x\n"
        "2024-06-01,Bislett Games,1500m,final,\x1b[2JAnn Kerr,3:31.00,x\n"
        "2024-06-01,Bislett Games,1500m,final,Bob Bell,3:32.00,x\n", encoding="utf-8")
    result = runner.invoke(app, ["h2h", "kerr", "bell", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "unknown column ignored: \\x1b]8;;http://evil.example\\x07wind" in result.stderr
    assert "note: taking \\x1b[2JAnn Kerr; also matches Josh Kerr" in result.stderr
    missing = runner.invoke(app, ["h2h", "\x1b[31mnobody", "bell", "--data", str(tmp_path)])
    assert missing.exit_code == 1 and "\x1b" not in missing.stderr and "\\x1b[31mnobody" in missing.stderr
