"""What a dataset covers, and what it knows it lacks (miler info): the numbers are the data's,
and data/NOTES.md's list of races looked for and not confirmed stays true against races.csv."""

import json

import pandas as pd
import pytest

from conftest import SMALL, write_csv
from miler.cli import app
from miler.dataset import load
from miler.dataset.gaps import read_notes
from miler.dataset.locate import packaged_data


@pytest.fixture(scope="module")
def shipped():
    return load().races, read_notes(packaged_data() / "NOTES.md")


def rows_of(races, gap):
    return races[(races["date"] == pd.Timestamp(gap.date)) & (races["meet"] == gap.meet)
                 & (races["event"] == gap.event) & (races["round"] == gap.round)]


def test_every_entry_of_the_notes_lists_is_read(shipped):
    _, notes = shipped
    assert notes.gaps and notes.unread == [], f"NOTES.md lines not of the form '- DATE Meet Event Round: …': {notes.unread}"


def test_a_race_the_notes_call_incomplete_is_in_the_data_without_the_places_said_missing(shipped):
    races, notes = shipped
    for gap in notes.gaps:
        rows = rows_of(races, gap)
        if rows.empty:
            assert "whole race" in gap.missing or gap.places == (1, float("inf")), f"{gap.label}: not in races.csv"
            continue
        if gap.places:
            first, last = gap.places
            held = rows["place"].dropna().astype(int)
            assert not ((held >= first) & (held <= last)).any(), f"{gap.label}: races.csv holds a place said missing"


def test_no_race_is_later_than_the_sources_reach(shipped):
    races, notes = shipped
    assert notes.sources_reach is not None
    assert races["date"].max() <= pd.Timestamp(notes.sources_reach)


@pytest.fixture
def small(tmp_path):
    rows = [dict(r, starters="5") if r["meet"] == "World Championships" and r["round"] == "final" else r
            for r in SMALL]
    write_csv(tmp_path / "races.csv", rows, columns=tuple(SMALL[0]) + ("starters",))
    (tmp_path / "NOTES.md").write_text(
        "# Notes\n\n## Coverage\n- Sources reach: 2024-12-31 (the pages end there)\n\n"
        "## Looked for but could not confirm\n"
        "- 2023-08-23 World Championships 1500m final: places 4+ (not found)\n"
        "- 2022-07-19 World Championships 1500m final: the whole race (no page)\n", encoding="utf-8")
    return tmp_path


def test_info_says_what_a_dataset_holds_and_lacks(runner, small):
    result = runner.invoke(app, ["info", "--data", str(small)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "13 rows: 5 races at 4 meets, 5 athletes" in out
    assert "first race: 2023-08-20 World Championships 1500m semi-final 1" in out
    assert "last race:  2024-07-01 Meeting de Paris 1500m final" in out
    assert "its sources reach 2024-12-31" in out
    assert "partial field (3 of 5)" in out  # Budapest's final: 3 rows of 5 starters
    assert "2 races are listed in NOTES.md" in out and "the whole race (no page)" in out


def test_info_as_json(runner, small):
    data = json.loads(runner.invoke(app, ["info", "--data", str(small), "-f", "json"]).stdout)
    assert (data["rows"], data["races"], data["sources_reach"]) == (13, 5, "2024-12-31")
    assert data["last_race"]["meet"] == "Meeting de Paris"
    assert [y["year"] for y in data["years"]] == [2023, 2024]
    assert [g["date"] for g in data["known_gaps"]] == ["2022-07-19", "2023-08-23"]
    assert data["partial"][0]["field"] == "partial field (3 of 5)"


def test_info_on_a_dataset_without_notes(runner, small_dir):
    result = runner.invoke(app, ["info", "--data", str(small_dir)])
    assert result.exit_code == 0 and "listed in NOTES.md" not in result.stdout and "sources reach" not in result.stdout
