"""Finding a meet from what a fan types, the table of meets, and the athletes and events catalogs."""


import pandas as pd
import pytest
from conftest import race, races_of
from pandas.testing import assert_frame_equal

from miler.analysis.catalog import athletes, events
from miler.analysis.meets import MeetChoice, find_meet, meet_rows, meet_table
from miler.errors import NotFoundError

K, J, N = "Josh Kerr", "Jakob Ingebrigtsen", "Yared Nuguse"
NORDAS = "Narve Gilje Nordås"


def at(city, country, level="diamond-league", **kw):
    return dict(city=city, country=country, level=level, **kw)


MEETS = (
    race("2021-08-07", "Olympic Games", "1500m", [(J, "NOR", 1, "3:28.32"), (K, "GBR", 2, "3:29.05")],
         **at("Tokyo", "JPN", "olympics"))
    + race("2023-08-20", "World Championships", "1500m", [(J, "NOR", 1, "3:34.98"), (K, "GBR", 2, "3:35.14")],
           round="semi-final 2", **at("Budapest", "HUN", "worlds"))
    + race("2023-08-23", "World Championships", "1500m",
           [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65"), (NORDAS, "NOR", 3, "3:29.68")],
           **at("Budapest", "HUN", "worlds"))
    + race("2023-09-16", "Prefontaine Classic", "Mile", [(J, "NOR", 1, "3:43.73"), (N, "USA", 2, "3:43.97")],
           **at("Eugene", "USA"))
    + race("2024-05-25", "Prefontaine Classic", "Mile",
           [(K, "GBR", 1, "3:45.34"), (J, "NOR", 2, "3:45.60"), (N, "USA", "", "DNF")], **at("Eugene", "USA"))
    + race("2024-05-25", "Prefontaine Classic", "5000m", [(J, "NOR", 1, "12:48.45")], **at("Eugene", "USA"))
    + race("2024-07-07", "Meeting de Paris", "1500m", [(J, "NOR", 1, "3:29.00"), (NORDAS, "NOR", 2, "3:30.00")],
           **at("Paris", "FRA"))
    + race("2024-07-16", "Kamila Skolimowska Memorial", "1500m", [(J, "NOR", 1, "3:26.79")], **at("Chorzów", "POL"))
    + race("2024-08-04", "Olympic Games", "1500m", [(K, "GBR", 1, "3:35.00"), (NORDAS, "NOR", 2, "3:35.10")],
           round="heat 1", **at("Paris", "FRA", "olympics"))
    + race("2024-08-06", "Olympic Games", "1500m",
           [(K, "GBR", 1, "3:27.79"), (N, "USA", 2, "3:27.80"), (J, "NOR", 3, "3:28.24"), (NORDAS, "NOR", "", "DNS")],
           **at("Paris", "FRA", "olympics"))
    + race("2024-09-12", "Memorial Van Damme", "1500m", [(N, "USA", 1, "3:30.00"), (K, "GBR", 2, "3:31.00")],
           **at("Brussels", "BEL"))
    + race("2024-02-11", "Millrose Games", "Mile", [(N, "USA", 1, "3:47.38")], indoor="true",
           **at("New York", "USA", "other"))
)


@pytest.fixture(scope="module")
def meets(tmp_path_factory):
    return races_of(MEETS, tmp_path_factory.mktemp("meets"))


# --- find_meet ---------------------------------------------------------------------------


def test_paris_2024_is_the_olympics_with_a_note_naming_the_diamond_league_meet(meets):
    choice = find_meet(meets, "paris 2024")
    assert choice == MeetChoice("Olympic Games", 2024, ("Meeting de Paris 2024",))
    assert choice.label == "Olympic Games 2024"
    assert choice.note == "note: taking Olympic Games 2024; also matches Meeting de Paris 2024"


def test_a_city_alone_finds_its_meet(meets):
    choice = find_meet(meets, "budapest")
    assert choice == MeetChoice("World Championships", 2023)
    assert choice.note == ""


def test_a_nickname_and_a_year_find_the_meet(meets):
    assert find_meet(meets, "pre classic 2024") == MeetChoice("Prefontaine Classic", 2024)


def test_the_bowerman_mile_is_the_latest_pre_classic_with_a_note(meets):
    choice = find_meet(meets, "bowerman mile")
    assert (choice.meet, choice.year) == ("Prefontaine Classic", 2024)
    assert "Prefontaine Classic 2023" in choice.note


@pytest.mark.parametrize(
    "query, meet, year",
    [
        ("PARIS 2024", "Olympic Games", 2024),  # case does not matter
        ("chorzow", "Kamila Skolimowska Memorial", 2024),  # nor accents
        ("tokyo 2020", "Olympic Games", 2021),  # the Games of 2020, held in 2021
        ("worlds", "World Championships", 2023),
        ("brussels", "Memorial Van Damme", 2024),
        ("millrose", "Millrose Games", 2024),
    ],
)
def test_forgiving_queries_find_their_meet(meets, query, meet, year):
    choice = find_meet(meets, query)
    assert (choice.meet, choice.year) == (meet, year)


def test_an_ambiguous_query_takes_the_latest_edition_and_names_the_others(meets):
    choice = find_meet(meets, "memorial 2024")
    assert choice == MeetChoice("Memorial Van Damme", 2024, ("Kamila Skolimowska Memorial 2024",))
    assert choice.note == "note: taking Memorial Van Damme 2024; also matches Kamila Skolimowska Memorial 2024"


def test_a_city_of_several_meets_takes_the_latest_whatever_its_level(meets):
    # the Olympic Games of 2024 are later in the year than the Meeting de Paris
    assert find_meet(meets, "paris").label == "Olympic Games 2024"
    # Eugene: the Prefontaine Classic of 2024, the latest of three editions of two years
    choice = find_meet(meets, "eugene")
    assert choice.label == "Prefontaine Classic 2024" and choice.others == ("Prefontaine Classic 2023",)


def test_a_note_names_a_few_of_many_others_and_counts_the_rest(meets):
    note = find_meet(meets, "20").note  # every edition: 2021, 2023, 2024
    assert note.startswith("note: taking Memorial Van Damme 2024; also matches Olympic Games 2024, ")
    assert note.endswith(" and 3 more")


def test_an_unknown_meet_is_not_found_and_points_to_the_meets_command(meets):
    with pytest.raises(NotFoundError, match=r"no meet matches 'london 2024' \(try `miler meets`"):
        find_meet(meets, "london 2024")
    with pytest.raises(NotFoundError, match="empty"):
        find_meet(meets, "  ")


def test_every_word_of_the_query_must_fit(meets):
    with pytest.raises(NotFoundError):
        find_meet(meets, "budapest 2024")  # the Worlds were in Budapest in 2023


def test_meet_rows_are_one_edition_only(meets):
    rows = meet_rows(meets, MeetChoice("Prefontaine Classic", 2024))
    assert set(rows["date"].dt.year) == {2024}
    assert sorted(rows["event"].unique()) == ["5000m", "Mile"]


# --- meet_table ----------------------------------------------------------------------------


def test_meet_table_has_one_row_per_edition_oldest_first(meets):
    expected = pd.DataFrame(
        {
            "meet": ["Olympic Games", "World Championships", "Prefontaine Classic", "Millrose Games",
                     "Prefontaine Classic", "Meeting de Paris", "Kamila Skolimowska Memorial", "Olympic Games",
                     "Memorial Van Damme"],
            "year": pd.array([2021, 2023, 2023, 2024, 2024, 2024, 2024, 2024, 2024], dtype="int32"),
            "city": ["Tokyo", "Budapest", "Eugene", "New York", "Eugene", "Paris", "Chorzów", "Paris", "Brussels"],
            "country": ["JPN", "HUN", "USA", "USA", "USA", "FRA", "POL", "FRA", "BEL"],
            "level": ["olympics", "worlds", "diamond-league", "other", "diamond-league", "diamond-league",
                      "diamond-league", "olympics", "diamond-league"],
            "first": pd.to_datetime(["2021-08-07", "2023-08-20", "2023-09-16", "2024-02-11", "2024-05-25",
                                     "2024-07-07", "2024-07-16", "2024-08-04", "2024-09-12"]),
            "last": pd.to_datetime(["2021-08-07", "2023-08-23", "2023-09-16", "2024-02-11", "2024-05-25",
                                    "2024-07-07", "2024-07-16", "2024-08-06", "2024-09-12"]),
            "races": [1, 2, 1, 1, 2, 1, 1, 2, 1],
            "athletes": [2, 3, 2, 1, 3, 2, 1, 4, 2],  # a DNS is still an entrant
        }
    )
    assert_frame_equal(meet_table(meets), expected)


# --- catalog -------------------------------------------------------------------------------


def test_athletes_lists_races_started_wins_and_events_most_races_first(meets):
    expected = pd.DataFrame(
        {
            "athlete": [J, K, N, NORDAS],
            "nat": ["NOR", "GBR", "USA", "NOR"],
            "races": [9, 7, 5, 3],  # a DNF is a race started, a DNS is not
            "wins": [6, 4, 2, 0],
            "first": pd.to_datetime(["2021-08-07", "2021-08-07", "2023-09-16", "2023-08-23"]),
            "last": pd.to_datetime(["2024-08-06", "2024-09-12", "2024-09-12", "2024-08-04"]),
            # events by distance, not alphabetically
            "events": ["1500m, Mile, 5000m", "1500m, Mile", "1500m, Mile", "1500m"],
        }
    )
    assert_frame_equal(athletes(meets), expected)


def test_an_athlete_who_never_started_is_not_listed(meets):
    only_dns = meets[(meets["athlete"] != NORDAS) | (meets["status"] == "DNS")]
    assert NORDAS not in set(athletes(only_dns)["athlete"])


def test_events_are_ordered_by_distance_with_indoor_apart(meets):
    expected = pd.DataFrame(
        {
            "event": ["1500m", "Mile", "Mile", "5000m"],
            "indoor": [False, False, True, False],
            "races": [8, 2, 1, 1],
            "results": [17, 5, 1, 1],  # starts: the DNS is not one
            "athletes": [4, 3, 1, 1],
            "first": pd.to_datetime(["2021-08-07", "2023-09-16", "2024-02-11", "2024-05-25"]),
            "last": pd.to_datetime(["2024-09-12", "2024-05-25", "2024-02-11", "2024-05-25"]),
        }
    )
    assert_frame_equal(events(meets), expected)


def test_catalogs_do_not_change_their_input(meets):
    before = meets.copy()
    athletes(meets), events(meets), meet_table(meets)
    assert_frame_equal(meets, before)
