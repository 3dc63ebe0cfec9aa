"""Bad input never crashes miler or loses data (issue 5).

A user points miler at a CSV saved by a spreadsheet, a YAML file edited by hand, a half-written
file; types names wrong; pipes into head; presses Ctrl-C during an export. Each case here gets a
clear message (file, line, what is wrong), the right exit code, no traceback, and no lost or
half-written file. Cases marked "crashed before" raised a Python exception before issue 5.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import QUOTE, SMALL, race, write_csv
from miler.cli import app, main
from miler.errors import DataError
from miler.dataset.quotes import read_quotes
from miler.dataset.races import read_races
from miler.dataset.rules import MAX_PROBLEMS
from miler.schema import BASE_COLUMNS
from miler.marks import STATUSES, Mark, MarkError, check_plausible, normalise_event, parse_mark

FUZZ = int(os.environ.get("MILER_FUZZ_EXAMPLES", "0"))


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def failed_cleanly(result, *fragments):
    """Exit 1, nothing on stdout, a message on stderr naming each fragment, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for f in fragments:
        assert f in result.stderr, (f, result.stderr)
    return result.stderr


def dataset(tmp_path, content: str | bytes):
    """A folder whose races.csv holds exactly content."""
    path = tmp_path / "races.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return tmp_path


def small_text(**kw) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(kw.pop("columns", BASE_COLUMNS)), extrasaction="ignore",
                       delimiter=kw.pop("delimiter", ","), lineterminator="\n")
    w.writeheader()
    w.writerows(kw.pop("rows", SMALL))
    return buf.getvalue()


def h2h_json(runner, folder):
    result = run(runner, "h2h", "kerr", "jakob", "--data", folder, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


EXPECTED_WINS = {"Josh Kerr": 2, "Jakob Ingebrigtsen": 2}


# --- CSV: files as spreadsheets and editors save them ----------------------------------------


def test_a_missing_required_column_is_named_on_line_1(runner, tmp_path):
    folder = dataset(tmp_path, small_text(columns=("date", "meet", "athlete", "time")))
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder),
                   "error: races.csv:1: missing column: event")


def test_an_unknown_extra_column_is_a_warning_and_the_rest_loads(runner, tmp_path):
    rows = [dict(r, wind="+0.3") for r in SMALL]
    folder = dataset(tmp_path, small_text(columns=BASE_COLUMNS + ("wind",), rows=rows))
    data, stderr = h2h_json(runner, folder)
    assert data["wins"] == EXPECTED_WINS
    assert "warning: races.csv:1: unknown column ignored: wind" in stderr


def test_a_semicolon_delimited_file_loads_with_a_warning(runner, tmp_path):
    data, stderr = h2h_json(runner, dataset(tmp_path, small_text(delimiter=";")))
    assert data["wins"] == EXPECTED_WINS
    assert "fields are separated by ';'" in stderr


def test_a_tab_separated_utf16_file_as_excel_saves_unicode_text_loads(runner, tmp_path):
    folder = dataset(tmp_path, small_text(delimiter="\t").encode("utf-16"))
    data, _ = h2h_json(runner, folder)
    assert data["wins"] == EXPECTED_WINS


def test_utf8_with_a_bom_loads_without_a_warning(runner, tmp_path):
    folder = dataset(tmp_path, small_text().encode("utf-8-sig"))
    data, stderr = h2h_json(runner, folder)
    assert data["wins"] == EXPECTED_WINS
    assert "warning" not in stderr
    races, warnings = read_races(folder / "races.csv")
    assert warnings == [] and races["date"].notna().all()


def test_latin1_bytes_load_with_a_warning_and_the_right_letters(runner, tmp_path):
    folder = dataset(tmp_path, small_text().encode("latin-1"))
    races, warnings = read_races(folder / "races.csv")
    assert "Narve Gilje Nordås" in set(races["athlete"])
    assert warnings == ["races.csv: not UTF-8; read as Latin-1 (save it as UTF-8 to be sure)"]


