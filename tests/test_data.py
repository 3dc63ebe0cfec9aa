"""The shipped dataset: valid, sourced, and the facts the seed articles state hold in it."""

import re

import pandas as pd
import pytest

from conftest import SHARED
from miler.analysis.h2h import head_to_head
from miler.dataset import load

SEEDS = SHARED / "seeds"
REAL = SHARED / "real-files"
needs_shared = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared (the seed articles and real files) is not beside the repository"
)
URL = re.compile(r"^https?://\S+$")
REPO_FILE = re.compile(r"^[\w.-]+/[\w.-]+:\S+$")  # owner/repo:path of a public repository file


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def races(ds):
    return ds.races


def result(races, date, event, athlete, round="final"):
    rows = races[(races["date"] == pd.Timestamp(date)) & (races["event"] == event)
                 & (races["round"] == round) & (races["athlete"] == athlete)]
    assert len(rows) == 1, f"{athlete} {event} {round} on {date}: {len(rows)} rows"
    row = rows.iloc[0]
    return (None if pd.isna(row["place"]) else int(row["place"])), row["time"]


def test_the_shipped_dataset_validates_and_is_not_trivial(ds):
    assert ds.warnings == []
    assert ds.races["race_id"].nunique() >= 40
    assert len(ds.quotes) >= 50


@needs_shared
def test_every_row_has_a_source_that_is_a_url_a_seed_or_a_public_repository_file(races):
    for source in races["source"]:
        assert source, "a row without a source"
        if URL.match(source) or REPO_FILE.match(source):
            continue
        assert (SEEDS / source).is_file(), f"source {source!r} is neither a URL nor a seed file"


