"""Quotes filtered by speaker, subject, topic and words; the rivalry timeline of races and words."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import race, write_csv, write_dataset
from pandas.testing import assert_frame_equal

from miler.analysis.quotes import filter_quotes, people
from miler.analysis.timeline import timeline
from miler.dataset.quotes import read_quotes
from miler.dataset.races import read_races
from miler.schema import empty_quotes

K, J, N = "Josh Kerr", "Jakob Ingebrigtsen", "Yared Nuguse"
NORDAS = "Narve Gilje Nordås"

# Written out of date order on purpose; the same-day quote comes before the race in the file.
QUOTES_YAML = """\
- date: 2024-06-12
  speaker: Jakob Ingebrigtsen
  about: [Josh Kerr]
  occasion: Olympics.com
  text: the next guy
  topics: [just-the-next-guy]
  source: [olympics.com]
- date: 2023-08-23
  speaker: Josh Kerr
  about: [Jakob Ingebrigtsen]
  occasion: BBC
  text: I knew I had him
  topics: [world-championships]
  source: [bbc.co.uk]
- date: 2023-08-23
  speaker: Jakob Ingebrigtsen
  about: []
  occasion: World Championships mixed zone
  text: Unfortunately, I didn’t feel 100%
  topics: [sickness, world-championships]
  source: [a.txt]
- date: 2023-08-25
  speaker: Josh Kerr
  about: [Jakob Ingebrigtsen]
  occasion: CITIUS MAG
  text: I do think it comes from a place of INSECURITY
  topics: [insecurity]
  source: [a.txt]
- date: 2023-08-27
  speaker: Jakob Ingebrigtsen
  about: Josh Kerr
  occasion: World Championships mixed zone
  text: he was just the next guy.
  topics: [just-the-next-guy, world-championships]
  source: [b.txt]
- date: 2024-01-10
  speaker: Narve Gilje Nordås
  about: [Josh Kerr, Jakob Ingebrigtsen]
  occasion: NRK
  text: Both of them are brilliant
  topics: [rivalry]
  source: [nrk.no]
- date: 2024-03-01
  speaker: Josh Kerr
  about: [Yared Nuguse]
  occasion: Podcast
  text: Yared is fast
  topics: [rivalry]
  source: [pod]
- date: 2024-04-02
  speaker: Jakob Ingebrigtsen
  about: [Narve Gilje Nordås]
  occasion: TV2
  text: Nordås ran a great race in Bergen
  topics: [teammates]
  source: [tv2.no]