def test_latin1_bytes_far_into_a_file_load_too(tmp_path):
    """Crashed before (UnicodeDecodeError): the encoding was guessed from the first 64 KiB only."""
    filler = [dict(SMALL[0], meet=f"Meet {i}", date="2020-01-01") for i in range(3000)]
    folder = dataset(tmp_path, small_text(rows=filler + SMALL).encode("latin-1"))
    races, warnings = read_races(folder / "races.csv")
    assert "Narve Gilje Nordås" in set(races["athlete"]) and len(races) == 3000 + len(SMALL)
    assert any("read as Latin-1" in w for w in warnings)


def test_blank_lines_whitespace_lines_and_empty_spreadsheet_rows_are_skipped(runner, tmp_path):
    lines = small_text().splitlines(keepends=True)
    text = lines[0] + "\n" + lines[1] + "   \n" + ",,,,,,,,,,,,,\n" + "".join(lines[2:]) + "\n\n"
    folder = dataset(tmp_path, text)
    data, _ = h2h_json(runner, folder)
    assert data["wins"] == EXPECTED_WINS
    # and line numbers still point at the right line
    (folder / "races.csv").write_text(text.replace("3:29.65", "3:2x.65"))
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder), "error: races.csv:6: mark '3:2x.65'")


def test_quoted_commas_in_a_meet_name_stay_in_the_name(tmp_path):
    rows = [dict(r, meet="Meeting de Paris, Stade Charléty") if r["meet"] == "Meeting de Paris" else r for r in SMALL]
    races, _ = read_races(dataset(tmp_path, small_text(rows=rows)) / "races.csv")
    assert "Meeting de Paris, Stade Charléty" in set(races["meet"])


def test_an_unquoted_comma_is_named_with_its_line_not_shifted_into_other_columns(runner, tmp_path):
    """Crashed before (KeyError) when every row had extra values; misreported one extra value
    as a bad date, because pandas took the first column for an index."""
    text = small_text().replace("Meeting de Paris", "Meeting de Paris, Charléty", 1)
    folder = dataset(tmp_path, text)
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder),
                   "error: races.csv:13: 15 values but the header names 14 columns")
    (folder / "races.csv").write_text("date,meet,event,athlete,time\n" + "a,b,c,d,e,f,g\n" * 5)
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder), "races.csv:2: 7 values but the header names 5")


def test_an_unclosed_quote_is_named_with_its_line(runner, tmp_path):
    text = small_text().replace("Bislett Games", '"Bislett Games', 1)
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", dataset(tmp_path, text)),
                   'error: races.csv:10: a double quote (") opens a value here that never closes')


def test_a_header_only_file_loads_empty_with_a_warning_and_commands_say_so(runner, tmp_path):
    folder = dataset(tmp_path, ",".join(BASE_COLUMNS) + "\n")
    races, warnings = read_races(folder / "races.csv")
    assert races.empty and list(races.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert warnings == ["races.csv: no results, only a header"]
    failed_cleanly(run(runner, "export", "--data", folder), "warning: races.csv: no results, only a header",
                   "error: nothing to export: the dataset has no results")
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder), "error: no athlete matches 'kerr'")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_is_an_error(runner, tmp_path, content):
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", dataset(tmp_path, content)),
                   "error: races.csv: the file is empty")


@pytest.mark.parametrize("content, message", [
    (bytes(range(256)) * 40, "this is a binary file, not CSV text"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "this is a spreadsheet workbook, not CSV text"),
])
def test_a_binary_file_is_an_error(runner, tmp_path, content, message):
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", dataset(tmp_path, content)), message)


def _garbage_file(path, size, *, header="date,meet,event,athlete,time\n", alphabet="abcdefghij ;:.0123456789-=@'"):
    rnd = random.Random(5)
    lines = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(10, 120))) for _ in range(5000)]
    block = ("\n".join(lines) + "\n").encode()
    with open(path, "wb") as f:
        f.write(header.encode())
        written = len(header)
        while written < size:
            f.write(block)
            written += len(block)
    return path