@needs_shared
def test_every_quote_is_verbatim_in_a_seed_it_cites(ds):
    def norm(s):
        return " ".join(s.split())

    texts = {p.name: norm(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    for q in ds.quotes.itertuples():
        assert q.source, f"quote without a source: {q.text[:40]}"
        assert any(norm(q.text) in texts[s] for s in q.source), f"not verbatim in {q.source}: {q.text[:60]}"
        assert q.speaker and q.occasion and q.topics


def test_quotes_are_tagged_so_a_topic_search_finds_every_one(ds):
    for q in ds.quotes.itertuples():
        if "blindfold" in q.text.lower():
            assert "blindfolded" in q.topics
        if "next guy" in q.text.lower():
            assert "just-the-next-guy" in q.topics


def test_no_quote_is_stored_twice(ds):
    assert not ds.quotes["text"].duplicated().any()


@pytest.mark.parametrize(
    "date, event, athlete, round, place, time",
    [
        # 2024 Bowerman Mile: Kerr's British record ahead of Ingebrigtsen (seeds 002, 003, 004)
        ("2024-05-25", "Mile", "Josh Kerr", "final", 1, "3:45.34"),
        ("2024-05-25", "Mile", "Jakob Ingebrigtsen", "final", 2, "3:45.60"),
        # Paris 2024 1500m: Hocker, Kerr, Nuguse, Ingebrigtsen fourth (seed 002)
        ("2024-08-06", "1500m", "Cole Hocker", "final", 1, "3:27.65"),
        ("2024-08-06", "1500m", "Josh Kerr", "final", 2, "3:27.79"),
        ("2024-08-06", "1500m", "Yared Nuguse", "final", 3, "3:27.80"),
        ("2024-08-06", "1500m", "Jakob Ingebrigtsen", "final", 4, "3:28.24"),
        # Paris 2024 semi-final: Ingebrigtsen 3:32.38 to Kerr's 3:32.46 (seed 002)
        ("2024-08-04", "1500m", "Jakob Ingebrigtsen", "semi-final 1", 1, "3:32.38"),
        ("2024-08-04", "1500m", "Josh Kerr", "semi-final 1", 2, "3:32.46"),
        # Budapest 2023: Kerr's world title (seed 004 misprints 3:29:38)
        ("2023-08-23", "1500m", "Josh Kerr", "final", 1, "3:29.38"),
        ("2023-08-23", "1500m", "Jakob Ingebrigtsen", "final", 2, "3:29.65"),
        ("2023-08-27", "5000m", "Jakob Ingebrigtsen", "final", 1, "13:11.30"),
        # Tokyo 2021 (seed 004)
        ("2021-08-07", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:28.32"),
        ("2021-08-07", "1500m", "Josh Kerr", "final", 3, "3:29.05"),
        # Eugene 2022: Wightman outsprinted Ingebrigtsen (seed 003)
        ("2022-07-19", "1500m", "Jake Wightman", "final", 1, "3:29.23"),
        ("2022-07-19", "1500m", "Jakob Ingebrigtsen", "final", 2, "3:29.47"),
        # Glasgow 2024 3000m (seed 002)
        ("2024-03-02", "3000m", "Josh Kerr", "final", 1, "7:42.98"),
        ("2024-03-02", "3000m", "Yared Nuguse", "final", 2, "7:43.59"),
        # Millrose two mile, Bowerman 2023, Monaco, Lausanne, Silesia, Zurich, Brussels, Olympic 5000m (seed 002)
        ("2024-02-11", "2 Miles", "Josh Kerr", "final", 1, "8:00.67"),
        ("2023-09-16", "Mile", "Jakob Ingebrigtsen", "final", 1, "3:43.73"),
        ("2023-09-16", "Mile", "Yared Nuguse", "final", 2, "3:43.97"),
        ("2023-06-09", "2 Miles", "Jakob Ingebrigtsen", "final", 1, "7:54.10"),
        ("2024-07-12", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:26.73"),
        ("2024-08-22", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:27.83"),
        ("2024-08-25", "3000m", "Jakob Ingebrigtsen", "final", 1, "7:17.55"),
        ("2024-09-05", "1500m", "Yared Nuguse", "final", 1, None),
        ("2024-09-05", "1500m", "Cole Hocker", "final", 3, "3:30.46"),
        ("2024-09-05", "1500m", "Josh Kerr", "final", 5, "3:31.46"),
        ("2024-09-13", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:30.37"),
        ("2024-08-10", "5000m", "Jakob Ingebrigtsen", "final", 1, "13:13.66"),
    ],
)
def test_results_the_seed_articles_state_hold(races, date, event, athlete, round, place, time):
    got_place, got_time = result(races, date, event, athlete, round)
    assert got_place == place
    if time is not None:
        assert got_time == time


@pytest.mark.parametrize(
    "date, event, athlete, round, place, time",
    [
        # Tokyo 2025: Kerr hobbled home last of 14 (sportskeeda, BBC); Hocker disqualified in his semi
        ("2025-09-17", "1500m", "Isaac Nader", "final", 1, "3:34.10"),
        ("2025-09-17", "1500m", "Josh Kerr", "final", 14, "4:11.23"),
        ("2025-09-15", "1500m", "Cole Hocker", "semi-final 2", None, "DQ"),
        ("2025-09-14", "1500m", "Jakob Ingebrigtsen", "heat 4", 8, "3:37.84"),
        ("2025-09-21", "5000m", "Cole Hocker", "final", 1, "12:58.30"),
        ("2025-09-21", "5000m", "Jakob Ingebrigtsen", "final", 10, "13:02.00"),
        # Nanjing 2025 world indoors, Millrose 2025, Silesia 2025
        ("2025-03-22", "3000m", "Jakob Ingebrigtsen", "final", 1, "7:46.09"),
        ("2025-03-23", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:38.79"),
        ("2025-02-08", "Mile", "Yared Nuguse", "final", 1, "3:46.63"),
        ("2025-08-16", "1500m", "Yared Nuguse", "final", 1, "3:33.19"),
        # 2026: Millrose two miles, Toruń world indoors
        ("2026-02-01", "2 Miles", "Cole Hocker", "final", 1, "8:07.31"),
        ("2026-02-01", "2 Miles", "Josh Kerr", "final", 2, "8:07.68"),
        ("2026-03-21", "3000m", "Josh Kerr", "final", 1, "7:35.56"),
        ("2026-03-21", "3000m", "Cole Hocker", "final", 2, "7:35.70"),
    ],
)
def test_results_of_the_2025_and_2026_seasons_hold(races, date, event, athlete, round, place, time):
    assert result(races, date, event, athlete, round) == (place, time)


@pytest.mark.parametrize(
    "date, event, round, starters, complete",
    [
        ("2025-09-17", "1500m", "final", 14, True),  # World Athletics: "The 14-man field"
        ("2025-09-15", "1500m", "semi-final 1", 12, True),  # oasport: Arese "dodicesimo ed ultimo"
        ("2025-08-16", "1500m", "final", 18, True),  # kondis: "det 18 mann store feltet"
        ("2025-03-22", "3000m", "final", 14, False),  # issberlin: "14-köpfigen Final-Feld"
    ],
)
def test_a_full_field_stated_by_a_source_is_recorded(races, date, event, round, starters, complete):
    race = races[(races["date"] == pd.Timestamp(date)) & (races["event"] == event) & (races["round"] == round)]
    assert set(race["starters"].dropna()) == {starters}
    assert (len(race) == starters) == complete


def test_kerr_won_the_fifth_avenue_mile_in_3_44(races):
    # a road mile, kept apart from the track mile as athletics keeps it
    place, time = result(races, "2024-09-08", "Road Mile", "Josh Kerr")
    assert place == 1 and time.startswith("3:44")


def test_kerr_beat_ingebrigtsen_in_their_first_two_meetings_after_budapest(races):
    h = head_to_head(races, "Josh Kerr", "Jakob Ingebrigtsen")
    m = h.meetings
    # "Kerr now has two wins over Ingebrigtsen heading into Paris 2024" (seed 004)
    after = m[m["date"] >= pd.Timestamp("2023-08-23")].head(2)
    assert list(after["winner"]) == ["Josh Kerr", "Josh Kerr"]  # Budapest, Eugene
    assert h.wins["Jakob Ingebrigtsen"] > h.wins["Josh Kerr"]  # "Jakob has had the best of me a lot"


CHAMPIONSHIP_FINALS = [
    ("2016-08-20", "1500m"), ("2021-08-07", "1500m"), ("2024-08-06", "1500m"),
    ("2017-08-13", "1500m"), ("2019-10-06", "1500m"), ("2022-07-19", "1500m"),
    ("2023-08-23", "1500m"), ("2025-09-17", "1500m"), ("2024-03-02", "3000m"),
    ("2024-08-10", "5000m"), ("2022-07-24", "5000m"), ("2023-08-27", "5000m"),
    ("2025-09-21", "5000m"), ("2025-03-22", "3000m"), ("2025-03-23", "1500m"),
    ("2026-03-21", "3000m"), ("2026-03-22", "1500m"),
]  # fmt: skip


@pytest.mark.parametrize("date, event", CHAMPIONSHIP_FINALS)
def test_championship_finals_have_consecutive_places_and_times_that_never_decrease(races, date, event):
    race = races[(races["date"] == pd.Timestamp(date)) & (races["event"] == event) & (races["round"] == "final")]
    assert not race.empty, f"no {event} final on {date}"
    assert race["level"].isin(["olympics", "worlds", "world-indoors"]).all()
    finishers = race[race["status"] == ""].sort_values("place")
    assert list(finishers["place"]) == list(range(1, len(finishers) + 1))
    assert finishers["seconds"].is_monotonic_increasing
    assert race[race["status"] != ""]["place"].isna().all()


# Athletes who ran for another team in some races (NOTES.md: a change of team, not a typo).
CHANGES_OF_TEAM = {"Dominic Lobalu": {"EOR", "SUI"}}  # the Refugee team at the Paris Olympics, Switzerland since 2024


def test_one_spelling_and_one_nationality_per_athlete(races):
    from miler.names import fold

    teams = races.groupby("athlete", observed=True)["nat"].agg(lambda s: set(s.astype(str)))
    changed = {a: t for a, t in teams.items() if len(t) > 1}
    assert changed == {a: t for a, t in CHANGES_OF_TEAM.items() if a in changed}
    assert set(changed) == set(CHANGES_OF_TEAM)
    assert (races.groupby(races["athlete"].map(fold), observed=True)["athlete"].nunique() == 1).all()


# Independent public results files (World Athletics lists scraped by others): wherever one
# of them lists a mark from a final in the dataset, the dataset has the same place and time.
TOP_LISTS = [
    # file, its columns: athlete, mark, position, venue, date; date format; (date, place) of finals
    ("kajchang+worldathletics-toplist-scraper+2022-senior-False-world.csv",
     ("Competitor", "Mark", "Pos", "Venue", "Date"), "%d %b %Y", [("2022-07-19", "Eugene")]),
    ("kmuchiri+AthleticScraper+male_middlelong_1500-metres.csv",
     ("competitor", "mark", "position", "venue", "date"), "%Y-%m-%d",
     [("2024-08-06", "Paris"), ("2021-08-07", "Tokyo"), ("2024-07-12", "Monaco")]),
]  # fmt: skip


@needs_shared
@pytest.mark.parametrize("name, cols, fmt, finals", TOP_LISTS)
def test_finals_agree_with_independent_world_athletics_lists(races, name, cols, fmt, finals):
    from miler.names import fold

    athlete, mark, pos, venue, date = cols
    lists = pd.read_csv(REAL / name, dtype=str, keep_default_na=False)
    lists["_date"] = pd.to_datetime(lists[date], format=fmt)
    compared = 0
    for day, city in finals:
        ours = races[(races["date"] == pd.Timestamp(day)) & (races["event"] == "1500m")
                     & (races["round"] == "final")]
        ours = dict(zip(ours["athlete"].astype(str).map(fold), zip(ours["place"], ours["time"])))
        theirs = lists[(lists["_date"] == pd.Timestamp(day)) & lists[venue].str.contains(city)]
        for row in theirs.itertuples(index=False):
            who = fold(getattr(row, athlete))
            place = getattr(row, pos).split("f")[0]
            if who in ours and place.isdigit():
                assert ours[who] == (int(place), getattr(row, mark)), (who, day)
                compared += 1
    assert compared >= 3


@pytest.mark.parametrize(
    "date, event, athlete, round, place, time",
    [
        # Berlin 2018 Europeans: Jakob Ingebrigtsen's first senior title (european-athletics.org, WA list)
        ("2018-08-10", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:38.10"),
        ("2018-08-10", "1500m", "Filip Ingebrigtsen", "final", 12, "3:41.66"),
        # Gold Coast 2018: the bronze was Wightman's (WA list and report)
        ("2018-04-14", "1500m", "Jake Wightman", "final", 3, "3:35.97"),
        # Rome 2024 Europeans (Reuters, european-athletics.com, WA list)
        ("2024-06-12", "1500m", "Jakob Ingebrigtsen", "final", 1, "3:31.95"),
        ("2024-06-08", "5000m", "Jakob Ingebrigtsen", "final", 1, "13:20.11"),
        # Millrose 2023: Nuguse's American record, Kerr's 3000m (RRW/T&FN, runblogrun, WA list)
        ("2023-02-11", "Mile", "Yared Nuguse", "final", 1, "3:47.38"),
        ("2023-02-11", "3000m", "Josh Kerr", "final", 1, "7:33.47"),
        # London 2017 heat 1 (IAAF report)
        ("2017-08-10", "1500m", "Elijah Manangoi", "heat 1", 1, "3:45.93"),
        # Silesia 2023: Mills was 8th, not 5th (WA list)
        ("2023-07-16", "1500m", "George Mills", "final", 8, "3:31.54"),
        # Bowerman Mile 2021: hpr and the WA list agree on Kwemoi 4th, Hoare 5th
        ("2021-08-21", "Mile", "Ronald Kwemoi", "final", 4, "3:51.31"),
        ("2021-08-21", "Mile", "Oliver Hoare", "final", 5, "3:51.63"),
        # Eugene 2022 5000m, full results (world-track)
        ("2022-07-24", "5000m", "Marc Scott", "final", 14, "13:41.04"),
    ],
)
def test_results_the_official_lists_state_hold(races, date, event, athlete, round, place, time):
    assert result(races, date, event, athlete, round) == (place, time)


def test_kerr_did_not_run_the_gold_coast_2018_final(races):
    race = races[(races["date"] == pd.Timestamp("2018-04-14")) & (races["event"] == "1500m")]
    assert not race.empty and "Josh Kerr" not in set(race["athlete"])


@pytest.mark.parametrize(
    "date, event, starters",
    [("2024-08-10", "5000m", 22), ("2023-08-27", "5000m", 17), ("2022-07-24", "5000m", 15)],
)
def test_full_fields_that_sources_state(races, date, event, starters):
    race = races[(races["date"] == pd.Timestamp(date)) & (races["event"] == event) & (races["round"] == "final")]
    assert set(race["starters"]) == {starters}
    assert len(race) <= starters


OTHER_FINALS = [
    ("2018-08-10", "1500m", "europeans"), ("2018-08-11", "5000m", "europeans"), ("2022-08-16", "5000m", "europeans"),
    ("2022-08-18", "1500m", "europeans"), ("2024-06-08", "5000m", "europeans"), ("2024-06-12", "1500m", "europeans"),
    ("2018-04-14", "1500m", "commonwealth"), ("2022-08-06", "1500m", "commonwealth"),
    ("2022-03-20", "1500m", "world-indoors"),
]  # fmt: skip


@pytest.mark.parametrize("date, event, level", OTHER_FINALS)
def test_other_championship_finals_are_consecutive_from_the_winner(races, date, event, level):
    race = races[(races["date"] == pd.Timestamp(date)) & (races["event"] == event) & (races["round"] == "final")]
    assert not race.empty and (race["level"] == level).all()
    finishers = race[race["status"] == ""].sort_values("place")
    assert list(finishers["place"]) == list(range(1, len(finishers) + 1))
    assert finishers["seconds"].is_monotonic_increasing
