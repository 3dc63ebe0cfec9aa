"""bench/generate.py writes the data the benchmarks measure: a file miler accepts, holding what
bench/README.md says it holds (checked on a small file, a few thousand rows)."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from miler.marks import WORLD_RECORDS, parse_mark
from miler.schema import BASE_COLUMNS, CHAMPIONSHIP_LEVELS

REPO = Path(__file__).resolve().parents[1]
ROWS = 3000
KERR, JAKOB = "Josh Kerr", "Jakob Ingebrigtsen"


def load_generator():
    """bench/generate.py as a module (bench is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def folder(generator, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-3k")
    assert generator.main([str(ROWS), "-o", str(out), "--seed", "3", "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def rows(folder) -> list[dict]:
    with open(folder / "races.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def races_of(rows) -> dict[tuple, list[dict]]:
    """(date, meet, event, round) -> the rows of that race, in file order."""
    races = defaultdict(list)
    for r in rows:
        races[(r["date"], r["meet"], r["event"], r["round"])].append(r)
    return races


def test_miler_validate_passes_on_a_generated_file(runner, folder):
    from miler.cli import app

    result = runner.invoke(app, ["validate", "--data", str(folder)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"{ROWS:,} rows" in result.stdout


def test_the_file_has_the_rows_asked_for_and_miler_s_columns(generator, folder, rows):
    header = (folder / "races.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(BASE_COLUMNS)
    assert len(rows) == ROWS
    meta = json.loads((folder / "bench-meta.json").read_text())
    assert meta["rows"] == ROWS and meta["seed"] == 3
    assert meta["generator_version"] == generator.GENERATOR_VERSION


def test_the_same_size_and_seed_give_the_same_bytes(generator, folder, tmp_path):
    generator.main([str(ROWS), "-o", str(tmp_path / "again"), "--seed", "3", "-q"])
    generator.main([str(ROWS), "-o", str(tmp_path / "other"), "--seed", "4", "-q"])
    first = (folder / "races.csv").read_bytes()
    assert (tmp_path / "again" / "races.csv").read_bytes() == first
    assert (tmp_path / "other" / "races.csv").read_bytes() != first


def test_kerr_and_ingebrigtsen_meet_often(runner, folder, rows):
    from miler.cli import app

    met = [race for race, field in races_of(rows).items() if {KERR, JAKOB} <= {r["athlete"] for r in field}]
    assert len(met) >= 5
    result = runner.invoke(app, ["h2h", "kerr", "ingebrigtsen", "--data", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert KERR in result.stdout and JAKOB in result.stdout


def test_championships_have_heats_semi_finals_and_finals_of_qualifiers(rows):
    """Each round's runners finished the round before, at the same championships and event."""
    events = defaultdict(lambda: defaultdict(list))  # (meet, year, event) -> stage -> rows
    for r in rows:
        if r["level"] in CHAMPIONSHIP_LEVELS:
            stage = {"heat": 0, "semi-final": 1, "final": 2}[r["round"].split(" ")[0]]
            events[(r["meet"], r["date"][:4], r["event"])][stage].append(r)
    full = [e for e, stages in events.items() if set(stages) == {0, 1, 2}]
    assert full, "no championship event with heats, semi-finals and a final"
    for stages in events.values():
        for before, after in zip(sorted(stages), sorted(stages)[1:]):
            finished = {r["athlete"] for r in stages[before] if r["place"]}
            assert {r["athlete"] for r in stages[after]} <= finished
            assert max(r["date"] for r in stages[before]) < min(r["date"] for r in stages[after])


def test_dnf_dns_and_dq_rows_have_no_place_and_finishers_are_placed_by_time(rows):
    statuses = {r["time"] for r in rows if not r["time"][:1].isdigit()}
    assert statuses == {"DNF", "DNS", "DQ"}
    assert all(r["place"] == "" for r in rows if r["time"] in statuses)
    for field in races_of(rows).values():
        done = [r for r in field if r["time"] not in statuses]
        assert [int(r["place"]) for r in done] == list(range(1, len(done) + 1))
        times = [parse_mark(r["time"]).seconds for r in done]
        assert times == sorted(set(times))  # strictly increasing: no ties
        assert len({r["athlete"] for r in field}) == len(field)


def test_no_mark_is_faster_than_the_world_record(rows):
    for r in rows:
        mark = parse_mark(r["time"])
        if mark.seconds is not None:
            assert mark.seconds >= WORLD_RECORDS[r["event"]], r