@pytest.mark.parametrize("alphabet", ["abcdefghij ;:.0123456789-=@'", "abc0123:-.,,,,,", 'abc "x", 1:2'])
def test_100mb_of_garbage_fails_fast_with_a_bounded_number_of_problems(runner, tmp_path, alphabet):
    path = _garbage_file(tmp_path / "races.csv", 100_000_000, alphabet=alphabet)
    try:
        start = time.monotonic()
        with pytest.raises(DataError) as exc:
            read_races(path)
        elapsed = time.monotonic() - start
        assert elapsed < 20, elapsed  # ~0.5 s here: one chunk, not the whole file
        problems = exc.value.problems
        assert 1 <= len(problems) <= MAX_PROBLEMS + 1
        assert all(str(p).startswith("races.csv:") for p in problems)
        stderr = failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", tmp_path))
        assert len(stderr.splitlines()) <= MAX_PROBLEMS + 2
    finally:
        path.unlink()


def test_a_garbage_file_says_where_it_stopped_reading(tmp_path):
    path = _garbage_file(tmp_path / "races.csv", 10_000_000)
    with pytest.raises(DataError) as exc:
        read_races(path)
    last = str(exc.value.problems[-1])
    assert last.startswith("races.csv:100001: stopped reading here:") and "fix these and run again" in last
    assert exc.value.total > 100_000


def test_a_file_of_garbage_without_a_header_is_one_problem(tmp_path):
    path = _garbage_file(tmp_path / "races.csv", 1_000_000, header="")
    with pytest.raises(DataError) as exc:
        read_races(path)
    assert [p.line for p in exc.value.problems] == [1] and "missing columns" in str(exc.value.problems[0])


def test_an_unreadable_file_is_a_message(runner, tmp_path, monkeypatch):
    """Crashed before (PermissionError traceback)."""
    import builtins

    import miler.dataset.csvfile

    folder = dataset(tmp_path, small_text())

    def no_permission(path, *args, **kwargs):
        if str(path).endswith("races.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(miler.dataset.csvfile, "open", no_permission, raising=False)
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder),
                   "error: races.csv: cannot read this file: Permission denied")


def test_a_value_over_128_kib_does_not_stop_problems_being_located(runner, tmp_path):
    """Crashed before (csv.Error: field larger than field limit) when a later row had a problem."""
    rows = [dict(SMALL[0], note="x" * 200_000)] + SMALL[1:4] + [dict(SMALL[4], time="abc")] + SMALL[5:]
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", dataset(tmp_path, small_text(rows=rows))),
                   "error: races.csv:6: mark 'abc'")


# --- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, message", [
    ({"date": "2024-13-01"}, "races.csv:2: date '2024-13-01' is not a date as YYYY-MM-DD"),
    ({"date": "25/05/2024"}, "races.csv:2: date '25/05/2024' is not a date as YYYY-MM-DD"),
    ({"time": "3:61.00"}, "races.csv:2: mark '3:61.00': 61 is not a valid number of minutes or seconds"),
    ({"time": "abc"}, "races.csv:2: mark 'abc' is not a time"),
    ({"time": "3:29:38"}, "races.csv:2: time 3:29:38: 3:29:38.00 is impossibly slow for 1500m"),
    ({"time": "-3:29.38"}, "races.csv:2: mark '-3:29.38' is negative"),
    ({"time": "٣:٢٩.٣٨"}, "races.csv:2: mark '٣:٢٩.٣٨' is not a time"),  # was read as 3:29.38 before
    ({"time": "9" * 400}, "races.csv:2: mark '" + "9" * 40 + "…' is not a time"),  # crashed before (OverflowError)
    ({"place": "first"}, "races.csv:2: place 'first' is not a whole number from 1"),
    ({"place": "1.5"}, "races.csv:2: place '1.5' is not a whole number from 1"),
    ({"place": "99999999999999999999999"}, "races.csv:2: place '99999999999999999999999' is too large"),  # crashed before
    ({"time": "3:29.90"}, "races.csv:3: place 2 disagrees with the times: 3:29.65 is not behind"),
    ({"place": "", "time": "DNF", "athlete": "Jakob Ingebrigtsen"}, "races.csv:3: Jakob Ingebrigtsen appears twice in one race (also line 2)"),
    ({"place": "1", "time": "DNF"}, "races.csv:2: DNF with a place (1): a non-finisher has no place"),
])
def test_each_bad_value_stops_a_command_with_file_line_and_what_is_wrong(runner, tmp_path, change, message):
    rows = [dict(SMALL[0], **change)] + SMALL[1:]
    folder = dataset(tmp_path, small_text(rows=rows))
    failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", folder), "error: " + message)
    result = run(runner, "validate", "--data", folder)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr


