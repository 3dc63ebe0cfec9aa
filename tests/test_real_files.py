"""The four real files of ../shared/real-files, in other people's schemas, read through
`miler import` and `--data`: concrete rows of each file come out as miler rows."""

import json

import pandas as pd
import pytest

from conftest import REPO, SHARED
from miler.cli import app
from miler.dataset import load
from miler.dataset.races import read_races

REAL = SHARED / "real-files"
WA_2022 = REAL / "kajchang+worldathletics-toplist-scraper+2022-senior-False-world.csv"
WA_ALL_TIME = REAL / "kmuchiri+AthleticScraper+male_middlelong_1500-metres.csv"
RIO = REAL / "openath+athlib+rio_athletics_results.json"
OSLO = REAL / "hpr+diamond-league-results+2022_18.json"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-files is not beside the repository")


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def imported(runner, tmp_path, source, *extra):
    """`miler import SOURCE -o OUT.csv`: the report (JSON) and the dataset it wrote, read back."""
    out = tmp_path / "out.csv"
    result = run(runner, "import", source, "-o", out, "-f", "json", *extra)
    assert result.exit_code == 0, result.stderr
    races, warnings = read_races(out)
    assert warnings == []
    return json.loads(result.stdout), races


def rows(races, **where):
    mask = pd.Series(True, index=races.index)
    for k, v in where.items():
        mask &= (races[k] == pd.Timestamp(v)) if k == "date" else (races[k] == v)
    return races[mask]


def one(races, **where):
    found = rows(races, **where)
    assert len(found) == 1, f"{where}: {len(found)} rows"
    r = found.iloc[0]
    return (None if pd.isna(r["place"]) else int(r["place"])), r["time"]


@pytest.fixture(scope="module")
def wa2022(tmp_path_factory):
    from conftest import make_runner

    report, races = imported(make_runner(), tmp_path_factory.mktemp("wa"), WA_2022)
    return report, races


def test_the_2022_world_list_gives_the_zurich_and_lausanne_meetings_of_kerr_and_ingebrigtsen(wa2022):
    report, races = wa2022
    source = report["sources"][0]
    assert source["kind"] == "worldathletics" and source["read"] == 1000
    zurich = dict(date="2022-09-08", meet="Zürich", city="Zürich", country="SUI", event="1500m", round="final")
    assert one(races, athlete="Jakob Ingebrigtsen", **zurich) == (1, "3:29.02")
    assert one(races, athlete="Josh Kerr", **zurich) == (6, "3:31.85")
    lausanne = dict(date="2022-08-26", city="Lausanne", event="1500m", round="final")
    assert one(races, athlete="Jakob Ingebrigtsen", **lausanne) == (1, "3:29.05")
    assert one(races, athlete="Josh Kerr", **lausanne) == (4, "3:32.28")
    # row 1 of the file (line 2) is where Ingebrigtsen's Zürich row came from
    assert rows(races, athlete="Jakob Ingebrigtsen", **zurich)["source"].iloc[0] == f"{WA_2022.name}:2"


def test_the_2022_world_list_gives_the_eugene_rounds_and_leaves_out_the_bowerman_splits(wa2022):
    report, races = wa2022
    eugene = dict(city="Eugene", event="1500m")
    assert one(races, athlete="Jakob Ingebrigtsen", date="2022-07-16", round="heat 2", **eugene) == (3, "3:35.12")
    assert one(races, athlete="Josh Kerr", date="2022-07-16", round="heat 3", **eugene) == (1, "3:38.94")
    assert one(races, athlete="Josh Kerr", date="2022-07-17", round="semi-final 1", **eugene) == (1, "3:36.92")
    assert one(races, athlete="Jakob Ingebrigtsen", date="2022-07-17", round="semi-final 1", **eugene) == (3, "3:37.02")
    final = rows(races, date="2022-07-19", round="final", **eugene).sort_values("place")
    assert list(final["athlete"].astype(str))[:3] == ["Jake Wightman", "Jakob Ingebrigtsen", "Mohamed Katir"]
    assert one(races, athlete="Josh Kerr", date="2022-07-19", round="final", **eugene) == (5, "3:30.60")
    # the Bowerman Mile's 1500m splits (blank Pos) are no race of their own
    assert rows(races, date="2022-05-27", city="Eugene").empty
    splits = next(d for d in report["sources"][0]["dropped"] if d["reason"].startswith("no position"))
    assert splits["count"] == 15 and {"where": f"{WA_2022.name}:48"} in splits["rows"]
    # his 8 rows in the file less the Bowerman split; all 9 of Kerr's
    assert len(rows(races, athlete="Jakob Ingebrigtsen")) == 7 and len(rows(races, athlete="Josh Kerr")) == 9


