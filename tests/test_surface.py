"""The whole command surface on the shipped dataset: every athlete through every command that
takes one, every meet through meet and gaps, in every format. Each call exits 0, or exits 1
with a clean message on stderr; no exception escapes, and no internal error (exit 70) hides one.

The dataset is loaded once and handed to every call (commands never change it: that is
checked too), the command line is built once, and the calls are shared among forked workers,
one per core, so the walk of some 25,000 calls takes well under a minute.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

import pandas as pd
import pytest
import typer
import typer.testing

import miler.cli as cli
from miler.cli import common
from conftest import make_runner
from miler.dataset import load

FORMATS = ("table", "csv", "json", "markdown")
SEASONS = 4  # --season for the dataset's last this-many years


@pytest.fixture(scope="module")
def shipped():
    ds = load()
    ds.quotes  # read once, before the walk
    return ds


@pytest.fixture
def invoke(shipped, monkeypatch):
    """Run miler in-process on the shipped dataset (loaded once); returns the Result."""
    monkeypatch.setattr(common, "load", lambda data: shipped)
    command = typer.main.get_command(cli.app)
    monkeypatch.setattr(typer.testing, "_get_command", lambda app: command)
    runner = make_runner()
    return lambda args: runner.invoke(cli.app, args)


def _rival(races: pd.DataFrame, athlete: str) -> str | None:
    """The athlete met most often (ties: the first by name)."""
    mine = races.loc[races["athlete"] == athlete, "race_id"]
    others = races.loc[races["race_id"].isin(mine) & (races["athlete"] != athlete), "athlete"].astype(str)
    counts = others.value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    return sorted(top)[0]


def athlete_calls(races: pd.DataFrame) -> list[list[str]]:
    events = sorted(races["event"].astype(str).unique())
    years = sorted(races["date"].dt.year.unique())[-SEASONS:]
    calls = []
    for a in sorted(races["athlete"].astype(str).unique()):
        calls += [["athlete", a], ["athlete", a, "--as", "mile"], ["rivals", a], ["rank", "--history", a],
                  ["progression", a], ["progression", a, "--as", "mile"], ["progression", a, "--as", "1500m"],
                  ["progression", a, "--indoor"], ["progression", a, "--outdoor"]]
        calls += [["progression", a, "--event", e] for e in events]
        calls += [["progression", a, "--season", str(y)] for y in years]
        calls += [["progression", a, "--season", str(years[-1]), "--as", "mile"]]
        rival = _rival(races, a)
        if rival:
            calls += [["h2h", a, rival], ["h2h", a, rival, "--as", "mile"], ["gaps", a, rival],
                      ["timeline", a, rival]]
    return calls


def meet_calls(races: pd.DataFrame) -> list[list[str]]:
    editions = races.assign(year=races["date"].dt.year.astype(str))[["meet", "year"]].astype(str).drop_duplicates()
    calls = []
    for meet, year in editions.itertuples(index=False):
        q = f"{meet} {year}"
        calls += [["meet", q], ["meet", q, "--round", "final"], ["gaps", q]]
    return calls


def check(result, args) -> None:
    shown = " ".join(args)
    assert result.exit_code in (0, 1), f"miler {shown}: exit {result.exit_code}\n{result.stderr}"
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"miler {shown}: {type(exc).__name__}: {exc}"
    assert "Traceback" not in result.stderr, f"miler {shown}:\n{result.stderr}"
    if result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert lines and lines[-1].startswith("error: "), f"miler {shown}: {result.stderr!r}"
        assert result.stdout == "", f"miler {shown}: exit 1 but wrote to stdout"
        assert all(line.startswith(("error: ", "note: ", "warning: ")) for line in lines), result.stderr


def _walk_part(invoke, calls) -> list[str]:
    """Every call in every format; what went wrong, as messages (the first few)."""
    failed = []
    for args in calls:
        for fmt in FORMATS:
            line = args + ["--format", fmt]
            try:
                check(invoke(line), line)
            except AssertionError as exc:
                failed.append(str(exc))
                if len(failed) >= 5:
                    return failed
    return failed


def walk(invoke, calls) -> None:
    """The calls shared among forked workers, one per core (each has the dataset and the
    command line already built); every failure is reported."""
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 4)
    if workers < 2 or sys.platform != "linux":
        failed = _walk_part(invoke, calls)
    else:
        _WORK[:] = [invoke] + [calls[i::workers] for i in range(workers)]  # handed over by fork, not pickled
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            failed = [msg for part in pool.map(_walk_nth, range(workers)) for msg in part]
    assert not failed, "\n\n".join(failed)


_WORK: list = []


def _walk_nth(i: int) -> list[str]:
    return _walk_part(_WORK[0], _WORK[1 + i])


def test_every_athlete_through_every_command_in_every_format(invoke, shipped):
    before = shipped.races.copy()
    calls = athlete_calls(shipped.races)
    athletes = shipped.races["athlete"].nunique()
    assert len(calls) >= 20 * athletes  # every athlete, every command
    walk(invoke, calls)
    pd.testing.assert_frame_equal(shipped.races, before)  # no command changed the data


def test_every_meet_through_meet_and_gaps_in_every_format(invoke, shipped):
    calls = meet_calls(shipped.races)
    assert len(calls) >= 3 * shipped.races["meet"].nunique()
    walk(invoke, calls)
