"""The head-to-head card: nationality, age on the day of the last meeting (athletes.csv),
bests at the events they met in, medals at global championships; athletes.csv checked."""

import json

import pandas as pd
import pytest
from conftest import race, races_of, write_csv

from miler.analysis.card import age_on, card
from miler.analysis.h2h import head_to_head
from miler.cli import app
from miler.dataset.athletes import empty_athletes, read_athletes

K, J, X = "Josh Kerr", "Jakob Ingebrigtsen", "Someone Else"

ROWS = (
    race("2021-08-07", "Olympic Games", "1500m", [(J, "NOR", 1, "3:28.32"), (K, "GBR", 3, "3:29.05")],
         level="olympics")
    + race("2022-08-18", "European Championships", "1500m", [(J, "NOR", 1, "3:32.76"), (X, "ESP", 2, "3:33.00")],
           level="europeans")  # a European title is no global medal
    + race("2023-08-20", "World Championships", "1500m", [(J, "NOR", 1, "3:32.94"), (K, "GBR", 2, "3:33.00")],
           round="semi-final 1", level="worlds")  # a semi-final is no medal
    + race("2023-08-23", "World Championships", "1500m", [(K, "GBR", 1, "3:29.38"), (J, "NOR", 2, "3:29.65")],
           level="worlds")
    + race("2024-03-02", "World Indoor Championships", "3000m", [(K, "GBR", 1, "7:42.98"), (X, "ESP", 2, "7:43.59")],
           level="world-indoors", indoor="true")
    + race("2024-07-12", "Herculis", "1500m", [(J, "NOR", 1, "3:26.73"), (X, "ESP", 2, "3:30.00")])
    + race("2024-08-06", "Olympic Games", "1500m", [(K, "GBR", 2, "3:27.79"), (J, "NOR", 4, "3:28.24")],
           level="olympics")
)
ATHLETES = "athlete,born,nat,source\nJosh Kerr,1997-10-08,GBR,wa\nJakob Ingebrigtsen,2000-09-19,NOR,wa\n"


@pytest.fixture
def races(tmp_path):
    return races_of(ROWS, tmp_path)


def athletes_table(tmp_path, text=ATHLETES):
    (tmp_path / "athletes.csv").write_text(text, encoding="utf-8")
    return read_athletes(tmp_path / "athletes.csv")


def test_age_is_in_whole_years_and_a_birthday_counts_from_its_day():
    born = pd.Timestamp("1997-10-08")
    assert age_on(born, pd.Timestamp("2024-10-07")) == 26
    assert age_on(born, pd.Timestamp("2024-10-08")) == 27


def test_the_card_gives_each_age_on_the_day_of_the_last_meeting(races, tmp_path):
    c = card(races, athletes_table(tmp_path), head_to_head(races, K, J))
    kerr, jakob = c.sides
    assert c.last_meeting == pd.Timestamp("2024-08-06")
    assert (kerr.age, jakob.age) == (26, 23)
    assert kerr.born == pd.Timestamp("1997-10-08")


def test_without_athletes_csv_the_card_has_no_ages_and_nationality_from_the_races(races, tmp_path):
    c = card(races, empty_athletes(), head_to_head(races, K, J))
    kerr, jakob = c.sides
    assert (kerr.age, kerr.born, kerr.nat, jakob.nat) == (None, None, "GBR", "NOR")


def test_medals_are_global_championship_finals_placed_one_to_three(races):
    kerr, jakob = card(races, empty_athletes(), head_to_head(races, K, J)).sides
    assert list(zip(kerr.medals["date"].dt.year, kerr.medals["event"], kerr.medals["medal"])) == [
        (2021, "1500m", "bronze"), (2023, "1500m", "gold"), (2024, "3000m", "gold"), (2024, "1500m", "silver")]
    # Jakob: Tokyo gold and Budapest silver; neither the European title nor a semi-final counts
    assert jakob.medals["medal"].tolist() == ["gold", "silver"]


def test_bests_are_at_the_events_they_met_in_with_the_season_of_the_last_meeting(races):
    c = card(races, empty_athletes(), head_to_head(races, K, J))
    kerr, jakob = c.sides
    assert c.season == 2024
    assert kerr.bests["event"].tolist() == ["1500m"]  # they never met at 3000m
    assert (kerr.bests["pb"].iat[0], kerr.bests["sb"].iat[0]) == ("3:27.79", "3:27.79")
    assert (jakob.bests["pb"].iat[0], jakob.bests["sb"].iat[0]) == ("3:26.73", "3:26.73")  # Herculis, not a meeting
    assert (kerr.wins, jakob.wins) == (2, 2)


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path):
    write_csv(tmp_path / "races.csv", ROWS)
    (tmp_path / "athletes.csv").write_text(ATHLETES, encoding="utf-8")
    return tmp_path


