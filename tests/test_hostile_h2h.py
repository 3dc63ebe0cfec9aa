"""A head-to-head of many athletes (issue 17): `miler h2h` with every athlete of the dataset.

A group of N athletes is one pass over the races (O(races x N)), not a pass per pair, so the
shipped dataset's whole cast answers in seconds; above MAX_GROUP athletes it is refused with a
message. Small groups give the same answer as before: every cell of the matrix is that pair's
own head-to-head.
"""

from __future__ import annotations

import contextlib
import random
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from conftest import race, races_of
from miler.analysis.h2h import MAX_GROUP, group, head_to_head, meetings
from miler.errors import MilerError


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (TimeoutError) if the block runs longer than SECONDS, rather than wait for it."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def shipped():
    from miler.dataset import load

    return load().races


def _field(n_athletes: int, n_races: int, per_race: int, seed: int = 0) -> list[dict]:
    """Races of PER_RACE athletes drawn from N_ATHLETES, with a DNF, a DNS and a tie in some."""
    rng = random.Random(seed)
    names = [f"Runner{i:04d} Test" for i in range(n_athletes)]
    rows = []
    for i in range(n_races):
        field = rng.sample(names, per_race)
        day = f"{2000 + i // 300}-{1 + i // 25 % 12:02d}-{1 + i % 25:02d}"
        results = [(n, "GBR", p + 1, f"3:{30 + p}.00") for p, n in enumerate(field)]
        if i % 7 == 0:
            results[-1] = (field[-1], "GBR", "", "DNF")
        if i % 11 == 0:
            results[-2] = (field[-2], "GBR", "", "DNS")
        if i % 13 == 0:
            results[1] = (field[1], "GBR", 1, "3:30.00")  # a dead heat for first
        rows += race(day, f"Meet {i}", "1500m", results)
    return rows


def test_every_athlete_of_the_shipped_dataset_answers_in_seconds_or_is_refused(tmp_path):
    """The command line, whole: resolve every name, one analysis, one view, CSV out."""
    from miler.dataset import load

    names = list(load().races["athlete"].unique())
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "miler", "h2h", *names, "-f", "csv"], capture_output=True, text=True,
                          timeout=120)
    took = time.monotonic() - start
    if len(names) > MAX_GROUP:
        assert done.returncode == 1 and f"at most {MAX_GROUP} athletes" in done.stderr
    else:
        assert done.returncode == 0, done.stderr[-2000:]
        header = done.stdout.splitlines()[0]
        assert all(f"place:{n}" in header for n in names)
    assert took < 20, took  # a few seconds on a quiet machine; before, over two minutes


def test_the_whole_cast_agrees_with_each_pairs_own_head_to_head(shipped):
    names = list(shipped["athlete"].unique())[:MAX_GROUP]
    with deadline(30):
        result = group(shipped, names)
    rng = random.Random(17)
    counts = shipped["athlete"].value_counts()
    regulars = [n for n in names if counts[n] >= 5]
    for a, b in [tuple(rng.sample(regulars, 2)) for _ in range(60)]:
        h = head_to_head(shipped, a, b)
        assert (result.matrix.loc[a, b], result.matrix.loc[b, a]) == (h.wins[a], h.wins[b]), (a, b)
    assert result.wins == {n: int(result.matrix.loc[n].sum(skipna=True)) for n in names}
    assert result.matrix.isna().sum().sum() == len(names)  # the diagonal, and only it


@pytest.mark.parametrize("size", [3, 8])
def test_a_small_group_matrix_is_each_pairs_record(tmp_path, size):
    races = races_of(_field(20, 120, 8, seed=size), tmp_path)
    names = [f"Runner{i:04d} Test" for i in range(size)]
    result = group(races, names)
    for a in names:
        for b in names:
            if a != b:
                assert result.matrix.loc[a, b] == (meetings(races, a, b)["winner"] == a).sum(), (a, b)
    assert list(result.matrix.index) == names and list(result.matrix.columns) == names
    assert str(result.matrix.dtypes.iloc[0]) == "Int64"


def test_a_large_group_is_one_pass_over_the_races(tmp_path):
    """300 athletes over 1,500 races of 12: 44,850 pairs, which a pass per pair took minutes for."""
    races = races_of(_field(MAX_GROUP, 1500, 12), tmp_path)
    names = [f"Runner{i:04d} Test" for i in range(MAX_GROUP)]
    with deadline(30):
        result = group(races, names)
    assert result.matrix.shape == (MAX_GROUP, MAX_GROUP)
    assert len(result.meetings) == races["race_id"].nunique()
    a, b = names[0], names[1]
    h = head_to_head(races, a, b)
    assert (result.matrix.loc[a, b], result.matrix.loc[b, a]) == (h.wins[a], h.wins[b])


def test_more_athletes_than_the_limit_is_a_message(tmp_path):
    races = races_of(_field(MAX_GROUP + 1, 40, 4), tmp_path)
    names = [f"Runner{i:04d} Test" for i in range(MAX_GROUP + 1)]
    with deadline(30), pytest.raises(MilerError, match=f"at most {MAX_GROUP} athletes at once, not {MAX_GROUP + 1}"):
        group(races, names)


def test_group_leaves_its_input_alone(tmp_path):
    races = races_of(_field(10, 30, 5), tmp_path)
    before = races.copy()
    group(races, [f"Runner{i:04d} Test" for i in range(6)])
    pd.testing.assert_frame_equal(races, before)
