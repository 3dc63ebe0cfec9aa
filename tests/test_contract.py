"""The command line's contract (DESIGN, "Command-line conventions"): bad option values are usage
errors that name the valid choices; every option changes the answer or is refused; nothing
found is a message and exit 1; a bug is one line and exit 70; validate speaks the compiler
convention."""

import json
import os
import pty
import subprocess
import sys

import pytest

from conftest import SMALL, write_csv
from miler.cli import app


@pytest.fixture
def miler(runner, small_dir):
    def run(*args, data=small_dir):
        return runner.invoke(app, [str(a) for a in args] + ["--data", str(data)])

    return run


USAGE = [
    (["athletes", "--level", "dl"], "unknown level 'dl'", "diamond-league"),
    (["h2h", "kerr", "jakob", "--as", "800m"], "--as converts between the 1500m and the mile", "1500m or mile"),
    (["h2h", "kerr", "jakob", "--year", "0"], "0 is not in the range", "1896"),
    (["rank", "--top", "-3"], "-3 is not in the range", "x>=0"),
    (["rivals", "kerr", "--min", "-1"], "-1 is not in the range", "x>=1"),
    (["athlete", "kerr", "--min", "0"], "0 is not in the range", "x>=1"),
    (["progression", "kerr", "--plot", "--format", "json"], "--plot draws a chart in the terminal", "no --format"),
    (["progression", "kerr", "--plot", "--season", "2024"], "--plot charts season bests across years", "--season"),
    (["progression", "kerr", "jakob", "--season", "2024"], "--season takes one athlete", ""),
    (["rank", "--plot"], "--plot charts one athlete's rating", "--history"),
    (["rank", "--history", "kerr", "--top", "5"], "--top lists the ratings table", "--history"),
    (["meets", "--since", "2024-06-01", "--until", "2024-01-01"], "--since 2024-06-01 is after --until 2024-01-01", ""),
    (["export", "--force"], "--force replaces an output file", "-o FILE"),
    (["h2h", "kerr", "jakob", "--format", "xml"], "'xml' is not one of", "markdown"),
]


@pytest.mark.parametrize("args, message, choices", USAGE, ids=[" ".join(a) for a, _, _ in USAGE])
def test_a_bad_option_value_is_a_usage_error_that_names_what_is_valid(miler, args, message, choices):
    result = miler(*args)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert "Usage: miler" in result.stderr
    assert message in result.stderr and choices in result.stderr


def test_round_applies_to_the_gaps_between_two_athletes(miler):
    everything = json.loads(miler("gaps", "kerr", "jakob", "-f", "json").stdout)
    finals = json.loads(miler("gaps", "kerr", "jakob", "--round", "final", "-f", "json").stdout)
    assert {g["round"] for g in everything["gaps"]} == {"final", "semi-final 1"}
    assert {g["round"] for g in finals["gaps"]} == {"final"}
    semis = json.loads(miler("gaps", "kerr", "jakob", "--round", "sf", "-f", "json").stdout)
    assert {g["round"] for g in semis["gaps"]} == {"semi-final 1"}


NOTHING = [
    (["h2h", "nordas", "filip"], "Narve Gilje Nordås and Filip Ingebrigtsen have not met in these races"),
    (["h2h", "kerr", "jakob", "--event", "Mile", "--level", "worlds"], "no results match event Mile, level worlds"),
    (["gaps", "kerr", "jakob", "--round", "heat"], "have not both finished a race"),
    (["h2h", "nordas", "filip", "henrik"], "have not met in these races"),
]


@pytest.mark.parametrize("args, message", NOTHING, ids=[" ".join(a) for a, _ in NOTHING])
def test_nothing_found_is_a_message_and_exit_1_in_every_command(miler, args, message):
    result = miler(*args)
    assert result.exit_code == 1 and result.stdout == ""
    assert message in result.stderr and result.stderr.splitlines()[-1].startswith("error: ")


def test_a_bug_is_one_line_and_exit_70_and_the_traceback_only_on_request(miler, monkeypatch):
    import miler.analysis.h2h as h2h

    def broken(*args, **kwargs):
        raise ValueError("Buffer dtype mismatch")

    monkeypatch.setattr(h2h, "head_to_head", broken)
    result = miler("h2h", "kerr", "jakob")
    assert result.exit_code == 70 and result.stdout == ""
    assert result.stderr == ("miler: internal error (ValueError: Buffer dtype mismatch) — please report it with "
                             "the command you ran\n")
    monkeypatch.setenv("MILER_DEBUG", "1")
    debug = miler("h2h", "kerr", "jakob")
    assert debug.exit_code == 70 and "Traceback" in debug.stderr and "Buffer dtype mismatch" in debug.stderr


def test_a_note_about_other_matches_is_printed_only_when_the_command_uses_the_name(miler):
    result = miler("gaps", "ingebrigtsen", "paris")  # not two athletes: a meet query, which fails
    assert result.exit_code == 1
    assert "note: taking" not in result.stderr and "no meet matches 'ingebrigtsen paris'" in result.stderr


# --- validate speaks the compiler convention ---------------------------------------------------


@pytest.fixture
def two_problems(tmp_path):
    folder = tmp_path / "my-results"
    folder.mkdir()
    rows = [dict(SMALL[0], time="3:61.00"), dict(SMALL[1], date="2023-13-01")] + SMALL[2:]
    write_csv(folder / "races.csv", rows)
    return folder


def test_validate_without_a_terminal_prints_path_line_problem(runner, two_problems):
    result = runner.invoke(app, ["validate", "--data", str(two_problems)])
    assert result.exit_code == 1
    path = two_problems / "races.csv"
    assert result.stdout.splitlines() == [
        f"{path}:2: mark '3:61.00': 61 is not a valid number of minutes or seconds",
        f"{path}:3: date '2023-13-01' is not a date as YYYY-MM-DD",
    ]


def test_validate_names_the_path_as_the_user_gave_it(runner, two_problems):
    os.chdir(two_problems.parent)
    result = runner.invoke(app, ["validate", "--data", "my-results"])
    assert result.stdout.splitlines()[0].startswith("my-results/races.csv:2: mark")


def test_validate_json_is_a_list_of_file_line_problem(runner, two_problems):
    result = runner.invoke(app, ["validate", "--data", str(two_problems), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(p["line"], p["problem"][:8]) for p in data] == [(2, "mark '3:"), (3, "date '20")]
    assert data[0]["file"] == str(two_problems / "races.csv")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_validate_on_a_terminal_shows_a_table(two_problems):
    """Through a pseudo-terminal, as a user at a shell sees it."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: miler on the terminal
        os.execv(sys.executable, [sys.executable, "-m", "miler", "validate", "--data", str(two_problems)])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode()
    assert os.waitstatus_to_exitcode(status) == 1
    assert "2 problems found" in text and "line" in text and "problem" in text


def test_validate_in_a_pipeline_is_grep_friendly(two_problems):
    done = subprocess.run([sys.executable, "-m", "miler", "validate", "--data", str(two_problems)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert all(line.startswith(f"{two_problems}/races.csv:") for line in done.stdout.splitlines())
