"""One rule for "nothing found", in every command and every format: a one-line message on stderr
that says what was asked for, nothing on stdout, exit 1 — never an empty table, "0 – 0" or []."""

import pytest
from conftest import QUOTE, SMALL, race, write_csv, write_dataset

from miler.cli import app

FORMATS = ("table", "csv", "json", "markdown")

NOTHING = [
    ["h2h", "kerr", "jakob", "--year", "2019"],
    ["h2h", "kerr", "filip"],  # Kerr did not start at Bislett: they never met
    ["h2h", "filip", "henrik", "kerr", "--event", "1500m"],
    ["gaps", "kerr", "jakob", "--event", "Mile", "--round", "heat"],
    ["gaps", "kerr", "filip"],
    ["gaps", "bislett", "--event", "Mile"],
    ["meet", "paris", "--event", "5000m"],
    ["meet", "paris", "--round", "semi"],
    ["meet", "nowhere"],
    ["meets", "--year", "2019"],
    ["athletes", "--level", "olympics"],
    ["events", "--since", "2025-01-01"],
    ["rivals", "kerr", "--min", "9"],
    ["rivals", "kerr", "--level", "olympics"],
    ["timeline", "kerr", "filip"],
    ["quotes", "--speaker", "kerr"],
    ["quotes", "--topic", "nothing-like-this"],
    ["progression", "kerr", "--event", "5000m"],
    ["progression", "kerr", "--season", "2019"],
    ["progression", "henrik"],  # a DNF: no marks
    ["progression", "kerr", "--as", "mile", "--indoor"],
    ["rank", "--year", "2019"],
    ["rank", "--history", "kerr", "--event", "5000m"],
    ["athlete", "nobody"],
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("nothing"), SMALL, QUOTE)


def check(result, args):
    assert result.exit_code == 1, (args, result.exit_code, result.stdout, result.stderr)
    assert result.stdout == "", (args, result.stdout)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("note: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", NOTHING, ids=" ".join)
def test_nothing_found_is_a_message_and_exit_1_in_every_format(runner, data, args, fmt):
    check(runner.invoke(app, [*args, "--data", str(data), "--format", fmt]), args)


@pytest.mark.parametrize("fmt", ("csv", "json"))
def test_an_export_of_nothing_is_a_message_and_exit_1(runner, data, fmt):
    check(runner.invoke(app, ["export", "--athlete", "kerr", "--year", "2019", "--data", str(data), "-f", fmt]),
          ["export"])


@pytest.mark.parametrize("command", (["athletes"], ["events"], ["rank"]))
def test_a_dataset_of_non_starters_has_no_athletes_events_or_ratings(runner, tmp_path, command):
    write_csv(tmp_path / "races.csv", race("2024-06-01", "Bislett Games", "1500m",
                                           [("Josh Kerr", "GBR", "", "DNS"), ("Jakob Ingebrigtsen", "NOR", "", "DNS")]))
    for fmt in FORMATS:
        check(runner.invoke(app, [*command, "--data", str(tmp_path), "-f", fmt]), command)
