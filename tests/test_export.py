"""miler export: the filtered rows in the dataset's own columns, CSV (itself a dataset) or JSON,
to stdout or to a file written whole; and the writer and cell guard underneath it."""

import csv
import io
import json
import os

import pandas.testing as pdt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL, race, write_csv
from miler.analysis.export import export_rows
from miler.analysis.filters import Filters, apply
from miler.cli import app
from miler.errors import EmptyResultError, OutputError
from miler.dataset.races import read_races
from miler.dataset.write import guard_cell, unguard_cell, write_races
from miler.files import atomic_write
from miler.schema import BASE_COLUMNS, as_text

FUZZ = int(os.environ.get("MILER_FUZZ_EXAMPLES", "0"))


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- the command ---------------------------------------------------------------------------


def test_export_writes_the_datasets_own_columns_to_stdout(runner, small_dir):
    result = run(runner, "export", "--data", small_dir)
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert list(rows[0]) == list(BASE_COLUMNS)
    assert len(rows) == len(SMALL)
    assert rows[0] == {**{k: str(v) for k, v in SMALL[0].items()}, "place": "1"}
    assert result.stderr == ""


def test_an_export_is_itself_a_dataset_that_gives_the_same_answers(runner, small_dir, tmp_path):
    out = tmp_path / "kerr.csv"
    result = run(runner, "export", "--data", small_dir, "--athlete", "kerr", "--athlete", "jakob", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "wrote 10 rows to" in result.stderr and result.stdout == ""
    original = run(runner, "h2h", "kerr", "jakob", "--data", small_dir, "-f", "json")
    again = run(runner, "h2h", "kerr", "jakob", "--data", out, "-f", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(original.stdout)


def test_the_shared_filters_and_athletes_choose_the_rows(runner, small_dir):
    rows = rows_of(run(runner, "export", "--data", small_dir, "--year", "2024", "--event", "1500").stdout)
    assert {r["meet"] for r in rows} == {"Bislett Games", "Meeting de Paris"}
    rows = rows_of(run(runner, "export", "--data", small_dir, "-a", "kerr", "--finals-only", "--level", "worlds").stdout)
    assert [(r["athlete"], r["round"], r["time"]) for r in rows] == [("Josh Kerr", "final", "3:29.38")]


def test_json_keeps_the_columns_with_typed_values(runner, small_dir):
    data = json.loads(run(runner, "export", "--data", small_dir, "-f", "json", "-a", "henrik").stdout)
    assert data == [{
        "date": "2024-05-25", "meet": "Prefontaine Classic", "city": "", "country": "", "level": "diamond-league",
        "event": "Mile", "round": "final", "indoor": False, "athlete": "Henrik Ingebrigtsen", "nat": "NOR",
        "place": None, "time": "DNF", "note": "", "source": "test", "field": None,
    }]


def test_an_output_file_named_json_is_written_as_json(runner, small_dir, tmp_path):
    out = tmp_path / "x.json"
    assert run(runner, "export", "--data", small_dir, "-o", out).exit_code == 0
    assert len(json.loads(out.read_text())) == len(SMALL)
    forced = tmp_path / "y.json"
    assert run(runner, "export", "--data", small_dir, "-o", forced, "-f", "csv").exit_code == 0
    assert forced.read_text().startswith("date,meet,")


def test_dash_means_stdout(runner, small_dir):
    result = run(runner, "export", "--data", small_dir, "-o", "-")
    assert result.exit_code == 0 and len(rows_of(result.stdout)) == len(SMALL)


def test_nothing_to_export_is_an_error_naming_the_filters(runner, small_dir):
    result = run(runner, "export", "--data", small_dir, "-a", "kerr", "--year", "2019", "--indoor")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "error: nothing to export: no results match Josh Kerr, year 2019, indoor\n"


def test_an_existing_file_is_replaced_only_with_force(runner, small_dir, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    result = run(runner, "export", "--data", small_dir, "-o", out)
    assert result.exit_code == 1
    assert "already exists; use --force to replace it" in result.stderr
    assert out.read_text() == "precious\n"
    result = run(runner, "export", "--data", small_dir, "-o", out, "--force")
    assert result.exit_code == 0
    assert len(rows_of(out.read_text())) == len(SMALL)


def test_a_file_in_a_missing_folder_or_a_folder_is_an_error(runner, small_dir, tmp_path):
    result = run(runner, "export", "--data", small_dir, "-o", tmp_path / "no" / "such.csv")
    assert result.exit_code == 1 and "no such folder" in result.stderr
    result = run(runner, "export", "--data", small_dir, "-o", tmp_path)
    assert result.exit_code == 1 and "is a folder" in result.stderr


# --- the analysis ----------------------------------------------------------------------------


def test_export_rows_keeps_order_and_columns_and_leaves_its_input_alone(small_dir):
    races, _ = read_races(small_dir / "races.csv")
    before = races.copy()
    rows = export_rows(races, Filters(event="1500m"), ["Josh Kerr"])
    assert list(rows.columns) == list(BASE_COLUMNS)
    assert list(rows["date"].dt.strftime("%Y-%m-%d")) == ["2023-08-23", "2023-08-20", "2024-06-01", "2024-07-01"]
    pdt.assert_frame_equal(races, before)
    with pytest.raises(EmptyResultError, match="no results match Josh Kerr, event Mile, year 2023"):
        export_rows(races, Filters(event="mile", year=2023), ["Josh Kerr"])


# --- round trips -----------------------------------------------------------------------------

LEVELS = ["olympics", "worlds", "diamond-league", "other"]


@st.composite
def datasets(draw):
    """A valid little dataset: a few races, each with finishers in order and maybe a DNF."""
    rows = []
    for r in range(draw(st.integers(1, 5))):
        date = f"20{draw(st.integers(16, 25))}-0{draw(st.integers(1, 9))}-1{r}"
        event = draw(st.sampled_from(["1500m", "Mile", "5000m"]))
        base = {"1500m": 212.0, "Mile": 230.0, "5000m": 780.0}[event]
        names = draw(st.lists(st.sampled_from(["Josh Kerr", "Jakob Ingebrigtsen", "=cmd|' /C calc'!A0",
                                               "@SUM(1)", "-Minus", "+Plus", "'=quoted", "Nordås"]),
                              min_size=1, max_size=5, unique=True))
        results = []
        step = draw(st.sampled_from([0.0, 0.37, 1.5]))
        for place, name in enumerate(names, 1):
            secs = base + place * step
            results.append((name, "NOR", place, f"{int(secs // 60)}:{secs % 60:05.2f}"))
        if draw(st.booleans()):
            results.append(("Late Starter", "", "", draw(st.sampled_from(["DNF", "DNS", "DQ"]))))
        rows += race(date, draw(st.sampled_from(["Bislett", "=HYPERLINK(\"x\")", "Meeting, de Paris", "-"])), event,
                     results, level=draw(st.sampled_from(LEVELS)), indoor=draw(st.sampled_from(["true", "false"])),
                     round=draw(st.sampled_from(["final", "heat 1"])), city=draw(st.sampled_from(["", "\tTab", "Oslo"])))
    return rows


@settings(max_examples=FUZZ or 30, deadline=None)
@given(rows=datasets(), year=st.sampled_from([None, 2016, 2020, 2024]), event=st.sampled_from([None, "1500m", "mile"]),
       finals=st.booleans())
def test_export_then_read_back_gives_the_same_rows(tmp_path_factory, rows, year, event, finals):
    folder = tmp_path_factory.mktemp("roundtrip")
    races, _ = read_races(write_csv(folder / "races.csv", rows))
    f = Filters(event=event, year=year, finals_only=finals)
    try:
        exported = export_rows(races, f)
    except EmptyResultError:
        assert apply(races, f).empty
        return
    buf = io.StringIO()
    write_races(exported, buf, "csv")
    (folder / "export.csv").write_text(buf.getvalue())
    back, warnings = read_races(folder / "export.csv")
    assert warnings == []
    # race_id numbers races within a file, so it differs in a subset; everything else is equal
    expected = apply(races, f).drop(columns="race_id").reset_index(drop=True)
    # text columns are Categoricals whose sets of values differ in a subset: compare the values
    pdt.assert_frame_equal(as_text(back.drop(columns="race_id")), as_text(expected))


def test_spreadsheet_formulas_are_neutralised_in_csv_and_numbers_are_not(small_dir, tmp_path):
    rows = [dict(r) for r in SMALL]
    rows[0].update(meet="=HYPERLINK(\"http://evil\")", city="+cmd", note="-", source="@SUM(A1)")
    rows[1].update(meet="=HYPERLINK(\"http://evil\")")  # same race: both rows change
    rows[2].update(meet="=HYPERLINK(\"http://evil\")", athlete="''=already quoted")  # read as '=already quoted
    races, _ = read_races(write_csv(tmp_path / "races.csv", rows))
    buf = io.StringIO()
    write_races(races, buf, "csv")
    exported = rows_of(buf.getvalue())
    first = exported[0]
    assert first["meet"] == "'=HYPERLINK(\"http://evil\")"
    assert (first["city"], first["note"], first["source"]) == ("'+cmd", "'-", "'@SUM(A1)")
    assert exported[2]["athlete"] == "''=already quoted"
    assert (first["place"], first["time"], first["date"]) == ("1", "3:29.38", "2023-08-23")  # never altered
    (tmp_path / "back.csv").write_text(buf.getvalue())
    back, _ = read_races(tmp_path / "back.csv")
    pdt.assert_frame_equal(as_text(back), as_text(races))
    # JSON is not a spreadsheet: no quote added
    assert json.loads(_json(races))[0]["meet"] == "=HYPERLINK(\"http://evil\")"


def _json(races):
    buf = io.StringIO()
    write_races(races, buf, "json")
    return buf.getvalue()


def test_other_commands_csv_is_guarded_too_but_their_numbers_are_not(runner, tmp_path):
    rows = race("2024-06-01", "=1+1", "1500m", [("@Kerr", "GBR", 1, "3:30.00"), ("-Inge", "NOR", 2, "3:30.27")])
    write_csv(tmp_path / "races.csv", rows)
    result = run(runner, "h2h", "kerr", "inge", "--data", tmp_path, "-f", "csv")
    row = rows_of(result.stdout)[0]
    assert (row["meet"], row["winner"], row["gap"]) == ("'=1+1", "'@Kerr", "-0.27")


@pytest.mark.parametrize("cell, guarded", [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-", "'-"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("'=x", "''=x"), ("-0.27", "-0.27"), ("+3", "+3"), ("1e5", "1e5"), ("Oslo", "Oslo"), ("", ""), ("'", "'"),
    (-0.27, -0.27), (3, 3),
])
def test_guard_cell(cell, guarded):
    assert guard_cell(cell) == guarded
    if isinstance(cell, str):
        assert unguard_cell(guarded) == cell


@settings(max_examples=FUZZ or 300)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r a1.e"), max_size=8) | st.text())
def test_unguard_undoes_guard_for_every_string(text):
    guarded = guard_cell(text)
    assert unguard_cell(guarded) == text
    if guarded[:1] in ("=", "+", "-", "@", "\t", "\r"):
        float(guarded)  # only a plain number may still start like a formula


# --- the atomic writer -----------------------------------------------------------------------


def test_atomic_write_replaces_a_file_whole(tmp_path):
    path = tmp_path / "f.csv"
    with atomic_write(path) as f:
        f.write("a\n")
        assert not path.exists()  # nothing under the real name until the end
    assert path.read_text() == "a\n"
    with atomic_write(path, force=True) as f:
        f.write("b\n")
    assert path.read_text() == "b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.csv"]


def test_atomic_write_refuses_an_existing_file_without_force(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("keep\n")
    with pytest.raises(OutputError, match="already exists"):
        with atomic_write(path) as f:
            f.write("lost\n")
    assert path.read_text() == "keep\n"


def test_a_file_that_appears_while_writing_is_not_clobbered(tmp_path):
    path = tmp_path / "f.csv"
    with pytest.raises(OutputError, match="already exists"):
        with atomic_write(path) as f:
            f.write("mine\n")
            path.write_text("theirs\n")  # another program got there first
    assert path.read_text() == "theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.csv"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "f.csv"
    with atomic_write(path) as f:
        f.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_export_help_has_its_example(runner):
    assert "Example: miler export --athlete kerr --year 2024 -o kerr-2024.csv" in run(runner, "export", "--help").stdout


def test_write_races_refuses_an_unknown_format(small_dir):
    races, _ = read_races(small_dir / "races.csv")
    with pytest.raises(ValueError):
        write_races(races, io.StringIO(), "xlsx")
