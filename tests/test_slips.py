"""Data that slipped through (issue 17): a NUL byte is refused wherever it is in the file, and
a date is an ASCII ISO date from 1896 to next year, or an error naming its line; never a
crash in a command later."""

import datetime as dt

import pytest

from conftest import SMALL, write_csv
from miler.cli import app
from miler.dataset.races import read_races
from miler.errors import DataError

NEXT_YEAR = dt.date.today().year + 1
BINARY = "this is a binary file, not CSV text (it holds a NUL byte): save it as CSV (UTF-8)"


def problems_of(path):
    with pytest.raises(DataError) as exc:
        read_races(path)
    return [str(p) for p in exc.value.problems]


def filler(n):
    return [dict(SMALL[0], meet=f"Meet {i}", date="2020-01-01") for i in range(n)]


def write_text_csv(path, rows, columns=tuple(SMALL[0])):
    """rows as CSV, written without the csv module (which refuses a NUL before Python 3.11)."""
    def cell(v):
        v = str(v)
        return f'"{v}"' if "," in v or '"' in v else v

    lines = [",".join(columns)] + [",".join(cell(r.get(c, "")) for c in columns) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["first row", "after 64 KiB", "after 1 MiB"])
@pytest.mark.parametrize("column", ["athlete", "note", "wind"])  # wind: a column miler ignores
def test_a_nul_byte_is_refused_wherever_it_is(tmp_path, where, column):
    """Before, a NUL after the first 64 KiB loaded silently ('Josh\\x00Kerr' became an athlete)."""
    before = {"first row": 0, "after 64 KiB": 600, "after 1 MiB": 9000}[where]
    rows = filler(before) + [dict(SMALL[1], **{column: "Josh\x00Kerr"})] + list(SMALL[2:])
    path = write_text_csv(tmp_path / "races.csv", rows, columns=tuple(SMALL[0]) + ("wind",))
    line = before + 2
    assert problems_of(path) == [f"races.csv:{line}: {BINARY}"]


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-8-sig"])
def test_a_nul_is_refused_in_every_encoding_miler_reads(tmp_path, encoding):
    rows = filler(700) + [dict(SMALL[1], athlete="Josh\x00Kerr")] + list(SMALL[2:])
    text = write_text_csv(tmp_path / "u.csv", rows).read_text(encoding="utf-8")
    path = tmp_path / "races.csv"
    path.write_bytes(text.encode(encoding))
    found = problems_of(path)
    assert len(found) == 1 and BINARY in found[0] and found[0].startswith("races.csv:702:")


def test_a_nul_in_a_quoted_value_is_refused_too(tmp_path):
    rows = filler(700) + [dict(SMALL[1], meet="Meeting, \x00 de Paris")] + list(SMALL[2:])
    assert problems_of(write_text_csv(tmp_path / "races.csv", rows)) == [f"races.csv:702: {BINARY}"]


def test_a_binary_file_says_so_with_its_line(tmp_path):
    path = tmp_path / "races.csv"
    path.write_bytes(b"date,meet,event,athlete,time\n2024-01-01,a,1500m,b,3:40.00\n\x00\x01\x02")
    assert problems_of(path) == [f"races.csv:3: {BINARY}"]


def test_a_nul_stops_a_command_cleanly(runner, tmp_path):
    rows = filler(700) + [dict(SMALL[1], athlete="Josh\x00Kerr")] + list(SMALL[2:])
    write_text_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, ["athletes", "--data", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == "" and BINARY in result.stderr
    assert "Traceback" not in result.stderr


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", [
    "２０２４-08-06",  # full-width digits: passed before
    "٢٠٢٤-٠٨-٠٦",  # Arabic-Indic digits
    "2024-8-6",  # not zero-padded: not YYYY-MM-DD
    "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-06-31",
    "20240806", "2024/08/06", "2024-08-06T10:00", "2024-08-06 extra",
])
def test_a_date_that_is_not_an_ascii_iso_date_is_named_with_its_line(tmp_path, date):
    rows = [dict(SMALL[0], date=date)] + list(SMALL[1:])
    found = problems_of(write_csv(tmp_path / "races.csv", rows))
    assert found[0].startswith("races.csv:2: date ") and "is not a date as YYYY-MM-DD" in found[0], found


@pytest.mark.parametrize("date", ["0000-01-01", "0001-01-01", "1066-10-14", "1895-12-31",
                                  f"{NEXT_YEAR + 1}-01-01", "9999-12-31"])
def test_a_date_outside_1896_to_next_year_is_an_error(tmp_path, date):
    """Year 0000 passed before and crashed h2h, athlete, meets and timeline later (strftime)."""
    rows = [dict(SMALL[0], date=date)] + list(SMALL[1:])
    assert problems_of(write_csv(tmp_path / "races.csv", rows)) == [
        f"races.csv:2: date '{date}' is not a race date (a date from 1896 to {NEXT_YEAR})"]


@pytest.mark.parametrize("date", ["1896-01-01", "1896-04-10", f"{NEXT_YEAR}-12-31", "2024-02-29", "2000-02-29"])
def test_dates_within_the_range_load(tmp_path, date):
    rows = [dict(r, date=date) if r["meet"] == "Bislett Games" else r for r in SMALL]
    races, _ = read_races(write_csv(tmp_path / "races.csv", rows))
    assert str(races.loc[races["meet"] == "Bislett Games", "date"].iat[0].date()) == date


@pytest.mark.parametrize("command", [["h2h", "kerr", "jakob"], ["athlete", "kerr"], ["meets"], ["timeline", "kerr", "jakob"]])
def test_year_0000_stops_every_command_with_the_line_not_a_crash(runner, tmp_path, command):
    rows = [dict(SMALL[0], date="0000-08-23")] + list(SMALL[1:])
    write_csv(tmp_path / "races.csv", rows)
    result = runner.invoke(app, [*command, "--data", str(tmp_path)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "races.csv:2: date '0000-08-23' is not a race date" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
