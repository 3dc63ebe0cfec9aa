"""Profiles, rivals, ratings and 1500m/mile equivalence, on hand-made results."""

import csv
import io
import json

import pandas as pd
import pytest

from conftest import race, write_csv
from miler.analysis.convert import MILE_PER_1500, convert_seconds, with_conversion
from miler.analysis.h2h import head_to_head
from miler.analysis.profile import profile
from miler.analysis.progression import season_bests
from miler.analysis.rating import rate
from miler.analysis.rivals import rivals
from miler.cli import app
from miler.dataset.races import read_races

# Four runners who always finish in the same order, over six races.
ORDER = [("Ann Fast", "KEN"), ("Bea Quick", "ETH"), ("Cat Steady", "GBR"), ("Dot Slow", "USA")]


def ordered_races():
    rows = []
    for i in range(6):
        results = [(n, nat, p + 1, f"4:0{p}.{i}0") for p, (n, nat) in enumerate(ORDER)]
        rows += race(f"2024-0{i + 1}-15", f"Meet {i}", "1500m", results)
    return rows


@pytest.fixture
def ordered(tmp_path):
    write_csv(tmp_path / "races.csv", ordered_races())
    return tmp_path


def frame(path):
    return read_races(path / "races.csv")[0]


def test_ratings_put_runners_who_always_finish_ahead_higher(ordered):
    table = rate(frame(ordered)).table
    assert list(table["athlete"]) == [n for n, _ in ORDER]
    assert table["rating"].is_monotonic_decreasing
    assert (table["races"] == 6).all()


def test_a_dnf_rates_below_every_finisher(tmp_path):
    rows = race("2024-01-01", "M", "1500m", [("A One", "KEN", 1, "3:40.00"), ("B Two", "KEN", "", "DNF"),
                                              ("C Three", "KEN", 2, "3:50.00")])
    write_csv(tmp_path / "races.csv", rows)
    table = rate(frame(tmp_path)).table
    assert list(table["athlete"]) == ["A One", "C Three", "B Two"]


def test_rating_history_has_one_row_per_race_in_date_order(ordered):
    hist = rate(frame(ordered)).history
    ann = hist[hist["athlete"] == "Ann Fast"]
    assert len(ann) == 6 and ann["date"].is_monotonic_increasing
    assert ann["rating"].is_monotonic_increasing  # she wins every time
    assert pd.isna(ann["change"].iat[0]) and (ann["change"].iloc[1:] > 0).all()


def test_rivals_counts_meetings_and_the_record_each_way(ordered):
    r = rivals(frame(ordered), "Bea Quick")
    assert set(r["rival"]) == {"Ann Fast", "Cat Steady", "Dot Slow"}
    ann = r[r["rival"] == "Ann Fast"].iloc[0]
    assert (ann["meetings"], ann["wins"], ann["losses"]) == (6, 0, 6)
    assert ann["avg_margin"] == pytest.approx(-1.0)  # a second behind every time
    cat = r[r["rival"] == "Cat Steady"].iloc[0]
    assert (cat["wins"], cat["losses"], cat["avg_margin"]) == (6, 0, pytest.approx(1.0))
    assert rivals(frame(ordered), "Bea Quick", minimum=7).empty


def test_profile_gathers_bests_championships_record_and_recent_races(tmp_path):
    rows = (
        race("2023-08-23", "World Championships", "1500m", [("Josh Kerr", "GBR", 1, "3:29.38"),
                                                            ("Jakob Ingebrigtsen", "NOR", 2, "3:29.65")], level="worlds")
        + race("2024-02-11", "Millrose Games", "2 Miles", [("Josh Kerr", "GBR", 1, "8:00.67")], indoor="true",
               level="other")
        + race("2024-05-25", "Prefontaine Classic", "Mile", [("Josh Kerr", "GBR", 1, "3:45.34"),
                                                            ("Jakob Ingebrigtsen", "NOR", 2, "3:45.60")])
        + race("2024-08-06", "Olympic Games", "1500m", [("Cole Hocker", "USA", 1, "3:27.65"),
                                                       ("Josh Kerr", "GBR", 2, "3:27.79"),
                                                       ("Jakob Ingebrigtsen", "NOR", 3, "3:28.24")], level="olympics")
    )
    write_csv(tmp_path / "races.csv", rows)
    p = profile(frame(tmp_path), "Josh Kerr", min_meetings=2)
    assert p.nat == "GBR" and p.season == 2024
    pbs = p.personal_bests.set_index("event")
    assert pbs.loc["1500m", "time"] == "3:27.79" and pbs.loc["Mile", "time"] == "3:45.34"
    assert bool(pbs.loc["2 Miles", "indoor"]) is True
    assert list(p.championships["medal"]) == ["gold", "silver"]
    assert list(p.record["rival"]) == ["Jakob Ingebrigtsen"] and p.record["wins"].iat[0] == 3
    assert list(p.recent["date"].dt.strftime("%Y-%m-%d"))[0] == "2024-08-06"


