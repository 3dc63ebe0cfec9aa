"""Toplists (miler list): ranks and ties as World Athletics gives them, hand times, the WL, PB
and SB flags computed from the marks, and validate's warning where a note says otherwise."""

import json

import pytest
from conftest import race, races_of, write_csv

from miler.analysis.filters import Filters
from miler.analysis.toplist import toplist
from miler.cli import app
from miler.schema import performance_flags

A, B, C, D, E = "Ann Alpha", "Bea Beta", "Cat Gamma", "Dot Delta", "Eve Epsilon"

# 2023: one race. 2024: Ann and Bea tie at 3:31.00 (=3 behind Cat's world lead in May and
# Dot's 3:30.50 in July); Eve's hand 3:31.0h equals their 3:31.00 and ranks after them.
ROWS = (
    race("2023-07-01", "Old Meet", "1500m", [(A, "AAA", 1, "3:33.00"), (B, "BBB", 2, "3:34.00"), (C, "CCC", 3, "3:35.00")])
    + race("2024-05-01", "Spring Meet", "1500m",
           [(C, "CCC", 1, "3:30.00"), (A, "AAA", 2, "3:32.00"), (B, "BBB", 3, "3:33.50")])
    + race("2024-07-01", "Summer Meet", "1500m",
           [(D, "DDD", 1, "3:30.50"), (A, "AAA", 2, "3:31.00"), (B, "BBB", 3, "3:31.00"), (E, "EEE", 4, "3:31.0h")])
    + race("2024-08-01", "Late Meet", "1500m", [(C, "CCC", 1, "3:29.00"), (D, "DDD", 2, "3:34.00"), (E, "EEE", "", "DNF")])
    + race("2024-08-01", "Late Meet", "Mile", [(A, "AAA", 1, "3:50.00"), (B, "BBB", 2, "3:51.00")])
)


@pytest.fixture
def races(tmp_path):
    return races_of(ROWS, tmp_path)


def listed(races, **kw):
    all_marks = kw.pop("all_marks", False)
    top = kw.pop("top", None)
    return toplist(races, Filters(event="1500m", **kw), all_marks=all_marks, top=top).marks


def test_a_season_list_is_each_athletes_best_fastest_first_with_ties_ranked_as_world_athletics_does(races):
    marks = listed(races, year=2024)
    assert marks["athlete"].tolist() == [C, D, A, B, E]
    assert marks["time"].tolist() == ["3:29.00", "3:30.50", "3:31.00", "3:31.00", "3:31.0h"]
    # equal marks share rank 3 (shown "=3"); the hand time of equal value ranks after them, 5th
    assert list(zip(marks["rank"], marks["tied"])) == [(1, False), (2, False), (3, True), (3, True), (5, False)]


def test_a_hand_time_is_shown_as_printed_and_ranks_after_an_equal_electronic_one(races):
    marks = listed(races, year=2024, all_marks=True)
    eve = marks[marks["athlete"] == E].iloc[0]
    assert eve["time"] == "3:31.0h" and eve["hand"]
    assert eve["rank"] > marks.loc[marks["time"] == "3:31.00", "rank"].max()


def test_the_cut_keeps_the_marks_tied_at_it(races):
    marks = listed(races, year=2024, top=3)
    assert marks["athlete"].tolist() == [C, D, A, B]


def test_all_marks_lists_every_performance_and_statuses_never(races):
    marks = listed(races, year=2024, all_marks=True)
    assert len(marks) == 9  # three races of 2024 at 1500m: 3 + 4 + 2 finishers (Eve's DNF is no mark)
    assert marks["athlete"].value_counts()[C] == 2


def test_without_a_year_the_list_is_all_time(races):
    marks = listed(races)
    assert marks.set_index("athlete").loc[A, "time"] == "3:31.00"
    assert len(marks) == 5


