"""--as converts 1500m and mile marks for comparison, and says so everywhere: a converted mark is
shown as ≈ with its original, a race keeps its real event (a 1500m final is never called a mile),
and CSV and JSON carry time, converted, original_time and original_event as fields of their own.

On the small dataset of conftest: Kerr's 3:29.38 at the 2023 World Championships 1500m final is
≈3:46.13 as a mile (× 1.08); his 3:45.34 mile at Pre 2024 is ≈3:28.65 as a 1500m.
"""

import csv
import io
import json

import pytest
from conftest import race, write_csv

from miler.cli import app

K, J = "Josh Kerr", "Jakob Ingebrigtsen"
WORLDS = "≈3:46.13 (3:29.38 1500m)"


@pytest.fixture
def miler(on_small):
    return on_small


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- two athletes ------------------------------------------------------------------------


def test_h2h_keeps_the_real_event_of_every_race(miler):
    out = miler("h2h", "kerr", "jakob", "--as", "mile")
    assert "Last meeting: 2024-07-01 Meeting de Paris 1500m final" in out
    assert "World Championships   1500m   final" in out and "World Championships   Mile" not in out
    by_event = out.split("By event")[1].split("By level")[0]
    assert "1500m" in by_event and "Mile " in by_event  # two 1500m meetings and one mile, as they were run
    assert WORLDS in out


def test_h2h_json_and_csv_give_the_converted_mark_and_its_original_apart(miler):
    data = json.loads(miler("h2h", "kerr", "jakob", "--as", "mile", "-f", "json"))
    final = next(m for m in data["meetings"] if m["date"] == "2023-08-23")
    assert (final["event"], final["as_event"], final["time_a"], final["converted"]) == ("1500m", "Mile", "3:46.13", True)
    assert (final["original_time_a"], final["original_event"]) == ("3:29.38", "1500m")
    assert set(data["by_event"]) == {"1500m", "Mile"}
    assert data["last_meeting"]["event"] == "1500m"
    row = next(r for r in rows_of(miler("h2h", "kerr", "jakob", "--as", "mile", "-f", "csv")) if r["date"] == "2023-08-23")
    assert (row["event"], row["time_a"], row["converted"], row["original_time_a"], row["original_event"]) == (
        "1500m", "3:46.13", "True", "3:29.38", "1500m")


def test_h2h_markdown_shows_the_conversion_too(miler):
    assert WORLDS in miler("h2h", "kerr", "jakob", "--as", "mile", "-f", "markdown")


def test_an_unconverted_mark_and_a_dnf_are_shown_as_they_were(miler):
    out = miler("h2h", "kerr", "jakob", "--as", "mile")
    assert "3:45.34 (1)" in out and "≈3:45.34" not in out  # the mile itself
    assert "≈DNF" not in out and "DNF" in out


# --- three or more ------------------------------------------------------------------------


def test_group_h2h_shows_converted_marks_with_their_original(miler):
    out = miler("h2h", "kerr", "jakob", "henrik", "--as", "mile")
    assert WORLDS in out and "World Championships   1500m" in out
    data = json.loads(miler("h2h", "kerr", "jakob", "henrik", "--as", "mile", "-f", "json"))
    final = next(m for m in data["meetings"] if m["date"] == "2023-08-23")
    assert final["event"] == "1500m"
    assert final["results"][K] == {"place": 1, "time": "3:46.13", "converted": True, "original_time": "3:29.38",
                                   "original_event": "1500m"}
    assert WORLDS in miler("h2h", "kerr", "jakob", "henrik", "--as", "mile", "-f", "markdown")
    row = next(r for r in rows_of(miler("h2h", "kerr", "jakob", "henrik", "--as", "mile", "-f", "csv"))
               if r["date"] == "2023-08-23")
    assert (row["event"], row[f"time:{K}"], row[f"original_time:{K}"], row["converted"], row["original_event"]) == (
        "1500m", "3:46.13", "3:29.38", "True", "1500m")


# --- progressions -----------------------------------------------------------------------