def test_the_2022_world_list_reports_its_guesses(wa2022):
    guesses = " | ".join(wa2022[0]["sources"][0]["guesses"])
    assert "event 1500m" in guesses  # the file and its name do not say; the marks do
    assert "'Jakob INGEBRIGTSEN' -> 'Jakob Ingebrigtsen'" in guesses
    assert "named by its city" in guesses


def test_the_all_time_list_keeps_each_race_once_across_its_age_group_lists(runner, tmp_path):
    report, races = imported(runner, tmp_path, WA_ALL_TIME)
    src = report["sources"][0]
    assert src["read"] == 638
    assert one(races, athlete="Hicham El Guerrouj", date="1998-07-14") == (1, "3:26.00")
    assert one(races, athlete="Jakob Ingebrigtsen", date="2024-07-12") == (1, "3:26.73")
    paris = rows(races, date="2024-08-06", city="Paris").sort_values("place")
    assert list(paris["athlete"].astype(str))[:4] == ["Cole Hocker", "Josh Kerr", "Yared Nuguse", "Jakob Ingebrigtsen"]
    assert list(paris["time"].astype(str))[:4] == ["3:27.65", "3:27.79", "3:27.80", "3:28.24"]
    assert set(paris["sex"]) == {"M"}
    # Koech's 3:27.72, listed as senior rank 20 and u20 rank 1, is one row
    koech = races[races["athlete"].astype(str).str.contains("Koech") & (races["time"] == "3:27.72")]
    assert len(koech) == 1
    again = next(d for d in src["dropped"] if d["reason"].startswith("the same result listed again"))
    assert again["count"] > 40
    # hand times stay as printed, and indoor marks (venue '(i)') are indoor
    assert (races["time"].astype(str).str.endswith("h")).sum() > 10
    assert races["indoor"].sum() > 10
    assert set(rows(races, athlete="Jakob Ingebrigtsen", date="2023-09-16")["time"]) == set()  # a split in a mile


def test_rio_gives_the_1500m_final_semis_and_heats_without_the_decathlon(runner, tmp_path):
    report, races = imported(runner, tmp_path, RIO)
    men = rows(races, event="1500m", sex="M", meet="Olympic Games", city="Rio de Janeiro", level="olympics")
    final = rows(men, round="final").sort_values("place")
    assert len(final) == 13 and final.iloc[0]["athlete"] == "Matthew Centrowitz" and final.iloc[0]["time"] == "3:50.00"
    assert final.iloc[0]["date"] == pd.Timestamp("2016-08-20")
    assert sorted(set(rows(men, date="2016-08-18")["round"])) == ["semi-final 1", "semi-final 2"]
    assert sorted(set(rows(men, date="2016-08-16")["round"])) == ["heat 1", "heat 2", "heat 3"]
    assert one(men, athlete="Filip Ingebrigtsen", round="heat 2") == (None, "DQ")
    assert one(men, athlete="Henrik Ingebrigtsen", round="heat 3") == (5, "3:38.50")
    assert one(men, athlete="Henrik Ingebrigtsen", round="semi-final 1") == (11, "3:42.51")
    assert rows(races, athlete="Josh Kerr").empty
    assert rows(men, date="2016-08-18", round="heat 1").empty  # the decathlon's 1500m is not the 1500m
    reasons = {d["reason"]: d["count"] for d in report["sources"][0]["dropped"]}
    assert reasons["part of a combined event (decathlon, heptathlon)"] > 0
    assert reasons["a field event (miler keeps races)"] > 0
    sources = set(final["source"].astype(str))
    assert all(s.startswith(f"{RIO.name}#events[") and ".result[" in s for s in sources)