def test_the_world_lead_is_the_fastest_mark_of_the_year_so_far_and_only_the_fastest_of_its_race(races):
    marks = listed(races, year=2024, all_marks=True).set_index(["athlete", "date"])
    flags = marks["flags"]
    assert "WL" not in flags[(C, "2024-05-01")].split()  # the year's first race: no lead to beat yet
    assert "WL" in flags[(C, "2024-08-01")].split()  # 3:29.00 beat the lead, Cat's own 3:30.00
    assert "WL" not in flags[(D, "2024-07-01")].split()  # 3:30.50: Cat had run 3:30.00 in May


def test_a_year_s_first_mark_earns_no_world_lead_and_an_athlete_s_first_mark_no_pb(tmp_path):
    rows = race("2024-05-01", "Opener", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:31.00")])
    flags = performance_flags(races_of(rows, tmp_path))
    assert not flags.to_numpy().any()


def test_pb_and_sb_as_of_the_race_from_the_athletes_earlier_marks(races):
    marks = listed(races, all_marks=True).set_index(["athlete", "date"])["flags"]
    assert marks[(A, "2024-05-01")] == "PB"  # 3:32.00 beat the 3:33.00 of 2023
    assert marks[(A, "2024-07-01")] == "PB"  # 3:31.00 beat 3:32.00
    assert marks[(B, "2024-07-01")] == "PB"
    assert marks[(C, "2024-05-01")] == "PB"
    assert marks[(D, "2024-08-01")] == ""  # 3:34.00, slower than Dot's 3:30.50 of July


def test_a_season_best_that_is_not_a_personal_best(tmp_path):
    rows = (race("2023-06-01", "M1", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:40.00")])
            + race("2024-06-01", "M2", "1500m", [(B, "BBB", 1, "3:35.00"), (A, "AAA", 2, "3:36.00")])
            + race("2024-07-01", "M3", "1500m", [(B, "BBB", 1, "3:34.00"), (A, "AAA", 2, "3:35.00")]))
    marks = listed(races_of(rows, tmp_path), all_marks=True).set_index(["athlete", "date"])["flags"]
    assert marks[(A, "2024-07-01")] == "SB"  # faster than June, slower than the 3:30.00 of 2023
    assert marks[(A, "2024-06-01")] == ""  # the first mark of a season earns no SB
    assert marks[(B, "2024-07-01")] == "WL PB"


def test_indoor_and_outdoor_marks_are_flagged_apart(tmp_path):
    rows = (race("2024-02-01", "Indoor", "1500m", [(A, "AAA", 1, "3:35.00"), (B, "BBB", 2, "3:36.00")], indoor="true")
            + race("2024-06-01", "Out1", "1500m", [(A, "AAA", 1, "3:33.00"), (B, "BBB", 2, "3:34.00")])
            + race("2024-07-01", "Out2", "1500m", [(A, "AAA", 1, "3:34.00"), (B, "BBB", 2, "3:34.50")]))
    marks = listed(races_of(rows, tmp_path), all_marks=True).set_index(["athlete", "date"])["flags"]
    assert marks[(A, "2024-06-01")] == ""  # the first outdoor mark: nothing to beat outdoors


def test_the_list_does_not_change_its_input(races):
    before = races.copy()
    listed(races, year=2024)
    assert races.equals(before)


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path):
    write_csv(tmp_path / "races.csv", ROWS)
    return tmp_path


def test_miler_list_shows_tied_ranks_and_hand_times_as_printed(runner, data):
    result = runner.invoke(app, ["list", "--event", "1500m", "--year", "2024", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    ann = next(line for line in lines if A in line)
    eve = next(line for line in lines if E in line)
    assert ann.split()[0] == "=3" and "3:31.00" in ann and "PB" in ann
    assert eve.split()[0] == "5" and "3:31.0h" in eve
    assert "1500m — 2024 season" in result.stdout


def test_miler_list_json_carries_rank_tie_and_flags(runner, data):
    result = runner.invoke(app, ["list", "-e", "1500m", "-y", "2024", "--all-marks", "-f", "json", "--data", str(data)])
    marks = json.loads(result.stdout)["marks"]
    first = marks[0]
    assert (first["athlete"], first["rank"], first["tied"], first["flags"]) == (C, 1, False, "WL PB")
    assert [m["rank"] for m in marks[:4]] == [1, 2, 3, 4]


def test_miler_list_needs_an_event(runner, data):
    result = runner.invoke(app, ["list", "--data", str(data)])
    assert result.exit_code == 2
    assert "--event" in result.stderr


def test_miler_list_with_nothing_matching_names_the_filters(runner, data):
    result = runner.invoke(app, ["list", "-e", "5000m", "--data", str(data)])
    assert result.exit_code == 1
    assert "event 5000m" in result.stderr


# --- validate: notes the marks refute --------------------------------------------------------


def test_validate_warns_where_a_note_claims_a_flag_the_marks_refute(runner, tmp_path):
    rows = (race("2024-06-01", "M1", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:31.00")])
            + race("2024-07-01", "M2", "1500m", [(B, "BBB", 1, "3:30.50"), (A, "AAA", 2, "3:32.00")]))
    rows[1]["note"] = "WL"  # Bea's 3:31.00 behind Ann's 3:30.00 in the same race
    rows[3]["note"] = "PB SB"  # Ann's 3:32.00 after her 3:30.00 in June
    rows[2]["note"] = "PB"  # Bea's 3:30.50 really is a PB: no warning
    write_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 0  # a warning, not an error
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: races.csv:3: note says WL for Bea Beta 3:31.00 (1500m), but Ann Alpha ran 3:30.00 in the same "
        "race: M1 final, 2024-06-01 (line 2)",
        "warning: races.csv:5: note says PB for Ann Alpha 3:32.00 (1500m), but Ann Alpha ran 3:30.00 earlier: M1 "
        "final, 2024-06-01 (line 2)",
        "warning: races.csv:5: note says SB for Ann Alpha 3:32.00 (1500m), but Ann Alpha ran 3:30.00 earlier that "
        "year: M1 final, 2024-06-01 (line 2)",
    ]


def test_a_note_the_marks_cannot_check_is_no_warning(runner, tmp_path):
    rows = race("2024-06-01", "M1", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:31.00")])
    rows[0]["note"] = "WL PB"  # the first marks in the file: nothing refutes them
    write_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_loading_for_a_command_does_not_check_notes(runner, tmp_path):
    rows = race("2024-06-01", "M1", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:31.00")])
    rows[1]["note"] = "WL"
    write_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, ["list", "-e", "1500m", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "note says" not in result.stderr


def test_the_shipped_notes_agree_with_the_marks(runner):
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert "note says" not in result.stderr


def test_men_and_women_are_listed_and_flagged_apart(runner, tmp_path):
    men = race("2024-06-01", "Meet", "1500m", [(A, "AAA", 1, "3:30.00"), (B, "BBB", 2, "3:31.00")])
    women = race("2024-06-01", "Meet", "1500m", [(C, "CCC", 1, "3:58.00"), (D, "DDD", 2, "3:59.00")])
    later = race("2024-07-01", "Later", "1500m", [(C, "CCC", 1, "3:55.00"), (D, "DDD", 2, "3:57.00")])
    for rows, sex in ((men, "M"), (women, "W"), (later, "W")):
        for r in rows:
            r["sex"] = sex
    write_csv(tmp_path / "races.csv", men + women + later, columns=[*men[0].keys()])
    result = runner.invoke(app, ["list", "-e", "1500m", "--sex", "W", "-f", "json", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    marks = json.loads(result.stdout)["marks"]
    assert [(m["athlete"], m["time"]) for m in marks] == [(C, "3:55.00"), (D, "3:57.00")]
    assert marks[0]["flags"] == "WL PB"  # the women's lead: the men's 3:30.00 is another list