def test_progression_as_mile_counts_the_1500m_as_a_mile_and_says_so(miler):
    out = miler("progression", "kerr", "--as", "mile")
    assert "Season bests — Mile" in out and WORLDS in out
    rows = rows_of(miler("progression", "kerr", "--as", "mile", "-f", "csv"))
    y2023 = next(r for r in rows if r["year"] == "2023")
    assert (y2023["time"], y2023["event"], y2023["converted"], y2023["original_time"], y2023["original_event"]) == (
        "3:46.13", "1500m", "True", "3:29.38", "1500m")


def test_a_season_as_mile_lists_every_event_and_converts_only_the_1500m(runner, tmp_path):
    rows = (race("2024-02-11", "Millrose Games", "2 Miles", [(K, "GBR", 1, "8:00.67")], indoor="true")
            + race("2024-03-02", "World Indoor Championships", "3000m", [(K, "GBR", 1, "7:42.98")], indoor="true")
            + race("2024-05-25", "Prefontaine Classic", "Mile", [(K, "GBR", 1, "3:45.34")])
            + race("2024-08-06", "Olympic Games", "1500m", [(K, "GBR", 2, "3:27.79")]))
    write_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, ["progression", "kerr", "--season", "2024", "--as", "mile", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("2 Miles" in line and "8:00.67" in line and "≈" not in line for line in lines)
    assert any("3000m" in line and "7:42.98" in line and "≈" not in line for line in lines)
    olympics = next(line for line in lines if "Olympic Games" in line)
    assert "1500m" in olympics and "≈3:44.41 (3:27.79 1500m)" in olympics
    assert olympics.split()[-2:] == ["≈3:44.41", "yes"]  # the converted 1500m lowered the mile season best
    data = json.loads(runner.invoke(app, ["progression", "kerr", "--season", "2024", "--as", "mile", "-f", "json",
                                          "--data", str(tmp_path)]).stdout)
    assert [r["event"] for r in data] == ["2 Miles", "3000m", "Mile", "1500m"]
    paris = data[-1]
    assert (paris["time"], paris["converted"], paris["original_time"], paris["original_event"]) == (
        "3:44.41", True, "3:27.79", "1500m")


# --- a profile ----------------------------------------------------------------------------


def test_athlete_as_mile_keeps_its_events_and_marks_its_converted_bests(miler):
    out = miler("athlete", "kerr", "--as", "mile")
    assert "Races by event: 1500m 3, Mile 1" in out  # not "Mile 4": the races as they were run
    finals = out.split("Championship finals")[1]
    assert "1500m" in finals and WORLDS in finals
    # as a 1500m, his 3:45.34 mile (≈3:28.65) beats his real 3:29.38: the best of the 1500m, run as a mile
    out = miler("athlete", "kerr", "--as", "1500m")
    best = next(line for line in out.split("Personal bests")[1].splitlines() if "≈" in line)
    assert best.split()[:3] == ["1500m", "Mile", "≈3:28.65"] and "(3:45.34 Mile)" in best
    data = json.loads(miler("athlete", "kerr", "--as", "1500m", "-f", "json"))
    metric = next(b for b in data["personal_bests"] if b["as_event"] == "1500m")
    assert (metric["event"], metric["time"], metric["converted"], metric["original_time"], metric["original_event"]) \
        == ("Mile", "3:28.65", True, "3:45.34", "Mile")
    assert [c["event"] for c in data["championship_finals"]] == ["1500m"]
    assert "≈3:28.65 (3:45.34 Mile)" in miler("athlete", "kerr", "--as", "1500m", "-f", "markdown")


def test_progression_of_either_event_of_the_pair_is_as_the_event_converted_to(miler):
    out = miler("progression", "kerr", "--as", "mile", "--event", "1500m")
    assert out.startswith("Season bests — Mile") and WORLDS in out
    out = miler("progression", "kerr", "--as", "1500m", "--event", "mile")
    assert out.startswith("Season bests — 1500m") and "≈3:28.65 (3:45.34 Mile)" in out
