"""Tiny datasets in tmp_path, and a CliRunner that keeps stdout and stderr apart."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
import pandas as pd
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from miler.schema import BASE_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def race(date, meet, event, results, *, round="final", level="diamond-league", indoor="false", city="", country=""):
    """Rows for one race from (athlete, nat, place, time) tuples."""
    rows = []
    for athlete, nat, place, time in results:
        rows.append(
            dict(date=date, meet=meet, city=city, country=country, level=level, event=event, round=round,
                 indoor=indoor, athlete=athlete, nat=nat, place=place, time=time, note="", source="test")
        )
    return rows


# A small, hand-made rivalry: A beats B twice, B beats A once, one DNF, one DNS.
SMALL = (
    race("2023-08-23", "World Championships", "1500m",
         [("Josh Kerr", "GBR", 1, "3:29.38"), ("Jakob Ingebrigtsen", "NOR", 2, "3:29.65"),
          ("Narve Gilje Nordås", "NOR", 3, "3:29.68")], level="worlds")
    + race("2023-08-20", "World Championships", "1500m",
           [("Jakob Ingebrigtsen", "NOR", 1, "3:32.94"), ("Josh Kerr", "GBR", 2, "3:33.00")],
           round="semi-final 1", level="worlds")
    + race("2024-05-25", "Prefontaine Classic", "Mile",
           [("Josh Kerr", "GBR", 1, "3:45.34"), ("Jakob Ingebrigtsen", "NOR", 2, "3:45.60"),
            ("Henrik Ingebrigtsen", "NOR", "", "DNF")])
    + race("2024-06-01", "Bislett Games", "1500m",
           [("Jakob Ingebrigtsen", "NOR", 1, "3:30.00"), ("Josh Kerr", "GBR", "", "DNS"),
            ("Filip Ingebrigtsen", "NOR", 2, "3:31.00")])
    + race("2024-07-01", "Meeting de Paris", "1500m",
           [("Jakob Ingebrigtsen", "NOR", 1, "3:31.00"), ("Josh Kerr", "GBR", "", "DNF")])
)


# One quote, as quotes.yaml holds it.
QUOTE = """\
- date: 2024-02-15
  speaker: Jakob Ingebrigtsen
  about: Josh Kerr
  occasion: TV2
  text: I would have beaten him in that race, blindfolded.
  topics: [blindfolded]
  source: [002_9dec7954bfed7bee.txt]
"""


def write_csv(path: Path, rows: list[dict], columns=BASE_COLUMNS, **kw) -> Path:
    with open(path, "w", newline="", encoding=kw.get("encoding", "utf-8")) as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore", delimiter=kw.get("delimiter", ","))
        w.writeheader()
        w.writerows(rows)
    return path


def races_of(rows, folder) -> pd.DataFrame:
    """Rows written as a races.csv and read back: typed exactly like a real dataset."""
    from miler.dataset.races import read_races

    frame, _ = read_races(write_csv(Path(folder) / "races.csv", rows))
    return frame


def load_rows(rows) -> pd.DataFrame:
    """races_of in a folder of its own, for hypothesis tests (which cannot use tmp_path)."""
    with tempfile.TemporaryDirectory() as folder:
        return races_of(rows, folder)


# hypothesis settings for properties that build and read a dataset per example
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write_dataset(folder: Path, rows: list[dict], quotes: str | None = None) -> Path:
    """A dataset folder: rows as its races.csv and, when given, quotes as its quotes.yaml."""
    write_csv(folder / "races.csv", rows)
    if quotes is not None:
        (folder / "quotes.yaml").write_text(quotes, encoding="utf-8")
    return folder


@pytest.fixture
def small_dir(tmp_path) -> Path:
    """A dataset folder with SMALL as races.csv and no quotes."""
    return write_dataset(tmp_path, SMALL)


def make_runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart (click 8.1 mixes them unless told)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click 8.2 and later: always apart
        return CliRunner()


@pytest.fixture
def runner() -> CliRunner:
    return make_runner()


@pytest.fixture
def on_small(runner, small_dir):
    """miler run on SMALL: the stdout of a call that must succeed."""
    from miler.cli import app

    def run(*args):
        result = runner.invoke(app, [*args, "--data", str(small_dir)])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    return run


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own miler cache, never the user's."""
    monkeypatch.setenv("MILER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
