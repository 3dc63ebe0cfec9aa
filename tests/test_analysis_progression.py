"""Season bests, personal-best progressions and one season race by race, on a hand-made career.

Kerr's indoor 1500m of 2021 is faster than anything he ran outdoors that year, and 2024 he ran only
miles: neither may leak into his outdoor 1500m bests.
"""

import math

import pandas as pd
import pytest
from conftest import race, races_of
from pandas.testing import assert_frame_equal

from miler.analysis.progression import default_event, pb_progression, season, season_bests
from miler.errors import EmptyResultError

K, J = "Josh Kerr", "Jakob Ingebrigtsen"


def kerr(date, meet, event, place, time, city, **kw):
    return race(date, meet, event, [(K, "GBR", place, time)], city=city, **kw)


CAREER = (
    kerr("2021-02-13", "New Balance Indoor Grand Prix", "1500m", 1, "3:29.50", "Boston", indoor="true", level="other")
    + kerr("2021-08-05", "Olympic Games", "1500m", 1, "3:32.00", "Tokyo", round="semi-final 2", level="olympics")
    + race("2021-08-07", "Olympic Games", "1500m", [(J, "NOR", 1, "3:28.00"), (K, "GBR", 2, "3:30.00")],
           city="Tokyo", level="olympics")
    + kerr("2022-05-28", "Prefontaine Classic", "Mile", 1, "3:47.00", "Eugene")
    + kerr("2022-07-19", "World Championships", "1500m", 1, "3:31.00", "Eugene", level="worlds")
    + kerr("2022-08-26", "Athletissima", "1500m", "", "DNF", "Lausanne")
    + kerr("2022-09-02", "Memorial Van Damme", "1500m", 1, "3:32.00", "Brussels")
    + kerr("2022-09-08", "Weltklasse Zürich", "1500m", "", "DNS", "Zürich")
    + kerr("2023-02-04", "Millrose Games", "1500m", 1, "3:29.20", "New York", indoor="true", level="other")
    + kerr("2023-06-10", "Bislett Games", "1500m", 1, "3:30.50", "Oslo")
    + race("2023-08-23", "World Championships", "1500m", [(K, "GBR", 1, "3:29.00"), (J, "NOR", 2, "3:29.50")],
           city="Budapest", level="worlds")
    + kerr("2023-09-08", "Memorial Van Damme", "1500m", 1, "3:29.80", "Brussels")
    + race("2023-07-16", "Kamila Skolimowska Memorial", "1500m", [(J, "NOR", 1, "3:27.00")], city="Chorzów")
    + kerr("2024-05-25", "Prefontaine Classic", "Mile", 1, "3:45.00", "Eugene")
)


@pytest.fixture(scope="module")
def career(tmp_path_factory):
    return races_of(CAREER, tmp_path_factory.mktemp("progression"))


def frame(data: dict) -> pd.DataFrame:
    out = pd.DataFrame(data)
    if "date" in out:
        out["date"] = pd.to_datetime(out["date"])
    if "year" in out:
        out["year"] = out["year"].astype("int32")
    return out


def test_season_bests_year_by_year_with_change_and_pb_indoor_and_outdoor_apart(career):
    nan = math.nan
    expected = frame(
        {
            "athlete": [K, K, K, K, K, J, J],
            "event": ["1500m"] * 7,
            "indoor": [False, False, False, True, True, False, False],
            "year": [2021, 2022, 2023, 2021, 2023, 2021, 2023],
            "time": ["3:30.00", "3:31.00", "3:29.00", "3:29.50", "3:29.20", "3:28.00", "3:27.00"],
            "seconds": [210.0, 211.0, 209.0, 209.5, 209.2, 208.0, 207.0],
            "date": ["2021-08-07", "2022-07-19", "2023-08-23", "2021-02-13", "2023-02-04", "2021-08-07", "2023-07-16"],
            "meet": ["Olympic Games", "World Championships", "World Championships", "New Balance Indoor Grand Prix",
                     "Millrose Games", "Olympic Games", "Kamila Skolimowska Memorial"],
            "city": ["Tokyo", "Eugene", "Budapest", "Boston", "New York", "Tokyo", "Chorzów"],
            # races run in the event that season: a DNF counts, a DNS does not
            "races": [2, 3, 3, 1, 1, 1, 2],
            # from the previous season's best (negative: faster); indoor compares with indoor
            "change": [nan, 1.0, -2.0, nan, -0.3, nan, -1.0],
            "pb": [True, False, True, True, True, True, True],
        }
    )
    assert_frame_equal(season_bests(career, [K, J], "1500m"), expected)