def test_a_very_long_bad_value_is_cut_short_in_the_message(runner, tmp_path):
    rows = [dict(SMALL[0], date="x" * 100_000)] + SMALL[1:]
    stderr = failed_cleanly(run(runner, "h2h", "kerr", "jakob", "--data", dataset(tmp_path, small_text(rows=rows))))
    assert len(stderr) < 300 and "xxxx…' is not a date" in stderr


# --- YAML --------------------------------------------------------------------------------------



def quotes_dir(tmp_path, text):
    (tmp_path / "quotes.yaml").write_text(text)
    return dataset(tmp_path, small_text())


@pytest.mark.parametrize("text, message", [
    (QUOTE + "- date: [unclosed\n", "error: quotes.yaml:9: YAML error"),
    (QUOTE.replace("  text: I would have beaten him in that race, blindfolded.\n", ""), "error: quotes.yaml:1: missing 'text'"),
    (QUOTE.replace("2024-02-15", "15 Feb 2024"), "error: quotes.yaml:1: date '15 Feb 2024' is not a date as YYYY-MM-DD"),
    # crashed before (ValueError from PyYAML's date constructor):
    (QUOTE.replace("2024-02-15", "2024-02-30"), "error: quotes.yaml:1: date '2024-02-30' is not a date as YYYY-MM-DD"),
    (QUOTE.replace("speaker: Jakob", "speaker: !!int Jakob"), "error: quotes.yaml:2: YAML error: 'Jakob Ingebrigtsen' is not a valid int"),
    (QUOTE.replace("  occasion: TV2\n", "  occasion: TV2\n  occasion: NRK\n"), "error: quotes.yaml:5: YAML error: key 'occasion' appears twice"),
    (QUOTE.replace("blindfolded.", "blindfolded.\n  text: yes"), "quotes.yaml:6: YAML error: key 'text' appears twice"),
    (QUOTE.replace("I would have beaten him in that race, blindfolded.", "yes"),
     "error: quotes.yaml:1: 'text' must be text (it reads as True: put it in quotes)"),
    (QUOTE + "- just a line of text\n", "error: quotes.yaml:8: a quote must be keys and values"),
    ("[" * 1500 + "]" * 1500, "error: quotes.yaml: YAML error: nested too deeply"),
])
def test_bad_quotes_are_named_with_their_line(runner, tmp_path, text, message):
    failed_cleanly(run(runner, "quotes", "--data", quotes_dir(tmp_path, text)), message)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:builtins.open [{marker}, w]",
    "!!python/object/new:builtins.open [{marker}, w]",
    "!!python/object:builtins.open {{file: {marker}, mode: w}}",
    "!!python/name:builtins.open",
    "!!python/module:os",
])
def test_a_hostile_yaml_document_is_refused_and_never_executed(runner, tmp_path, tag):
    marker = tmp_path / "executed"
    hostile = f"- date: 2024-02-15\n  speaker: {tag.format(marker=marker)}\n  text: hi\n"
    folder = quotes_dir(tmp_path, hostile)
    failed_cleanly(run(runner, "quotes", "--data", folder), "error: quotes.yaml:2: YAML error: the tag !!python/",
                   "is refused")
    validate = run(runner, "validate", "--data", folder)
    assert validate.exit_code == 1 and "is refused" in validate.stdout
    assert not marker.exists()


# --- names and queries ---------------------------------------------------------------------------