def test_rio_reads_straight_through_data_and_meet_finds_it(runner):
    result = run(runner, "meet", "rio", "--event", "1500m", "--sex", "M", "--round", "final", "--data", RIO, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = json.dumps(data)
    assert "Matthew Centrowitz" in text and "Genzebe Dibaba" not in text
    assert "read as Tilastopaja / athlib competition JSON" in result.stderr


def test_oslo_gives_the_dream_mile_and_the_5000m(runner, tmp_path):
    report, races = imported(runner, tmp_path, OSLO)
    mile = rows(races, event="Mile", sex="M", meet="Bislett Games", city="Oslo", date="2022-06-16")
    placed = mile.dropna(subset=["place"]).sort_values("place")
    assert [(a, t) for a, t in zip(placed["athlete"][:3], placed["time"][:3])] == [
        ("Jakob Ingebrigtsen", "3:46.46"), ("Oliver Hoare", "3:47.48"), ("Jake Wightman", "3:50.30")]
    assert len(placed) == 10 and (mile["time"] == "DNF").sum() == 4
    assert set(mile["level"]) == {"diamond-league"}
    assert one(races, athlete="Henrik Ingebrigtsen", event="5000m") == (14, "13:48.89")
    assert one(races, athlete="Filip Ingebrigtsen", event="5000m") == (None, "DNF")
    national = rows(races, event="1500m", sex="M")
    assert national["place"].notna().sum() == 15 and (national["time"] == "DNF").sum() == 1
    assert set(national["level"]) == {"other"}
    women = rows(races, event="1500m", sex="W")
    assert len(women) and set(women["race_id"]).isdisjoint(set(national["race_id"]))  # two races
    assert any("Bislett Games" in g for g in report["sources"][0]["guesses"])


@pytest.mark.parametrize("source", [WA_2022, WA_ALL_TIME, RIO, OSLO], ids=lambda p: p.name.split("+")[0])
def test_every_real_file_loads_through_data(source):
    ds = load([source])
    assert len(ds.races) > 100
    assert ds.warnings and "read as" in ds.warnings[0]


def test_h2h_over_the_shipped_data_and_the_2022_list_counts_no_meeting_twice(runner, tmp_path):
    out = tmp_path / "wa2022.csv"
    assert run(runner, "import", WA_2022, "-o", out).exit_code == 0
    alone = json.loads(run(runner, "h2h", "kerr", "ingebrigtsen", "--data", REPO / "data", "-f", "json").stdout)
    result = run(runner, "h2h", "kerr", "ingebrigtsen", "--data", REPO / "data", "--data", out, "-f", "json")
    assert result.exit_code == 0, result.stderr
    merged = json.loads(result.stdout)
    keys = [(m["date"], m["event"], m["round"]) for m in merged["meetings"]]
    assert len(keys) == len(set(keys))
    assert merged["wins"] == alone["wins"]  # the list adds no meeting the shipped data lacks, and none twice
    zurich = [m for m in merged["meetings"] if m["date"] == "2022-09-08"]
    assert len(zurich) == 1 and zurich[0]["meet"] == "Weltklasse Zürich"  # the first source's name
    assert "results found in more than one kept once" in result.stderr


def test_every_real_file_merged_with_the_shipped_data_still_answers(runner):
    args = ["h2h", "kerr", "ingebrigtsen", "--data", REPO / "data"]
    for f in (WA_2022, WA_ALL_TIME, OSLO, RIO):
        args += ["--data", f]
    result = run(runner, *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    keys = [(m["date"], m["event"], m["round"]) for m in json.loads(result.stdout)["meetings"]]
    assert len(keys) == len(set(keys))