def test_an_indoor_mark_faster_than_the_outdoor_season_best_stays_indoor(career):
    bests = season_bests(career, [K], "1500m")
    outdoor_2021 = bests[(bests["year"] == 2021) & ~bests["indoor"]]
    assert list(outdoor_2021["time"]) == ["3:30.00"]  # not the indoor 3:29.50


def test_mile_and_1500m_are_never_mixed(career):
    mile = season_bests(career, [K], "Mile")
    assert list(mile["year"]) == [2022, 2024] and list(mile["time"]) == ["3:47.00", "3:45.00"]
    assert list(mile["change"].iloc[1:]) == [-2.0]
    metric = season_bests(career, [K], "1500m")
    assert 2024 not in set(metric["year"])  # 2024: miles only
    assert set(metric["meet"]).isdisjoint({"Prefontaine Classic"})


def test_the_athletes_come_in_the_order_asked(career):
    assert list(season_bests(career, [J, K], "1500m")["athlete"].unique()) == [J, K]


def test_pb_progression_is_the_marks_that_lowered_the_personal_best(career):
    nan = math.nan
    expected = frame(
        {
            "athlete": [K, K, K, K, K, J, J],
            "event": ["1500m"] * 7,
            "indoor": [False, False, False, True, True, False, False],
            "date": ["2021-08-05", "2021-08-07", "2023-08-23", "2021-02-13", "2023-02-04", "2021-08-07", "2023-07-16"],
            "meet": ["Olympic Games", "Olympic Games", "World Championships", "New Balance Indoor Grand Prix",
                     "Millrose Games", "Olympic Games", "Kamila Skolimowska Memorial"],
            "city": ["Tokyo", "Tokyo", "Budapest", "Boston", "New York", "Tokyo", "Chorzów"],
            "round": ["semi-final 2", "final", "final", "final", "final", "final", "final"],
            "time": ["3:32.00", "3:30.00", "3:29.00", "3:29.50", "3:29.20", "3:28.00", "3:27.00"],
            "improvement": [nan, -2.0, -1.0, nan, -0.3, nan, -1.0],
        }
    )
    assert_frame_equal(pb_progression(career, [K, J], "1500m"), expected)


def test_a_season_race_by_race_with_the_season_best_as_it_stood(career):
    expected = frame(
        {
            "date": ["2023-02-04", "2023-06-10", "2023-08-23", "2023-09-08"],
            "meet": ["Millrose Games", "Bislett Games", "World Championships", "Memorial Van Damme"],
            "event": ["1500m"] * 4,
            "round": ["final"] * 4,
            "indoor": [True, False, False, False],
            "place": pd.array([1, 1, 1, 1], dtype="Int64"),
            "time": ["3:29.20", "3:30.50", "3:29.00", "3:29.80"],
            # the outdoor season best starts with the first outdoor race, whatever was run indoors
            "sb": ["3:29.20", "3:30.50", "3:29.00", "3:29.00"],
            "new_sb": [True, True, True, False],
        }
    )
    # Jakob's Chorzów race is his, not Kerr's
    assert_frame_equal(season(career, K, 2023), expected)


def test_a_season_keeps_each_events_season_best_apart(career):
    result = season(career, K, 2022, event=None)
    mile = result[result["event"] == "Mile"]
    assert list(mile["sb"]) == ["3:47.00"] and list(mile["new_sb"]) == [True]
    assert result.loc[result["meet"] == "World Championships", "sb"].item() == "3:31.00"  # not the mile's 3:47
    assert list(season(career, K, 2022, event="Mile")["meet"]) == ["Prefontaine Classic"]


def test_a_dnf_does_not_wipe_out_the_season_best_as_it_stood(career):
    result = season(career, K, 2022, event="1500m")
    assert list(result["time"]) == ["3:31.00", "DNF", "3:32.00", "DNS"]
    assert list(result["sb"]) == ["3:31.00", "3:31.00", "3:31.00", "3:31.00"]
    assert list(result["new_sb"]) == [True, False, False, False]


def test_default_event_is_the_one_with_most_marks(career):
    assert default_event(career, [K]) == "1500m"
    with pytest.raises(EmptyResultError, match="no marks for Nobody"):
        default_event(career, ["Nobody"])


def test_an_athlete_without_marks_in_the_event_has_no_season_bests(career):
    assert season_bests(career, [J], "Mile").empty
    assert pb_progression(career, [J], "Mile").empty


def test_progression_does_not_change_its_input(career):
    before = career.copy()
    season_bests(career, [K, J], "1500m")
    pb_progression(career, [K, J], "1500m")
    season(career, K, 2022)
    assert_frame_equal(career, before)