"""

RACES = (
    race("2023-08-20", "World Championships", "1500m", [(J, "NOR", 1, "3:32.94"), (K, "GBR", 2, "3:33.00")],
         round="semi-final 1", level="worlds")
    + race("2023-08-23", "World Championships", "1500m",
           [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65"), (NORDAS, "NOR", 3, "3:29.68")], level="worlds")
    + race("2024-05-25", "Bislett Games", "1500m", [(N, "USA", 1, "3:30.00"), (J, "NOR", 2, "3:30.50")])
    + race("2024-07-07", "Meeting de Paris", "1500m", [(J, "NOR", 1, "3:29.00"), (K, "GBR", "", "DNF")])
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("quotes"), RACES, QUOTES_YAML)


@pytest.fixture(scope="module")
def quotes(folder):
    return read_quotes(folder / "quotes.yaml")


@pytest.fixture(scope="module")
def races(folder):
    return read_races(folder / "races.csv")[0]


def texts(frame):
    return list(frame["text"])


# --- quotes --------------------------------------------------------------------------------


def test_all_quotes_come_in_date_order_with_every_column(quotes):
    result = filter_quotes(quotes)
    assert list(result.columns) == ["date", "speaker", "about", "occasion", "publication", "url", "text", "topics",
                                    "source"]
    assert result["date"].is_monotonic_increasing and len(result) == 8


def test_a_speakers_quotes_in_date_order(quotes):
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-08-23", "2023-08-27", "2024-04-02", "2024-06-12"]),
            "speaker": [J] * 4,
            "about": [(), (K,), (NORDAS,), (K,)],
            "occasion": ["World Championships mixed zone", "World Championships mixed zone", "TV2", "Olympics.com"],
            "publication": [""] * 4,  # none given: where a quote was first published is optional
            "url": [""] * 4,
            "text": ["Unfortunately, I didn’t feel 100%", "he was just the next guy.",
                     "Nordås ran a great race in Bergen", "the next guy"],
            "topics": [("sickness", "world-championships"), ("just-the-next-guy", "world-championships"),
                       ("teammates",), ("just-the-next-guy",)],
            "source": [("a.txt",), ("b.txt",), ("tv2.no",), ("olympics.com",)],
        }
    )
    result = filter_quotes(quotes, speaker=J)
    expected["date"] = expected["date"].astype(result["date"].dtype)  # the resolution is no user's concern
    assert_frame_equal(result, expected)


def test_about_finds_quotes_naming_that_athlete_among_others(quotes):
    assert texts(filter_quotes(quotes, about=K)) == [
        "he was just the next guy.", "Both of them are brilliant", "the next guy"]


def test_speaker_and_about_together(quotes):
    assert texts(filter_quotes(quotes, speaker=K, about=J)) == [
        "I knew I had him", "I do think it comes from a place of INSECURITY"]


def test_a_topic_matches_part_of_a_tag(quotes):
    assert texts(filter_quotes(quotes, topic="next guy")) == ["he was just the next guy.", "the next guy"]
    assert texts(filter_quotes(quotes, topic="Next-Guy")) == ["he was just the next guy.", "the next guy"]


def test_search_ignores_case_and_accents(quotes):
    assert texts(filter_quotes(quotes, search="insecurity")) == ["I do think it comes from a place of INSECURITY"]
    assert texts(filter_quotes(quotes, search="nordas")) == ["Nordås ran a great race in Bergen"]
    assert texts(filter_quotes(quotes, search="NORDÅS RAN")) == ["Nordås ran a great race in Bergen"]


def test_filters_that_match_nothing_give_an_empty_frame(quotes):
    result = filter_quotes(quotes, speaker=K, topic="sickness")
    assert result.empty and list(result.columns) == list(filter_quotes(quotes).columns)


def test_people_are_everyone_who_speaks_or_is_spoken_about(quotes):
    assert people(quotes) == {K, J, N, NORDAS}


# --- timeline ------------------------------------------------------------------------------


def test_the_timeline_merges_meetings_and_quotes_in_date_order_with_the_running_record(races, quotes):
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-08-20", "2023-08-23", "2023-08-23", "2023-08-25", "2023-08-27",
                                    "2024-01-10", "2024-06-12", "2024-07-07"]),
            "kind": ["race", "race", "quote", "quote", "quote", "quote", "quote", "race"],
            "what": [
                "World Championships 1500m semi-final 1: Kerr 2nd 3:33.00, Ingebrigtsen 1st 3:32.94 (gap +0.06)",
                "World Championships 1500m final: Kerr 1st 3:29.38, Ingebrigtsen 2nd 3:29.65 (gap -0.27)",
                "Josh Kerr (BBC): “I knew I had him”",
                "Josh Kerr (CITIUS MAG): “I do think it comes from a place of INSECURITY”",
                "Jakob Ingebrigtsen (World Championships mixed zone): “he was just the next guy.”",
                "Narve Gilje Nordås (NRK): “Both of them are brilliant”",
                "Jakob Ingebrigtsen (Olympics.com): “the next guy”",
                "Meeting de Paris 1500m final: Kerr DNF, Ingebrigtsen 1st 3:29.00",
            ],
            "record": ["Kerr 0–1 Ingebrigtsen", "Kerr 1–1 Ingebrigtsen", "", "", "", "", "", "Kerr 1–2 Ingebrigtsen"],
        }
    )
    assert_frame_equal(timeline(races, quotes, K, J), expected)


def test_on_the_same_day_the_race_comes_before_what_was_said_about_it(races, quotes):
    result = timeline(races, quotes, K, J)
    day = result[result["date"] == "2023-08-23"]
    assert list(day["kind"]) == ["race", "quote"]


def test_a_quote_about_someone_else_is_not_in_the_rivalry(races, quotes):
    result = timeline(races, quotes, K, J)
    assert not result["what"].str.contains("Yared is fast|didn’t feel 100%|Bergen").any()


def test_the_timeline_is_told_from_the_first_named_athlete(races, quotes):
    result = timeline(races, quotes, J, K)
    assert list(result.loc[result["kind"] == "race", "record"]) == [
        "Ingebrigtsen 1–0 Kerr", "Ingebrigtsen 1–1 Kerr", "Ingebrigtsen 2–1 Kerr"]
    assert "(gap +0.27)" in result["what"].iloc[1]


def test_a_timeline_without_quotes_is_the_races_alone(races, quotes):
    result = timeline(races, quotes.iloc[:0], K, J)
    assert list(result["kind"]) == ["race"] * 3


def test_brothers_are_told_apart_in_the_timeline(tmp_path):
    rows = race("2024-06-01", "Bislett Games", "1500m",
                [(J, "NOR", 1, "3:30.00"), ("Filip Ingebrigtsen", "NOR", 2, "3:31.00")])
    frame, _ = read_races(write_csv(tmp_path / "races.csv", rows))
    record = timeline(frame, empty_quotes(), J, "Filip Ingebrigtsen")["record"].iloc[0]
    assert "Jakob" in record and "Filip" in record
