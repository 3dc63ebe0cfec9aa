"""The cache: a large file is checked once, a changed file afresh, and a cache never gets in the way."""

import os
import time

import pandas.testing as pdt
import pytest

from conftest import SMALL, write_csv
from miler.dataset import cache
from miler.dataset import load


@pytest.fixture
def cached_small(small_dir, monkeypatch):
    monkeypatch.setattr(cache, "MIN_BYTES", 0)  # cache even a small file
    return small_dir


def entries():
    return sorted(cache.cache_dir().glob("races-*.arrow"))


def test_a_second_load_comes_from_the_cache_and_equals_the_first(cached_small, monkeypatch):
    first = load(cached_small)
    assert len(entries()) == 1
    calls = []
    monkeypatch.setattr("miler.dataset.races.read_races", lambda *a: calls.append(a))
    second = load(cached_small)
    assert calls == []  # not read again
    pdt.assert_frame_equal(second.races, first.races)
    assert second.warnings == first.warnings


def test_the_cache_is_arrow_ipc_not_pickle(cached_small):
    load(cached_small)
    assert entries()[0].read_bytes()[:6] == b"ARROW1"


def test_a_changed_file_is_read_afresh_and_its_old_entry_removed(cached_small):
    assert load(cached_small).races["athlete"].nunique() == 5
    path = cached_small / "races.csv"
    rows = [dict(r) for r in SMALL]
    rows[0]["athlete"] = "Someone New"
    write_csv(path, rows)
    later = time.time() + 5
    os.utime(path, (later, later))
    races = load(cached_small).races
    assert "Someone New" in set(races["athlete"])
    assert len(entries()) == 1


def test_warnings_are_kept_in_the_cache(cached_small):
    path = cached_small / "races.csv"
    path.write_text(path.read_text().replace("source\n", "source,wind\n", 1).replace("\n2", ",+0.3\n2"))
    assert load(cached_small).warnings == load(cached_small).warnings != []


def test_a_cache_that_cannot_be_written_is_passed_over(cached_small, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("MILER_CACHE_DIR", str(blocker / "miler"))
    assert len(load(cached_small).races) == len(SMALL)


def test_a_damaged_entry_is_read_past(cached_small):
    load(cached_small)
    entries()[0].write_bytes(b"ARROW1 but not really")
    assert len(load(cached_small).races) == len(SMALL)


def test_small_files_are_not_cached(small_dir):
    load(small_dir)
    assert entries() == []
