"""The command line: exit codes, stdout for data and stderr for messages, every format parsed back."""

import csv
import io
import json


from miler import __version__
from miler.cli import app


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"miler {__version__}"


def test_h2h_table_has_the_record_and_every_meeting(runner, small_dir):
    result = run(runner, "h2h", "kerr", "jakob", "--data", small_dir)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # Budapest final and Eugene mile to Kerr; Budapest semi and Paris (Kerr DNF) to Ingebrigtsen; Oslo DNS no meeting
    assert "Josh Kerr 2 – 2 Jakob Ingebrigtsen" in out
    assert "Bislett" not in out
    assert "-0.27" in out and "Meeting de Paris" in out
    assert result.stderr == ""


def test_h2h_json_keeps_its_contract(runner, small_dir):
    result = run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "--format", "json")
    data = json.loads(result.stdout)
    assert data["athletes"] == ["Josh Kerr", "Jakob Ingebrigtsen"]
    assert data["wins"] == {"Josh Kerr": 2, "Jakob Ingebrigtsen": 2}
    assert [m["date"] for m in data["meetings"]] == ["2023-08-20", "2023-08-23", "2024-05-25", "2024-07-01"]
    final = data["meetings"][1]
    assert final["winner"] == "Josh Kerr" and final["gap"] == -0.27 and final["round"] == "final"
    assert data["meetings"][3]["winner"] == "Jakob Ingebrigtsen" and data["meetings"][3]["gap"] is None


def test_h2h_gap_flips_sign_when_the_athletes_swap(runner, small_dir):
    one = json.loads(run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "-f", "json").stdout)
    two = json.loads(run(runner, "h2h", "jakob", "kerr", "--data", small_dir, "-f", "json").stdout)
    assert [m["gap"] for m in one["meetings"]] == [None if g is None else -g for g in (m["gap"] for m in two["meetings"])]
    assert one["wins"] == two["wins"]


def test_h2h_csv_and_markdown(runner, small_dir):
    rows = list(csv.DictReader(io.StringIO(run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "-f", "csv").stdout)))
    assert len(rows) == 4 and rows[1]["gap"] == "-0.27"
    md = run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "-f", "markdown").stdout
    assert "| 2023-08-23 | World Championships | 1500m | final | 3:29.38 (1) | 3:29.65 (2) | Kerr | -0.27 |" in md


def test_an_ambiguous_surname_goes_ahead_with_a_note_on_stderr(runner, small_dir):
    result = run(runner, "h2h", "kerr", "ingebrigtsen", "--data", small_dir, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["athletes"][1] == "Jakob Ingebrigtsen"
    assert "also matches" in result.stderr and "Henrik Ingebrigtsen" in result.stderr


def test_an_unknown_athlete_exits_1_with_a_suggestion_and_no_traceback(runner, small_dir):
    result = run(runner, "h2h", "kerr", "ingebrigsten", "--data", small_dir)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no athlete matches 'ingebrigsten'; did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_h2h_needs_exactly_two_names_a_usage_error(runner, small_dir):
    result = run(runner, "h2h", "kerr", "--data", small_dir)
    assert result.exit_code == 2


def test_the_same_athlete_twice_is_an_error(runner, small_dir):
    result = run(runner, "h2h", "kerr", "josh", "--data", small_dir)
    assert result.exit_code == 1 and "do not name different athletes" in result.stderr


def test_validate_summarises_a_good_dataset(runner, small_dir):
    result = run(runner, "validate", "--data", small_dir)
    assert result.exit_code == 0
    assert "13 rows, 5 races, 5 athletes" in result.stdout


def test_validate_lists_every_problem_and_exits_1(runner, small_dir):
    path = small_dir / "races.csv"
    text = path.read_text().replace("3:29.38", "3:29:38").replace("2024-05-25", "2024-05-32")
    path.write_text(text)
    result = run(runner, "validate", "--data", small_dir)
    assert result.exit_code == 1
    assert "impossibly slow for 1500m" in result.stdout
    assert "2024-05-32" in result.stdout


def test_a_bad_dataset_stops_any_command_with_file_and_line(runner, small_dir):
    path = small_dir / "races.csv"
    path.write_text(path.read_text().replace("3:29.65", "3:6x.65"))
    result = run(runner, "h2h", "kerr", "jakob", "--data", small_dir)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: races.csv:3: mark '3:6x.65'")


def test_a_missing_data_folder_is_a_message(runner, tmp_path):
    result = run(runner, "h2h", "kerr", "jakob", "--data", tmp_path / "nope")
    assert result.exit_code == 1 and "no such file or folder" in result.stderr


def test_miler_data_environment_variable(runner, small_dir, monkeypatch):
    monkeypatch.setenv("MILER_DATA", str(small_dir))
    result = run(runner, "h2h", "kerr", "jakob", "-f", "json")
    assert json.loads(result.stdout)["wins"]["Josh Kerr"] == 2
