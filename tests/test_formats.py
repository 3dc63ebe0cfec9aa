"""What real results files contain, each normalised the way a reader of them expects: names,
marks and statuses, places and rounds, dates, events and sex, venues (miler.dataset.formats:
names, marks, rounds, dates, events, venues)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miler.dataset.formats.dates import DateOrder, parse_dates
from miler.dataset.formats.events import event_from_marks, event_of, hints_from_path
from miler.dataset.formats.marks import time_cell
from miler.dataset.formats.names import athlete_name
from miler.dataset.formats.rounds import place_cell, position, round_name
from miler.dataset.formats.venues import level_of, venue
from miler.marks import format_mark, parse_mark


@pytest.mark.parametrize("written, name", [
    ("Jakob INGEBRIGTSEN", "Jakob Ingebrigtsen"),
    ("INGEBRIGTSEN Jakob", "Jakob Ingebrigtsen"),
    ("Kerr, Josh", "Josh Kerr"),
    ("Woods , Anthony", "Anthony Woods"),
    ("Narve GILJE NORDÅS", "Narve Gilje Nordås"),
    ("Hicham EL GUERROUJ", "Hicham El Guerrouj"),
    ("Paul O'HARE", "Paul O'Hare"),
    ("Charlie DA'VALL GRICE", "Charlie Da'Vall Grice"),
    ("Emily HAINES-GRAY", "Emily Haines-Gray"),
    ("Stewart MCSWEYN", "Stewart McSweyn"),
    ("  Josh   Kerr ", "Josh Kerr"),
    ("Narve Gilje Nordås", "Narve Gilje Nordås"),
    ("El Guerrouj, Hicham", "Hicham El Guerrouj"),
])
def test_names_are_given_name_first_as_commonly_written(written, name):
    assert athlete_name(written)[0] == name


@given(st.lists(st.sampled_from(["Jakob", "INGEBRIGTSEN", "Kerr", "O'HARE", "Nordås", "EL", "Josh"]), min_size=1,
                max_size=4))
def test_a_normalised_name_stays_as_it_is(tokens):
    once = athlete_name(" ".join(tokens))[0]
    assert athlete_name(once)[0] == once


@pytest.mark.parametrize("written, time, status, note", [
    ("3:29.38", "3:29.38", "", ""),
    ("3:29,38", "3:29.38", "", ""),
    ("3:34.6h", "3:34.6h", "", ""),
    ("3:31.2A", "3:31.2", "", "A"),
    ("3:50.00 SB", "3:50.00", "", "SB"),
    ("3:38.50 Q", "3:38.50", "", ""),
    ("DNF", "", "DNF", ""), ("dnf", "", "DNF", ""), ("Did not finish", "", "DNF", ""), ("D.N.F.", "", "DNF", ""),
    ("DQ", "", "DQ", ""), ("DSQ", "", "DQ", ""), ("FS", "", "DQ", ""), ("DQ 8:08.47", "", "DQ", ""),
    ("8:21.67DQ 8:21.67", "", "DQ", ""), ("56.03DQ IAAF Rule 32.2.a", "", "DQ", ""),
    ("DNS", "", "DNS", ""), ("SCR", "", "DNS", ""), ("did not start", "", "DNS", ""),
    ("NM", "", "NM", ""), ("NT", "", "NM", ""), ("NH", "", "NM", ""),
])
def test_marks_and_statuses_in_their_spellings(written, time, status, note):
    cell = time_cell(written)
    assert (cell.time, cell.status, cell.note) == (time, status, note)


def test_a_split_and_an_indoor_mark_are_told_by_their_suffixes():
    assert time_cell("3:34.19+").split
    assert time_cell("3:52.11 (i)").indoor and time_cell("3:52.11 (i)").time == "3:52.11"


@pytest.mark.parametrize("seconds, minutes", [("215.35", "3:35.35"), ("106.6", "1:46.60"),
                                              ("207.82999999999998", "3:27.83"), ("795.3", "13:15.30"),
                                              ("215", "3:35")])
def test_a_number_of_seconds_is_offered_as_minutes_and_seconds(seconds, minutes):
    assert time_cell(seconds).minutes == minutes


@given(st.integers(min_value=6000, max_value=360000))
def test_seconds_written_as_a_number_keep_their_value(hundredths):
    seconds = hundredths / 100
    cell = time_cell(f"{seconds:.2f}")
    assert parse_mark(cell.minutes).seconds == pytest.approx(seconds, abs=1e-9)
    assert cell.minutes == format_mark(seconds)


@pytest.mark.parametrize("pos, place, round_", [
    ("1", "1", ""), ("1f1", "1", "final 1"), ("3h2", "3", "heat 2"), ("2sf1", "2", "semi-final 1"),
    ("10rr1", "10", "repechage 1"), ("f2", "", "final 2"), ("2f", "2", "final"), ("1.", "1", ""),
    ("1pr3", "1", "prelim 3"),
])
def test_world_athletics_positions_give_the_place_and_the_round(pos, place, round_):
    assert position(pos) == (place, round_)


@pytest.mark.parametrize("written, round_", [
    ("Final", "final"), ("Heats", "heat"), ("Heat 2", "heat 2"), ("Semi-Final 1", "semi-final 1"),
    ("Semifinal 2", "semi-final 2"), ("SF1", "semi-final 1"), ("H3", "heat 3"), ("Final 1", "final 1"),
    ("HEAT", "heat"), ("SEMI", "semi-final"), ("FINAL", "final"), ("Repechage 1", "repechage 1"),
])
def test_round_names_in_their_spellings(written, round_):
    assert round_name(written) == round_


@pytest.mark.parametrize("written, place", [("1", "1"), ("1.", "1"), ("=2", "2"), ("2=", "2"), ("3rd", "3"),
                                            ("12.0", "12"), ("", "")])
def test_places_in_their_spellings(written, place):
    assert place_cell(written) == (place, "")


def test_a_status_in_the_place_column_is_a_status():
    assert place_cell("DNF") == ("", "DNF")


def test_dates_in_many_orders():
    got, guesses = parse_dates(["2024-08-06", "06.08.2024", "04 OCT 2019", "Oct 4, 2019", "4 October 2019",
                                   "Men's Mile - 16.06.2022", "20240806"])
    assert got == {"2024-08-06": "2024-08-06", "06.08.2024": "2024-08-06", "04 OCT 2019": "2019-10-04",
                   "Oct 4, 2019": "2019-10-04", "4 October 2019": "2019-10-04",
                   "Men's Mile - 16.06.2022": "2022-06-16", "20240806": "2024-08-06"}
    assert guesses == []


def test_an_ambiguous_order_is_decided_by_the_whole_column():
    got, guesses = parse_dates(["01/02/2024", "13/02/2024"])
    assert got["01/02/2024"] == "2024-02-01" and "day first" in guesses[0]
    got, guesses = parse_dates(["01/02/2024", "02/13/2024"])
    assert got["01/02/2024"] == "2024-01-02" and "month first" in guesses[0]


def test_an_order_no_date_decides_is_not_guessed():
    with pytest.raises(DateOrder, match="--date-format"):
        parse_dates(["01/02/2024", "03/04/2024"])
    with pytest.raises(DateOrder, match="mix"):
        parse_dates(["13/02/2024", "02/13/2024"])
    got, _ = parse_dates(["01/02/2024"], "MM/DD/YYYY")
    assert got == {"01/02/2024": "2024-01-02"}


def test_a_date_that_is_no_date_is_none():
    got, _ = parse_dates(["31.02.2024", "soon"])
    assert got == {"31.02.2024": None, "soon": None}


@pytest.mark.parametrize("written, event, sex", [
    ("1500 Metres", "1500m", ""), ("1500 m Men", "1500m", "M"), ("1500-metres", "1500m", ""),
    ("Men's 1500m", "1500m", "M"), ("1500", "1500m", ""), ("Mile", "Mile", ""), ("2M", "2 Miles", ""),
    ("One Mile", "Mile", ""), ("Women's 800m", "800m", "W"), ("1500 m Women", "1500m", "W"),
    ("3000m SC", "3000m Steeplechase", ""), ("110mH", "110m Hurdles", ""), ("5000", "5000m", ""),
])
def test_events_in_many_spellings_and_the_sex_they_name(written, event, sex):
    e = event_of(written)
    assert (e.name, e.sex, e.kind) == (event, sex, "race")


@pytest.mark.parametrize("written, kind", [("Pole Vault", "field"), ("Long jump Men", "field"), ("Shot", "field"),
                                           ("4x100m", "relay"), ("4 x 400 m Women", "relay"),
                                           ("Decathlon", "combined"), ("Heptathlon", "combined")])
def test_what_is_not_a_race_is_told_apart(written, kind):
    assert event_of(written).kind == kind


@pytest.mark.parametrize("written, city, country, indoor", [
    ("Letzigrund, Zürich (SUI)", "Zürich", "SUI", False),
    ("Hayward Field, Eugene, OR (USA)", "Eugene", "USA", False),
    ("Armory Track&Field Center, New York, NY (USA) (i)", "New York", "USA", True),
    ("Bruxelles (BEL)", "Bruxelles", "BEL", False),
])
def test_venues_give_the_city_and_country(written, city, country, indoor):
    assert venue(written) == (city, country, indoor)


def test_a_file_path_names_the_event_and_sex_of_a_list():
    assert hints_from_path("data/outdoor/1500-metres/men/2022-senior-False-world.csv") == {"event": "1500m",
                                                                                                "sex": "M"}
    assert hints_from_path("female_middlelong_800-metres.csv") == {"event": "800m", "sex": "W"}
    assert hints_from_path("2022-senior-False-world.csv") == {}


def test_a_list_of_marks_names_its_event_only_when_one_fits():
    assert event_from_marks([209.02, 221.0]) == "1500m"  # 3:29.02-3:41.00: no mile is that fast
    assert event_from_marks([230.0, 240.0]) is None  # 1500m or mile


@pytest.mark.parametrize("meet, level", [("Olympic Games", "olympics"), ("World Athletics Championships", "worlds"),
                                         ("World Indoor Championships", "world-indoors"),
                                         ("World U20 Championships", "other"), ("Bislett Games", "other"),
                                         ("European Athletics Championships", "europeans")])
def test_a_meets_name_implies_its_level(meet, level):
    assert level_of(meet) == level