def test_conversion_uses_the_stated_factor_both_ways():
    assert convert_seconds(200.0, "1500m", "Mile") == pytest.approx(200.0 * MILE_PER_1500)
    assert convert_seconds(216.0, "Mile", "1500m") == pytest.approx(200.0)


def test_converted_marks_are_flagged_and_keep_their_original(tmp_path):
    rows = race("2024-01-01", "A", "1500m", [("A One", "KEN", 1, "3:30.00")]) + \
        race("2024-02-01", "B", "Mile", [("A One", "KEN", 1, "3:48.00")])
    write_csv(tmp_path / "races.csv", rows)
    conv = with_conversion(frame(tmp_path), "Mile")
    assert list(conv["event"]) == ["Mile", "Mile"]
    assert list(conv["converted"]) == [True, False]
    assert conv["time"].iat[0] == "3:46.80" and conv["original_time"].iat[0] == "3:30.00"
    # the season best is the converted 1500m, and it says so
    sb = season_bests(conv, ["A One"], "Mile")
    assert sb["time"].iat[0] == "3:46.80" and bool(sb["converted"].iat[0])


def test_without_as_a_mile_and_a_1500m_are_never_mixed(tmp_path):
    rows = race("2024-01-01", "A", "1500m", [("A One", "KEN", 1, "3:30.00")]) + \
        race("2024-02-01", "B", "Mile", [("A One", "KEN", 1, "3:48.00")])
    write_csv(tmp_path / "races.csv", rows)
    assert list(season_bests(frame(tmp_path), ["A One"], "Mile")["time"]) == ["3:48.00"]


def test_h2h_with_conversion_scales_gaps_and_keeps_the_record(small_dir):
    races = frame(small_dir)
    plain = head_to_head(races, "Josh Kerr", "Jakob Ingebrigtsen")
    conv = head_to_head(with_conversion(races, "Mile"), "Josh Kerr", "Jakob Ingebrigtsen")
    assert conv.wins == plain.wins
    final = conv.meetings[conv.meetings["date"] == pd.Timestamp("2023-08-23")].iloc[0]
    assert bool(final["converted"]) and final["gap"] == pytest.approx(-0.27 * MILE_PER_1500, abs=0.011)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_rank_in_every_format(runner, ordered, fmt):
    result = runner.invoke(app, ["rank", "--data", str(ordered), "-f", fmt])
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        assert [r["athlete"] for r in json.loads(result.stdout)] == [n for n, _ in ORDER]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows[0]["athlete"] == "Ann Fast" and rows[0]["rank"] == "1"
    else:
        assert "Ann Fast" in result.stdout and "mu − 3·sigma" in result.stdout


def test_rank_history_and_plot(runner, ordered):
    result = runner.invoke(app, ["rank", "--data", str(ordered), "--history", "bea", "-f", "json"])
    assert len(json.loads(result.stdout)) == 6
    plot = runner.invoke(app, ["rank", "--data", str(ordered), "--history", "bea", "--plot"])
    assert plot.exit_code == 0 and "Bea Quick" in plot.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_rivals_in_every_format(runner, ordered, fmt):
    result = runner.invoke(app, ["rivals", "cat", "--data", str(ordered), "-f", fmt])
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.stdout)
        assert {r["rival"]: (r["wins"], r["losses"]) for r in data}["Ann Fast"] == (0, 6)
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 3
    else:
        assert "Dot Slow" in result.stdout


def test_rivals_min_that_leaves_nobody_is_a_message(runner, ordered):
    result = runner.invoke(app, ["rivals", "cat", "--data", str(ordered), "--min", "9"])
    assert result.exit_code == 1 and "met nobody 9 or more times" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_athlete_profile_in_every_format(runner, small_dir, fmt):
    result = runner.invoke(app, ["athlete", "kerr", "--data", str(small_dir), "-f", fmt, "--min", "2"])
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["athlete"] == "Josh Kerr"
        assert {b["event"]: b["time"] for b in data["personal_bests"]} == {"1500m": "3:29.38", "Mile": "3:45.34"}
        assert data["record"][0]["rival"] == "Jakob Ingebrigtsen"
    else:
        assert "Personal bests" in result.stdout and "3:29.38" in result.stdout


def test_athlete_as_marks_every_converted_value(runner, small_dir):
    result = runner.invoke(app, ["athlete", "kerr", "--data", str(small_dir), "--as", "mile"])
    assert "≈3:46.13 (3:29.38 1500m)" in result.stdout and "converted" in result.stdout
    # as a 1500m, his 3:45.34 mile (≈3:28.65) beats his real 3:29.38, and says so
    data = json.loads(runner.invoke(app, ["athlete", "kerr", "--data", str(small_dir), "--as", "1500m",
                                          "-f", "json"]).stdout)
    best = [b for b in data["personal_bests"] if b["event"] == "1500m"]
    assert len(best) == 1 and best[0]["converted"] is True and best[0]["original_time"] == "3:45.34"
    assert best[0]["time"] == "3:28.65"


def test_as_rejects_other_events(runner, small_dir):
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(small_dir), "--as", "5000m"])
    assert result.exit_code == 2 and "between the 1500m and the mile" in result.stderr
