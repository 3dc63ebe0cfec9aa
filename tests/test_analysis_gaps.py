"""Gaps: each finisher's gap to the winner and to the one ahead; two rivals' gap over the years."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import PROPERTY, load_rows, race, races_of
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal
from test_analysis_h2h import POOL, random_races

from miler.analysis.gaps import pair_gaps, race_gaps

K, J = "Josh Kerr", "Jakob Ingebrigtsen"
A, B = "Anna Ahead", "Bea Behind"


# The Paris 1500m final, with three who did not finish, written out of order.
FINAL = race(
    "2024-08-06", "Olympic Games", "1500m",
    [("Niels Laros", "NED", "", "DNS"), (J, "NOR", 4, "3:28.24"), ("Abel Kipsang", "KEN", "", "DNF"),
     ("Cole Hocker", "USA", 1, "3:27.65"), ("Brian Komen", "KEN", "", "DQ"), (K, "GBR", 2, "3:27.79"),
     ("Yared Nuguse", "USA", 3, "3:27.80")],
    level="olympics",
)  # fmt: skip


def test_a_race_reads_in_finishing_order_with_gaps_in_seconds_and_percent(tmp_path):
    result = race_gaps(races_of(FINAL, tmp_path))
    nan = math.nan
    expected = pd.DataFrame(
        {
            "place": pd.array([1, 2, 3, 4, None, None, None], dtype="Int64"),
            "athlete": ["Cole Hocker", K, "Yared Nuguse", J, "Abel Kipsang", "Brian Komen", "Niels Laros"],
            "nat": ["USA", "GBR", "USA", "NOR", "KEN", "KEN", "NED"],
            "time": ["3:27.65", "3:27.79", "3:27.80", "3:28.24", "DNF", "DQ", "DNS"],
            "note": [""] * 7,
            "gap_winner": [0.0, 0.14, 0.15, 0.59, nan, nan, nan],
            "gap_winner_pct": [0.0, 0.07, 0.07, 0.28, nan, nan, nan],  # of the winner's 207.65 s
            "gap_ahead": [nan, 0.14, 0.01, 0.44, nan, nan, nan],
            "gap_ahead_pct": [nan, 0.07, 0.0, 0.21, nan, nan, nan],  # of the time of the one ahead
        }
    )
    assert_frame_equal(result, expected)


def test_non_finishers_come_after_every_finisher_with_no_gap(tmp_path):
    result = race_gaps(races_of(FINAL, tmp_path))
    assert list(result["time"].iloc[-3:]) == ["DNF", "DQ", "DNS"]
    assert result["gap_winner"].iloc[-3:].isna().all()


def test_a_dead_heat_is_a_gap_of_zero_to_the_one_ahead(tmp_path):
    rows = race("2024-06-01", "Bislett Games", "1500m",
                [(J, "NOR", 1, "3:30.00"), (K, "GBR", 2, "3:30.50"), ("Yared Nuguse", "USA", 2, "3:30.50")])
    result = race_gaps(races_of(rows, tmp_path))
    assert list(result["place"]) == [1, 2, 2]
    assert list(result["gap_ahead"].iloc[1:]) == [0.5, 0.0]


def test_race_gaps_does_not_change_its_input(tmp_path):
    rows = races_of(FINAL, tmp_path)
    before = rows.copy()
    race_gaps(rows)
    assert_frame_equal(rows, before)


# --- two rivals over time ------------------------------------------------------------------

# Bea wins the first two by less and less, then Anna beats her: Anna is gaining.
CLOSING = (
    race("2022-06-01", "Bislett Games", "1500m", [(B, "SWE", 1, "3:30.00"), (A, "NOR", 2, "3:31.00")])
    + race("2022-07-01", "Meeting de Paris", "1500m", [(B, "SWE", 1, "3:31.00"), (A, "NOR", "", "DNF")])
    + race("2023-06-01", "Bislett Games", "1500m", [(B, "SWE", 1, "3:30.00"), (A, "NOR", 2, "3:30.50")])
    + race("2023-07-01", "Meeting de Paris", "1500m", [(A, "NOR", 1, "3:31.00"), (B, "SWE", "", "DNS")])
    + race("2024-06-01", "Bislett Games", "1500m", [(A, "NOR", 1, "3:29.80"), (B, "SWE", 2, "3:30.00")])
)


@pytest.fixture(scope="module")
def closing(tmp_path_factory):
    return races_of(CLOSING, tmp_path_factory.mktemp("gaps"))


def test_pair_gaps_lists_every_race_both_finished_with_the_gap_as_a_percentage(closing):
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-06-01", "2023-06-01", "2024-06-01"]),
            "meet": ["Bislett Games"] * 3,
            "event": ["1500m"] * 3,
            "round": ["final"] * 3,
            "time_a": ["3:31.00", "3:30.50", "3:29.80"],
            "time_b": ["3:30.00", "3:30.00", "3:30.00"],
            "gap": [1.0, 0.5, -0.2],
            "gap_pct": [0.476, 0.238, -0.095],  # of Bea's time, 210 s
            "winner": [B, B, A],
        }
    )
    result = pair_gaps(closing, A, B)
    assert result.athletes == (A, B)
    assert_frame_equal(result.gaps, expected)
    assert result.mean_gap_pct == pytest.approx(0.206, abs=0.001)


def test_the_trend_is_negative_when_the_first_athlete_is_gaining(closing):
    # about -0.29 percentage points a year: from +0.48% behind to 0.10% ahead in two years
    assert pair_gaps(closing, A, B).trend_pct_per_year == pytest.approx(-0.285, abs=0.002)


def test_the_trend_changes_sign_when_the_athletes_swap(closing):
    ab, ba = pair_gaps(closing, A, B), pair_gaps(closing, B, A)
    assert ab.trend_pct_per_year < 0 < ba.trend_pct_per_year
    assert list(ba.gaps["gap"]) == [-1.0, -0.5, 0.2]


def test_fewer_than_three_races_give_no_trend(closing):
    two = closing[closing["date"] < "2024-01-01"]
    result = pair_gaps(two, A, B)
    assert len(result.gaps) == 2 and result.trend_pct_per_year is None


def test_rivals_who_never_both_finished_have_no_gaps(closing):
    result = pair_gaps(closing[closing["meet"] == "Meeting de Paris"], A, B)
    assert result.gaps.empty
    assert result.trend_pct_per_year is None and result.mean_gap_pct is None


# --- properties ----------------------------------------------------------------------------

@PROPERTY
@given(random_races(), st.lists(st.sampled_from(POOL), min_size=2, max_size=2, unique=True))
def test_swapping_two_athletes_flips_the_sign_of_every_gap(rows, pair):
    a, b = pair
    races = load_rows(rows)
    ab, ba = pair_gaps(races, a, b), pair_gaps(races, b, a)
    assert len(ab.gaps) == len(ba.gaps)
    assert list(ab.gaps["gap"]) == [-g + 0.0 for g in ba.gaps["gap"]]
    assert list(np.sign(ab.gaps["gap_pct"])) == list(-np.sign(ba.gaps["gap_pct"]))
    assert list(ab.gaps["winner"]) == list(ba.gaps["winner"])
    # the one ahead has the negative gap
    for gap, winner in zip(ab.gaps["gap"], ab.gaps["winner"]):
        assert (gap < 0 and winner == a) or (gap > 0 and winner == b) or gap == 0


@settings(PROPERTY, max_examples=20)
@given(random_races())
def test_in_every_race_gaps_grow_down_the_finishing_order_and_non_finishers_come_last(rows):
    races = load_rows(rows)
    for _, one in races.groupby("race_id"):
        result = race_gaps(one)
        finished = result["time"].map(lambda t: t not in ("DNF", "DNS", "DQ"))
        assert not (finished.iloc[1:].to_numpy() & ~finished.iloc[:-1].to_numpy()).any()
        gaps = result.loc[finished, "gap_winner"]
        assert (gaps >= 0).all() and gaps.is_monotonic_increasing
        assert (result.loc[finished, "gap_ahead"].iloc[1:] >= 0).all()