def test_h2h_opens_with_the_card_side_by_side(runner, data):
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Head to head: Josh Kerr v Jakob Ingebrigtsen"
    row = {line.split("  ")[0]: line.split() for line in lines[3:12]}
    assert row["age on 2024-08-06"][-2:] == ["26", "23"]
    assert row["1500m PB (in this dataset)"][-4:] == ["3:27.79", "(2024)", "3:26.73", "(2024)"]
    assert "global medals (in this dataset)" in result.stdout
    assert "Josh Kerr, gold: WCh 2023 1500m, WIC 2024 3000m" in result.stdout
    assert result.stdout.index("Record") < result.stdout.index("Meetings")  # then the head to head, as before


def test_the_card_in_json(runner, data):
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "-f", "json", "--data", str(data)])
    out = json.loads(result.stdout)
    kerr = out["card"]["athletes"][K]
    assert (kerr["born"], kerr["age_at_last_meeting"], kerr["nat"]) == ("1997-10-08", 26, "GBR")
    assert [m["medal"] for m in kerr["medals"]] == ["bronze", "gold", "gold", "silver"]
    assert kerr["bests"][0]["pb"] == {"time": "3:27.79", "date": "2024-08-06", "meet": "Olympic Games"}
    assert out["card"]["complete"] is False
    assert out["wins"] == {K: 2, J: 2}  # the head to head's own keys stay


def test_a_dataset_marked_complete_drops_in_this_dataset(runner, data):
    (data / "athletes.csv").write_text(
        "athlete,born,complete\nJosh Kerr,1997-10-08,true\nJakob Ingebrigtsen,2000-09-19,yes\n", encoding="utf-8")
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert "in this dataset" not in result.stdout
    assert "1500m PB " in result.stdout


# --- athletes.csv ----------------------------------------------------------------------------


def test_athletes_csv_problems_are_named_with_their_lines(runner, data):
    (data / "athletes.csv").write_text(
        "athlete,born,nat\nJosh Kerr,08/10/1997,GBR\nJakob Ingebrigtsen,2000-09-19,Norway\n"
        "Josh Kerr,1997-10-08,GBR\n,2000-01-01,\nA Kid,2999-01-01,\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    path = data / "athletes.csv"  # named as given, like races.csv
    assert result.stdout.splitlines() == [
        f"{path}:2: born '08/10/1997' is not a date as YYYY-MM-DD",
        f"{path}:3: nat 'Norway' is not a three-letter country code in capitals, like NOR",
        f"{path}:4: Josh Kerr appears twice (also line 2)",
        f"{path}:5: missing athlete",
        f"{path}:6: born 2999-01-01 is in the future",
    ]


def test_a_broken_athletes_csv_stops_h2h_with_its_line(runner, data):
    (data / "athletes.csv").write_text("athlete,born\nJosh Kerr,1997-13-08\n", encoding="utf-8")
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(data)])
    assert result.exit_code == 1
    assert "error: athletes.csv:2: born '1997-13-08' is not a date as YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


def test_athletes_csv_needs_an_athlete_column(tmp_path):
    from miler.errors import DataError

    (tmp_path / "athletes.csv").write_text("name,born\nJosh Kerr,1997-10-08\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column: athlete"):
        read_athletes(tmp_path / "athletes.csv")


def test_validate_warns_of_names_races_csv_lacks_and_impossible_ages(runner, data):
    (data / "athletes.csv").write_text(
        "athlete,born\nJosh Kerr,2019-10-08\nJosh Ker,1997-10-08\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 0
    assert "warning: athletes.csv: Josh Ker is not in races.csv" in result.stderr
    assert "warning: athletes.csv: born 2019-10-08 makes Josh Kerr 1 on 2021-08-07" in result.stderr
    assert "athletes.csv: 2 athletes" in result.stdout


def test_the_shipped_athletes_are_sourced_and_cover_the_rivals(runner):
    from miler.dataset import load

    people = load().athletes.set_index("athlete")
    assert (people["source"] != "").all()
    assert people.loc[K, "born"] == pd.Timestamp("1997-10-08")
    assert people.loc[J, "born"] == pd.Timestamp("2000-09-19")
