"""The optional sex column: the men's and women's races of one meet are two races in every
command; it is checked, written back only when it holds values, and filtered with --sex."""

import csv
import io

import pytest

from conftest import SMALL, race, write_csv
from miler.analysis.filters import Filters, apply
from miler.cli import app
from miler.dataset.races import read_races
from miler.errors import DataError, NotFoundError
from miler.schema import BASE_COLUMNS

WITH_SEX = BASE_COLUMNS + ("sex",)
# One meet, one event, one day: a men's and a women's final, each with its own winner.
BOTH = ([dict(r, sex="M") for r in race("2024-06-01", "Bislett Games", "1500m",
                                        [("Abe Cole", "USA", 1, "3:30.00"), ("Ben Dale", "GBR", 2, "3:31.00")])]
        + [dict(r, sex="W") for r in race("2024-06-01", "Bislett Games", "1500m",
                                          [("Ann Lee", "NOR", 1, "3:58.00"), ("Bea Moss", "GBR", 2, "3:59.00")])])


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def both_dir(tmp_path):
    folder = tmp_path / "both"
    folder.mkdir()
    write_csv(folder / "races.csv", BOTH, WITH_SEX)
    return folder


def test_the_mens_and_womens_final_of_one_meet_are_two_races(both_dir):
    races, warnings = read_races(both_dir / "races.csv")
    assert warnings == [] and races["race_id"].nunique() == 2
    assert races.groupby("race_id")["sex"].nunique().max() == 1


def test_without_the_column_the_same_rows_would_be_one_race_and_refused(tmp_path):
    with pytest.raises(DataError, match="disagrees with the times"):
        read_races(write_csv(tmp_path / "races.csv", BOTH))


@pytest.mark.parametrize("written, code", [("M", "M"), ("male", "M"), ("Men", "M"), ("W", "W"), ("F", "W"),
                                           ("female", "W"), ("women", "W"), ("", "")])
def test_sex_is_read_in_its_spellings(tmp_path, written, code):
    rows = [dict(r, sex=written) for r in SMALL[:3]]
    races, _ = read_races(write_csv(tmp_path / "races.csv", rows, WITH_SEX))
    assert set(races["sex"]) == {code}


def test_a_sex_that_is_neither_is_a_problem_with_its_line(tmp_path):
    rows = [dict(SMALL[0], sex="X")] + [dict(r, sex="M") for r in SMALL[1:3]]
    with pytest.raises(DataError) as exc:
        read_races(write_csv(tmp_path / "races.csv", rows, WITH_SEX))
    assert "races.csv:2: sex 'X' is not M or W (men, women)" in [str(p) for p in exc.value.problems]


def test_an_export_writes_sex_only_where_the_dataset_has_it(runner, both_dir, small_dir):
    with_sex = list(csv.DictReader(io.StringIO(run(runner, "export", "--data", both_dir).stdout)))
    assert [r["sex"] for r in with_sex] == ["M", "M", "W", "W"]
    without = list(csv.DictReader(io.StringIO(run(runner, "export", "--data", small_dir).stdout)))
    assert "sex" not in without[0]


def test_the_sex_filter_keeps_one_sexs_races(runner, both_dir):
    result = run(runner, "athletes", "--data", both_dir, "--sex", "women", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "Ann Lee" in result.stdout and "Bea Moss" in result.stdout
    assert "Abe Cole" not in result.stdout and "Ben Dale" not in result.stdout


def test_the_sex_filter_on_a_dataset_that_does_not_say_matches_nothing(small_dir):
    races, _ = read_races(small_dir / "races.csv")
    assert apply(races, Filters(sex="M")).empty
    assert Filters(sex="w").describe() == "women"
    with pytest.raises(NotFoundError, match="unknown sex 'x'"):
        apply(races, Filters(sex="x"))


def test_an_unknown_sex_is_refused_before_loading(runner, small_dir):
    result = run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "--sex", "x")
    assert result.exit_code == 2 and "unknown sex 'x'" in result.stderr  # a usage error, like --level


def test_commands_show_the_sex_where_the_dataset_holds_men_and_women(runner, both_dir):
    events = list(csv.DictReader(io.StringIO(run(runner, "events", "--data", both_dir, "-f", "csv").stdout)))
    assert [(e["event"], e["sex"], e["races"]) for e in events] == [("1500m", "M", "1"), ("1500m", "W", "1")]
    meet = run(runner, "meet", "bislett", "--data", both_dir).stdout
    assert "Bislett Games — men's 1500m final" in meet and "Bislett Games — women's 1500m final" in meet
    alone = list(csv.DictReader(io.StringIO(run(runner, "events", "--data", both_dir, "--sex", "W", "-f", "csv").stdout)))
    assert "sex" not in alone[0]  # one sex left: no column to tell them apart