def test_an_unknown_athlete_suggests_the_closest_names(runner, small_dir):
    failed_cleanly(run(runner, "h2h", "kerr", "ingebrigsten", "--data", small_dir),
                   "error: no athlete matches 'ingebrigsten'; did you mean Jakob Ingebrigtsen")
    failed_cleanly(run(runner, "export", "-a", "kur", "--data", small_dir), "no athlete matches 'kur'")


def test_an_ambiguous_surname_takes_the_athlete_with_most_results_and_says_so(runner, small_dir):
    result = run(runner, "h2h", "kerr", "ingebrigtsen", "--data", small_dir, "-f", "json")
    assert json.loads(result.stdout)["athletes"][1] == "Jakob Ingebrigtsen"
    assert "note: taking Jakob Ingebrigtsen; also matches Filip Ingebrigtsen, Henrik Ingebrigtsen" in result.stderr


def test_an_ambiguous_prefix_lists_the_candidates(runner, small_dir):
    failed_cleanly(run(runner, "h2h", "nordas", "j", "--data", small_dir),
                   "'j' is ambiguous: it could be", "Josh Kerr", "Jakob Ingebrigtsen", "type more of the name")


@pytest.mark.parametrize("args, named", [
    (["export", "--year", "2019"], "year 2019"),
    (["export", "--event", "800m", "--indoor"], "event 800m, indoor"),
    (["meets", "--level", "olympics"], "level olympics"),
    (["h2h", "kerr", "jakob", "--since", "2025-01-01"], "since 2025-01-01"),
])
def test_an_empty_filter_result_is_a_message_naming_the_filters(runner, small_dir, args, named):
    failed_cleanly(run(runner, *args, "--data", small_dir), named)


def test_a_meet_query_that_matches_nothing_is_a_message(runner, small_dir):
    failed_cleanly(run(runner, "meet", "nowhere 1999", "--data", small_dir), "no meet matches 'nowhere 1999'")


def test_an_unknown_level_is_a_usage_error_listing_the_levels(runner, small_dir):
    result = run(runner, "export", "--level", "galactic", "--data", small_dir)
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown level 'galactic'" in result.stderr and "diamond-league" in result.stderr


# --- output: files written whole or not at all, pipes, Ctrl-C --------------------------------------


def test_export_onto_an_existing_file_without_force_refuses_and_leaves_it_untouched(runner, small_dir, tmp_path):
    out = tmp_path / "mine.csv"
    out.write_bytes(b"my own work\n")
    before = out.stat()
    failed_cleanly(run(runner, "export", "--data", small_dir, "-o", out), "already exists; use --force")
    assert out.read_bytes() == b"my own work\n" and out.stat().st_mtime_ns == before.st_mtime_ns


def _interrupted_writer(monkeypatch, exc):
    import miler.dataset.write

    real = miler.dataset.write.write_races

    def write_then_fail(frame, out, fmt="csv"):
        real(frame.head(3), out, fmt)  # part of the file is written …
        out.flush()
        raise exc  # … and then something goes wrong

    monkeypatch.setattr(miler.dataset.write, "write_races", write_then_fail)


@pytest.mark.parametrize("existing", [False, True])
def test_an_export_interrupted_mid_write_leaves_no_partial_file(runner, small_dir, tmp_path, monkeypatch, existing):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "x.csv"
    if existing:
        out.write_text("old\n")
    _interrupted_writer(monkeypatch, RuntimeError("simulated crash in the writer"))
    result = run(runner, "export", "--data", small_dir, "-o", out, "--force")
    assert result.exit_code == 70  # a bug in miler: one line, no traceback, nothing left behind
    assert "miler: internal error (RuntimeError: simulated crash in the writer)" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out_dir.iterdir()] == (["x.csv"] if existing else [])
    if existing:
        assert out.read_text() == "old\n"


