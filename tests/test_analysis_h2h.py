"""Head-to-head on a small hand-made rivalry: meetings, splits, margins, streak, group matrix.

Kerr and Ingebrigtsen meet eight times, across levels and events, with a DNF each way; Nuguse and
Hocker join some of the races (Kerr's DNS at the Golden Gala is no meeting), so the four-way
matrix can be worked out by hand.
"""

import math

import pandas as pd
import pytest
from conftest import PROPERTY, load_rows, race, races_of
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

from miler.analysis.h2h import Margins, group, head_to_head, meetings
from miler.marks import format_mark

K, J, N, H = "Josh Kerr", "Jakob Ingebrigtsen", "Yared Nuguse", "Cole Hocker"

RIVALRY = (
    race("2022-09-01", "Gala dei Castelli", "1500m", [(J, "NOR", 1, "3:31.00"), (K, "GBR", 2, "3:32.00")], level="other")
    + race("2023-06-10", "Bislett Games", "1500m",
           [(J, "NOR", 1, "3:28.00"), (K, "GBR", 2, "3:29.00"), (N, "USA", 3, "3:29.50")])
    + race("2023-08-20", "World Championships", "1500m", [(J, "NOR", 1, "3:32.94"), (K, "GBR", 2, "3:33.00")],
           round="semi-final 1", level="worlds")
    + race("2023-08-23", "World Championships", "1500m",
           [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65"), (H, "USA", 3, "3:30.70")], level="worlds")
    + race("2024-05-25", "Prefontaine Classic", "Mile",
           [(K, "GBR", 1, "3:45.34"), (J, "NOR", 2, "3:45.60"), (N, "USA", "", "DNF")])
    + race("2024-06-01", "Golden Gala", "1500m",
           [(N, "USA", 1, "3:31.50"), (K, "GBR", "", "DNS"), (H, "USA", 2, "3:32.00")])
    + race("2024-07-07", "Meeting de Paris", "1500m", [(J, "NOR", 1, "3:29.00"), (K, "GBR", "", "DNF")])
    + race("2024-08-06", "Olympic Games", "1500m",
           [(H, "USA", 1, "3:27.65"), (K, "GBR", 2, "3:27.79"), (N, "USA", 3, "3:27.80"), (J, "NOR", 4, "3:28.24")],
           level="olympics")
    + race("2024-09-12", "Memorial Van Damme", "1500m", [(K, "GBR", 1, "3:30.00"), (J, "NOR", "", "DNF")])
)


@pytest.fixture(scope="module")
def rivalry(tmp_path_factory):
    return races_of(RIVALRY, tmp_path_factory.mktemp("h2h"))


def dates(*texts):
    return pd.to_datetime(list(texts))


# --- two athletes ------------------------------------------------------------------------


def test_meetings_are_every_race_both_started_oldest_first_with_winner_and_gap(rivalry):
    expected = pd.DataFrame(
        {
            "date": dates("2022-09-01", "2023-06-10", "2023-08-20", "2023-08-23", "2024-05-25", "2024-07-07",
                          "2024-08-06", "2024-09-12"),
            "meet": ["Gala dei Castelli", "Bislett Games", "World Championships", "World Championships",
                     "Prefontaine Classic", "Meeting de Paris", "Olympic Games", "Memorial Van Damme"],
            "event": ["1500m", "1500m", "1500m", "1500m", "Mile", "1500m", "1500m", "1500m"],
            "round": ["final", "final", "semi-final 1", "final", "final", "final", "final", "final"],
            "level": ["other", "diamond-league", "worlds", "worlds", "diamond-league", "diamond-league", "olympics",
                      "diamond-league"],
            "indoor": [False] * 8,
            "place_a": pd.array([2, 2, 2, 1, 1, None, 2, 1], dtype="Int64"),
            "time_a": ["3:32.00", "3:29.00", "3:33.00", "3:29.38", "3:45.34", "DNF", "3:27.79", "3:30.00"],
            "place_b": pd.array([1, 1, 1, 2, 2, 1, 4, None], dtype="Int64"),
            "time_b": ["3:31.00", "3:28.00", "3:32.94", "3:29.65", "3:45.60", "3:29.00", "3:28.24", "DNF"],
            "winner": [J, J, J, K, K, J, K, K],
            # Kerr's time minus Ingebrigtsen's: negative where Kerr was ahead; unknown after a DNF
            "gap": [1.00, 1.00, 0.06, -0.27, -0.26, math.nan, -0.45, math.nan],
        }
    )
    assert_frame_equal(meetings(rivalry, K, J), expected)


def test_a_dns_is_no_meeting(rivalry):
    # Kerr was entered at the Golden Gala but did not start: Nuguse and he never met there
    m = meetings(rivalry, K, N)
    assert "Golden Gala" not in set(m["meet"])
    assert list(m["winner"]) == [K, K, K]  # Bislett, Pre (Nuguse DNF), Paris Olympics


def test_the_record_counts_wins_each_way(rivalry):
    result = head_to_head(rivalry, K, J)
    assert result.athletes == (K, J)
    assert result.wins == {K: 4, J: 4}
    assert result.ties == 0


def test_the_record_is_split_by_event(rivalry):
    expected = pd.DataFrame(
        {"meetings": [7, 1], "wins_a": [3, 1], "wins_b": [4, 0], "ties": [0, 0]}, index=["1500m", "Mile"]
    )
    assert_frame_equal(head_to_head(rivalry, K, J).by_event, expected)


def test_the_record_is_split_into_championships_diamond_league_and_other(rivalry):
    expected = pd.DataFrame(
        {"meetings": [3, 4, 1], "wins_a": [2, 2, 0], "wins_b": [1, 2, 1], "ties": [0, 0, 0]},
        index=["championships", "diamond-league", "other"],
    )
    assert_frame_equal(head_to_head(rivalry, K, J).by_level, expected)


def test_margins_are_the_average_and_largest_winning_gap_each_way_ignoring_dnf_wins(rivalry):
    # Kerr won by 0.27, 0.26, 0.45 (and once by a DNF); Ingebrigtsen by 1.00, 1.00, 0.06 (and a DNF)
    assert head_to_head(rivalry, K, J).margins == Margins(average_a=0.33, largest_a=0.45, average_b=0.69, largest_b=1.0)


def test_streak_and_last_meeting_are_the_most_recent_races(rivalry):
    result = head_to_head(rivalry, K, J)
    assert result.streak == (K, 2)  # Paris Olympics, then Brussels (Ingebrigtsen DNF)
    assert result.last["meet"] == "Memorial Van Damme" and result.last["winner"] == K


def test_the_swapped_record_tells_the_same_story(rivalry):
    ab, ba = head_to_head(rivalry, K, J), head_to_head(rivalry, J, K)
    assert ba.wins == ab.wins and ba.streak == ab.streak
    assert list(ba.meetings["winner"]) == list(ab.meetings["winner"])
    assert_frame_equal(ba.by_level[["wins_a", "wins_b"]], ab.by_level[["wins_b", "wins_a"]].set_axis(
        ["wins_a", "wins_b"], axis=1))


def test_a_photo_finish_goes_to_the_better_place_with_a_gap_of_zero(tmp_path):
    rows = race("2019-10-04", "World Championships", "1500m",
                [(J, "NOR", 3, "3:36.58"), (K, "GBR", 4, "3:36.58")], round="semi-final 2", level="worlds")
    m = meetings(races_of(rows, tmp_path), K, J)
    assert list(m["winner"]) == [J] and list(m["gap"]) == [0.0]


def test_when_neither_finishes_there_is_no_winner_and_no_streak(tmp_path):
    rows = (
        race("2024-06-01", "Bislett Games", "1500m", [(K, "GBR", 1, "3:30.00"), (J, "NOR", 2, "3:31.00")])
        + race("2024-07-01", "Meeting de Paris", "1500m",
               [(N, "USA", 1, "3:31.00"), (K, "GBR", "", "DNF"), (J, "NOR", "", "DQ")])
    )
    result = head_to_head(races_of(rows, tmp_path), K, J)
    assert list(result.meetings["winner"]) == [K, ""]
    assert result.ties == 1 and result.wins == {K: 1, J: 0}
    assert result.streak == ("", 0)


def test_athletes_who_never_met_have_an_empty_record(rivalry):
    nobody = head_to_head(rivalry.iloc[:0], K, J)
    assert nobody.meetings.empty and nobody.wins == {K: 0, J: 0}
    assert nobody.streak == ("", 0) and nobody.last is None
    assert nobody.margins == Margins(None, None, None, None)


def test_a_final_run_after_its_heat_on_the_same_day_is_the_last_meeting(tmp_path):
    rows = (
        race("2024-02-17", "Millrose Games", "Mile", [(K, "GBR", 1, "3:58.00"), (J, "NOR", 2, "3:58.50")],
             round="heat 1", indoor="true", level="other")
        + race("2024-02-17", "Millrose Games", "Mile", [(J, "NOR", 1, "3:51.00"), (K, "GBR", 2, "3:52.00")],
               round="final", indoor="true", level="other")
    )
    result = head_to_head(races_of(rows, tmp_path), K, J)
    assert list(result.meetings["round"]) == ["heat 1", "final"]
    assert result.last["round"] == "final"
    assert result.streak == (J, 1)


# --- three or more -----------------------------------------------------------------------


def test_group_matrix_counts_wins_of_the_row_athlete_over_the_column_athlete(rivalry):
    result = group(rivalry, [K, J, N, H])
    na = pd.NA
    expected = pd.DataFrame(
        [[na, 4, 3, 1], [4, na, 2, 1], [0, 1, na, 1], [1, 1, 1, na]], index=[K, J, N, H], columns=[K, J, N, H],
        dtype="Int64",
    )
    assert_frame_equal(result.matrix, expected)
    assert result.wins == {K: 8, J: 7, N: 2, H: 3}
    assert result.athletes == (K, J, N, H)


def test_group_matrix_agrees_with_each_pairs_head_to_head(rivalry):
    names = [K, J, N, H]
    matrix = group(rivalry, names).matrix
    for a in names:
        for b in names:
            if a != b:
                assert matrix.loc[a, b] == head_to_head(rivalry, a, b).wins[a], (a, b)


def test_group_meetings_are_every_race_two_or_more_of_them_started(rivalry):
    result = group(rivalry, [K, J, N, H]).meetings

    def times(*values):  # text as a frame holds it, whatever the pandas version
        return pd.Series(list(values), dtype=object).infer_objects().array if pd.__version__ < "3" else \
            pd.array(values, dtype="str")

    expected = pd.DataFrame(
        {
            "date": dates("2022-09-01", "2023-06-10", "2023-08-20", "2023-08-23", "2024-05-25", "2024-06-01",
                          "2024-07-07", "2024-08-06", "2024-09-12"),
            "meet": ["Gala dei Castelli", "Bislett Games", "World Championships", "World Championships",
                     "Prefontaine Classic", "Golden Gala", "Meeting de Paris", "Olympic Games", "Memorial Van Damme"],
            "event": ["1500m"] * 4 + ["Mile"] + ["1500m"] * 4,
            "round": ["final", "final", "semi-final 1", "final", "final", "final", "final", "final", "final"],
            "level": ["other", "diamond-league", "worlds", "worlds", "diamond-league", "diamond-league",
                      "diamond-league", "olympics", "diamond-league"],
            # the best placed of them, and their time minus the next of them's (negative: ahead,
            # as every gap in miler is)
            "winner": [J, J, J, K, K, N, J, H, K],
            "gap": [-1.00, -1.00, -0.06, -0.27, -0.26, -0.50, math.nan, -0.14, math.nan],
            f"place:{K}": pd.array([2, 2, 2, 1, 1, None, None, 2, 1], dtype="Int64"),
            f"time:{K}": times("3:32.00", "3:29.00", "3:33.00", "3:29.38", "3:45.34", None, "DNF", "3:27.79",
                               "3:30.00"),
            f"place:{J}": pd.array([1, 1, 1, 2, 2, None, 1, 4, None], dtype="Int64"),
            f"time:{J}": times("3:31.00", "3:28.00", "3:32.94", "3:29.65", "3:45.60", None, "3:29.00", "3:28.24",
                               "DNF"),
            f"place:{N}": pd.array([None, 3, None, None, None, 1, None, 3, None], dtype="Int64"),
            f"time:{N}": times(None, "3:29.50", None, None, "DNF", "3:31.50", None, "3:27.80", None),
            f"place:{H}": pd.array([None, None, None, 3, None, 2, None, 1, None], dtype="Int64"),
            f"time:{H}": times(None, None, None, "3:30.70", None, "3:32.00", None, "3:27.65", None),
        }
    )
    assert_frame_equal(result, expected)


def test_a_race_with_only_one_of_the_group_is_not_a_group_meeting(tmp_path):
    rows = (
        race("2024-06-01", "Bislett Games", "1500m", [(K, "GBR", 1, "3:30.00"), ("Someone Else", "KEN", 2, "3:31.00")])
        + race("2024-07-01", "Meeting de Paris", "1500m", [(N, "USA", 1, "3:30.00"), (H, "USA", 2, "3:31.00")])
    )
    result = group(races_of(rows, tmp_path), [K, J, N])
    assert result.meetings.empty
    assert result.wins == {K: 0, J: 0, N: 0}


# --- properties --------------------------------------------------------------------------

POOL = [K, J, N, H, "Filip Ingebrigtsen"]
BASE = {"1500m": 210.0, "Mile": 226.0}


@st.composite
def random_races(draw):
    """A few races of athletes from a small pool: places follow the times (ties share a place),
    some DNF, DNS or DQ, and some races give no places at all (miler ranks them by time)."""
    rows = []
    for i in range(draw(st.integers(1, 6))):
        event = draw(st.sampled_from(sorted(BASE)))
        date = draw(st.dates(min_value=pd.Timestamp("2020-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()))
        runners = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=len(POOL), unique=True))
        statuses = draw(st.lists(st.sampled_from(["", "", "", "DNF", "DNS", "DQ"]), min_size=len(runners),
                                 max_size=len(runners)))
        hundredths = draw(st.lists(st.integers(0, 300), min_size=len(runners), max_size=len(runners)))
        placed = draw(st.booleans())
        finish = sorted(h for h, s in zip(hundredths, statuses) if s == "")
        results = []
        for name, status, h in zip(runners, statuses, hundredths):
            if status:
                results.append((name, "XXX", "", status))
            else:
                place = finish.index(h) + 1 if placed else ""
                results.append((name, "XXX", place, format_mark(BASE[event] + h / 100, 2)))
        rows += race(date.isoformat(), f"Meet {i}", event, results,
                     level=draw(st.sampled_from(["olympics", "worlds", "diamond-league", "other"])))
    return rows


@PROPERTY
@given(random_races(), st.lists(st.sampled_from(POOL), min_size=2, max_size=2, unique=True))
def test_the_record_of_a_v_b_mirrors_b_v_a(rows, pair):
    a, b = pair
    races = load_rows(rows)
    ab, ba = head_to_head(races, a, b), head_to_head(races, b, a)
    # the same races, the same winners; a's wins over b are b's losses to a
    keys = ["date", "meet", "event", "round"]
    assert_frame_equal(ab.meetings[keys], ba.meetings[keys])
    assert list(ab.meetings["winner"]) == list(ba.meetings["winner"])
    assert ab.wins == ba.wins and ab.ties == ba.ties
    assert list(ab.meetings["place_a"]) == list(ba.meetings["place_b"])
    assert list(ab.meetings["time_a"]) == list(ba.meetings["time_b"])
    assert_series_equal(ab.meetings["gap"], -ba.meetings["gap"] + 0.0)
    for split in ("by_event", "by_level"):
        x, y = getattr(ab, split), getattr(ba, split)
        assert list(x["wins_a"]) == list(y["wins_b"]) and list(x["wins_b"]) == list(y["wins_a"])
        assert list(x["meetings"]) == list(y["meetings"])
    m = ab.margins
    assert ba.margins == Margins(m.average_b, m.largest_b, m.average_a, m.largest_a)
    assert ab.streak == ba.streak
    # no DNS is ever a meeting, and every meeting has both of them
    assert len(ab.meetings) == sum(
        1 for _, r in races.groupby("race_id")
        if {a, b} <= set(r.loc[r["status"] != "DNS", "athlete"])
    )