def test_a_full_disk_is_a_message_and_leaves_no_partial_file(runner, small_dir, tmp_path, monkeypatch):
    import errno

    _interrupted_writer(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    out = tmp_path / "out.csv"
    failed_cleanly(run(runner, "export", "--data", small_dir, "-o", out),
                   "out.csv: could not be written (No space left on device); nothing was written")
    assert not out.exists() and not list(tmp_path.glob(".out.csv.*"))


def _many_meetings(folder, n=3000):
    rows = []
    for i in range(n):
        day = f"{2000 + i // 300}-{1 + i // 25 % 12:02d}-{1 + i % 25:02d}"
        rows += race(day, f"Meet {i}", "1500m", [("Josh Kerr", "GBR", 1, "3:30.00"), ("Jakob Ingebrigtsen", "NOR", 2, "3:31.00")])
    write_csv(folder / "races.csv", rows)
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize("args", [
    ["export"], ["export", "-f", "json"], ["h2h", "kerr", "ingebrigtsen"], ["h2h", "kerr", "ingebrigtsen", "-f", "csv"],
])
def test_a_reader_that_stops_early_ends_miler_quietly(tmp_path, args):
    """`miler … | head -1`: the first line arrives, then no BrokenPipeError traceback and no
    'Exception ignored' message; the exit status is 141, as for a program killed by SIGPIPE."""
    folder = _many_meetings(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "miler", *args, "--data", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after one line
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert first.strip()
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "BrokenPipe" not in stderr, stderr
    assert code == 141


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_head_in_a_real_shell_pipeline_ends_quietly(tmp_path):
    folder = _many_meetings(tmp_path)
    cmd = f"{sys.executable} -m miler h2h kerr ingebrigtsen --data {folder} | head -1"
    done = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("Head to head: Josh Kerr v Jakob Ingebrigtsen")
    assert done.stderr.strip() in ("", "note: taking Jakob Ingebrigtsen; also matches Filip Ingebrigtsen")


def test_ctrl_c_exits_130_with_no_traceback(small_dir, monkeypatch, capsys):
    import miler.dataset.races

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(miler.dataset.races, "read_races", interrupted)
    monkeypatch.setattr(sys, "argv", ["miler", "h2h", "kerr", "jakob", "--data", str(small_dir)])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "interrupted\n"


SLOW_EXPORT = textwrap.dedent("""\
    import sys, time
    import miler.dataset.write

    real = miler.dataset.write.write_races

    def slow(frame, out, fmt="csv"):
        real(frame.head(3), out, fmt)
        out.flush()
        print("writing", file=sys.stderr, flush=True)
        time.sleep(60)

    miler.dataset.write.write_races = slow
    from miler.cli import main

    sys.argv = ["miler", *sys.argv[1:]]
    main()
""")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_an_export_exits_130_and_leaves_no_file(small_dir, tmp_path):
    script = tmp_path / "slow_export.py"
    script.write_text(SLOW_EXPORT)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), "export", "--data", str(small_dir), "-o", str(out_dir / "x.csv")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline().strip() == "writing"
        assert [p.name.startswith(".x.csv.") for p in out_dir.iterdir()] == [True]  # the temporary file, half-written
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
    stderr = proc.stderr.read()
    assert code == 130
    assert stderr.strip() == "interrupted" and "Traceback" not in stderr
    assert list(out_dir.iterdir()) == []


# --- fuzzing ---------------------------------------------------------------------------------------
# Fast by default; MILER_FUZZ_EXAMPLES=5000 pytest tests/test_bad_input.py -k fuzz for a long run.

mark_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789:.-h DNFSQdnfsq\t٣", max_size=20),
    st.from_regex(r"\d{1,8}(:\d{1,3}){0,3}(\.\d{0,5})?h?", fullmatch=True),
    st.text(alphabet="9", min_size=300, max_size=5000),
)


@settings(max_examples=FUZZ or 200, deadline=None)
@given(text=mark_like, event=st.one_of(st.sampled_from(["1500m", "Mile", "800m", "5000m", "10k", "2 miles"]), st.text(max_size=12)))
def test_fuzz_parse_mark_gives_a_mark_or_a_mark_error(text, event):
    try:
        mark = parse_mark(text)
    except MarkError as exc:
        assert str(exc) and len(str(exc)) < 200
        return
    assert isinstance(mark, Mark)
    if mark.status:
        assert mark.status in STATUSES and mark.seconds is None
    else:
        assert math.isfinite(mark.seconds) and mark.seconds >= 0 and 0 <= mark.decimals <= 3
        found = check_plausible(normalise_event(event), mark.seconds)
        assert found is None or isinstance(found, str)


GOOD = {
    "date": ["2024-05-25", "2023-08-23", " 2024-06-01 "],
    "meet": ["Prefontaine Classic", "Meeting, de Paris", "=HYPERLINK(\"x\")", "Bislett"],
    "city": ["", "Eugene"],
    "country": ["", "USA"],
    "level": ["", "worlds", "DIAMOND-LEAGUE"],
    "event": ["1500m", "Mile", "1500", "5k"],
    "round": ["", "final", "heat 1"],
    "indoor": ["", "true", "false", "yes"],
    "athlete": ["Josh Kerr", "Jakob Ingebrigtsen", "Narve Gilje Nordås", "'@x"],
    "nat": ["GBR", ""],
    "place": ["", "1", "2", "3"],
    "time": ["3:29.38", "3:45.34", "13:11.30", "DNF", "DNS", "3:44", ""],
    "note": ["", "WR PB"],
    "source": ["test", ""],
}
NUL = "\ue000"  # a NUL byte in a cell: the csv module of Python 3.10 will not write one, so it is put in after
BAD = ["", "abc", "2024-13-01", "25/05/2024", "3:61.00", "3:29:38", "-1", "1.5", "0", "99999999999999999999999",
       "nan", "inf", NUL, "\"", "a,b", "\n", "'=", "٣", "9" * 400, "x" * 5000, "ø", "\ufeff", "\r"]


@st.composite
def race_files(draw):
    header = draw(st.lists(st.sampled_from(list(BASE_COLUMNS) + ["wind", "", "DATE"]), min_size=1, max_size=16))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        rows.append([draw(st.sampled_from(GOOD.get(c.lower(), [""]) + (BAD if draw(st.integers(0, 5)) == 0 else [])))
                     for c in header] + draw(st.lists(st.sampled_from(BAD), max_size=draw(st.sampled_from([0, 0, 2])))))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=draw(st.sampled_from([",", ",", ";", "\t"])), lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue().replace(NUL, "\x00")
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])), errors="replace")


def _loads_or_reports(path):
    try:
        races, warnings = read_races(path)
    except DataError as exc:
        assert 1 <= len(exc.problems) <= MAX_PROBLEMS + 1 and exc.total >= len(exc.problems)
        assert all(p.file == path.name and p.line >= 0 and p.message for p in exc.problems)
        return
    assert list(races.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert races["date"].notna().all() and races["athlete"].ne("").all()
    assert all(isinstance(w, str) for w in warnings)


@settings(max_examples=FUZZ or 50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=race_files())
def test_fuzz_the_loader_gives_a_frame_or_problems_never_a_crash(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "races.csv"
    path.write_bytes(content)
    _loads_or_reports(path)


@settings(max_examples=FUZZ or 50, deadline=None)
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "replace")),
                         st.binary(max_size=400).map(lambda b: b"date,meet,event,athlete,time\n" + b)))
def test_fuzz_the_loader_on_raw_bytes(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzzbytes") / "races.csv"
    path.write_bytes(content)
    _loads_or_reports(path)


@settings(max_examples=FUZZ or 50, deadline=None)
@given(text=st.one_of(st.text(max_size=300), st.text(alphabet="- :[]{}!&*'\"\n\tabc12#|>", max_size=200),
                      st.sampled_from([QUOTE, QUOTE + "- x\n"]).flatmap(
                          lambda q: st.integers(0, len(q)).map(lambda i: q[:i]))))
def test_fuzz_the_quotes_reader_gives_quotes_or_problems(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzzyaml") / "quotes.yaml"
    path.write_text(text, encoding="utf-8", errors="replace")
    try:
        read_quotes(path)
    except DataError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
