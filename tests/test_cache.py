"""The cache: a file is checked once, a changed file afresh, an entry is never trusted blindly,
and a cache never gets in the way (issue 17, "the cache is trusted blindly")."""

import os
import pwd
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas.testing as pdt
import pytest

from conftest import REPO, SMALL, write_csv
from miler.dataset import cache, load
from miler.dataset.races import read_races


def entries():
    return sorted(cache.cache_dir().glob("races-*.arrow"))


def parts():
    return sorted(cache.cache_dir().glob(".races-*"))


def cache_warnings(ds):
    return [w for w in ds.warnings if "cache" in w]


def test_a_second_load_comes_from_the_cache_and_equals_the_first(small_dir, monkeypatch):
    """Small files are cached too: checking even the shipped data costs more than the cache."""
    first = load(small_dir)
    assert len(entries()) == 1
    calls = []
    monkeypatch.setattr("miler.dataset.races.read_races", lambda *a, **k: calls.append(a))
    second = load(small_dir)
    assert calls == []  # not read again
    pdt.assert_frame_equal(second.races, first.races)
    pdt.assert_frame_equal(second.races, read_races(small_dir / "races.csv")[0])
    assert second.warnings == first.warnings == []


def test_the_cache_is_arrow_ipc_not_pickle(small_dir):
    load(small_dir)
    assert entries()[0].read_bytes()[:6] == b"ARROW1"


def test_a_changed_file_is_read_afresh_and_its_old_entry_removed(small_dir):
    assert load(small_dir).races["athlete"].nunique() == 5
    path = small_dir / "races.csv"
    rows = [dict(r) for r in SMALL]
    rows[0]["athlete"] = "Someone New"
    write_csv(path, rows)
    later = time.time() + 5
    os.utime(path, (later, later))
    races = load(small_dir).races
    assert "Someone New" in set(races["athlete"])
    assert len(entries()) == 1


def test_warnings_are_kept_in_the_cache(small_dir):
    path = small_dir / "races.csv"
    path.write_text(path.read_text().replace("source\n", "source,wind\n", 1).replace("\n2", ",+0.3\n2"))
    assert load(small_dir).warnings == load(small_dir).warnings != []


def _same_size_edit(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite a file in place, keeping its size, then restore its times (as `touch -r` or a
    tool that preserves times does)."""
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes()
    assert data.count(old) >= 1
    with open(path, "r+b") as f:  # in place: same inode
        f.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)


def test_a_same_size_edit_with_the_mtime_restored_is_seen(small_dir):
    load(small_dir)
    _same_size_edit(small_dir / "races.csv", b"3:29.38", b"3:28.38")
    kerr = load(small_dir).races.query("athlete == 'Josh Kerr' and round == 'final' and meet == 'World Championships'")
    assert kerr["time"].iat[0] == "3:28.38"


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_key_holds_the_content_not_only_the_times(tmp_path, monkeypatch, size):
    """Even where ctime tells nothing (a file system that keeps none, a copied tree), a
    same-size edit changes the key: the whole content of a small file is hashed, a sample of
    a large one (its first 64 KiB among it)."""
    path = write_csv(tmp_path / "races.csv", SMALL)
    if size == "large":
        with open(path, "a") as f:
            f.write("\n" * (cache.WHOLE_BYTES + 10))  # blank lines: still a valid file
    monkeypatch.setattr(cache, "_state", lambda st: (st.st_size, st.st_mtime_ns))  # no ctime, no inode
    before = cache.key(path)
    _same_size_edit(path, b"3:29.38", b"3:28.38")
    assert cache.key(path).name != before.name


def test_a_file_replaced_while_it_is_read_is_not_cached(small_dir, monkeypatch):
    """The key is the file as it was before reading; a file that changed meanwhile (its stat
    differs after reading) is not cached, so its next read sees what it holds now."""
    import miler.dataset.races as races_module

    real = races_module.read_races
    path = small_dir / "races.csv"

    def read_then_replace(*args, **kwargs):
        found = real(*args, **kwargs)
        rows = [dict(r) for r in SMALL]
        rows[0]["athlete"] = "Replaced Meanwhile"
        write_csv(small_dir / "new.csv", rows)
        os.replace(small_dir / "new.csv", path)
        return found

    monkeypatch.setattr(races_module, "read_races", read_then_replace)
    first = load(small_dir)
    assert "Replaced Meanwhile" not in set(first.races["athlete"])  # what was read
    assert entries() == []
    monkeypatch.setattr(races_module, "read_races", real)
    assert "Replaced Meanwhile" in set(load(small_dir).races["athlete"])


def test_an_entry_changed_by_hand_is_discarded_with_a_warning_and_rebuilt(small_dir):
    good = load(small_dir).races
    entry = entries()[0]
    data = bytearray(entry.read_bytes())
    i = data.index(b"Kerr")  # one letter of one name in the entry's dictionary
    data[i] = ord("B")
    entry.write_bytes(bytes(data))
    again = load(small_dir)
    pdt.assert_frame_equal(again.races, good)
    (warning,) = cache_warnings(again)
    assert "damaged (checksum mismatch)" in warning and "read afresh" in warning
    assert cache_warnings(load(small_dir)) == []  # rebuilt: good from now on


@pytest.mark.parametrize("damage", [
    lambda b: b[:100],  # truncated
    lambda b: b"ARROW1 but not really",
    lambda b: b"",
    lambda b: b[:-24] + cache.TRAILER.pack(cache.MAGIC, cache.FORMAT - 1, len(b) - 24, 0),  # another format
])
def test_a_damaged_entry_is_read_past_with_one_warning(small_dir, damage):
    good = load(small_dir).races
    entry = entries()[0]
    entry.write_bytes(damage(entry.read_bytes()))
    again = load(small_dir)
    pdt.assert_frame_equal(again.races, good)
    assert len(cache_warnings(again)) == 1
    assert cache_warnings(load(small_dir)) == []


def test_an_entry_of_another_format_names_it(small_dir):
    load(small_dir)
    entry = entries()[0]
    data = entry.read_bytes()
    magic, _, length, crc = cache.TRAILER.unpack(data[-24:])
    entry.write_bytes(data[:-24] + cache.TRAILER.pack(magic, 1, length, crc))
    assert f"format 1, not {cache.FORMAT}" in cache_warnings(load(small_dir))[0]


@pytest.mark.parametrize("where", ["under a file", "name too long"])
def test_a_cache_that_cannot_be_used_is_passed_over_with_one_warning(runner, small_dir, monkeypatch, tmp_path, where):
    """Crashed before (NotADirectoryError, OSError: File name too long)."""
    from miler.cli import app

    expected = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(small_dir)])
    if where == "under a file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the cache folder should be")
        monkeypatch.setenv("MILER_CACHE_DIR", str(blocker / "miler"))
    else:
        monkeypatch.setenv("MILER_CACHE_DIR", str(tmp_path / ("x" * 300)))
    ds = load(small_dir)
    assert len(ds.races) == len(SMALL)
    (warning,) = cache_warnings(ds)
    assert "going on without it" in warning
    result = runner.invoke(app, ["h2h", "kerr", "jakob", "--data", str(small_dir)])
    assert result.exit_code == 0 and result.stdout == expected.stdout
    assert result.stderr.count("warning:") == 1 and "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root searches any folder")
def test_a_cache_folder_that_is_not_searchable_is_passed_over(small_dir, monkeypatch, tmp_path):
    locked = tmp_path / "locked"
    (locked / "miler").mkdir(parents=True)
    locked.chmod(0)
    try:
        monkeypatch.setenv("MILER_CACHE_DIR", str(locked / "miler"))
        ds = load(small_dir)
        assert len(ds.races) == len(SMALL) and len(cache_warnings(ds)) == 1
    finally:
        locked.chmod(0o755)


def _without_overrides(monkeypatch):
    monkeypatch.delenv("MILER_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)


def test_the_cache_follows_xdg_cache_home(monkeypatch, tmp_path):
    _without_overrides(monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "miler"


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    """Relative XDG paths are invalid (XDG base directory spec): never the working folder."""
    _without_overrides(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "miler"


@pytest.mark.parametrize("home", ["", "relative/home"])
def test_an_empty_or_relative_home_is_passed_over(monkeypatch, home):
    """HOME='' put the cache at /.cache/miler before."""
    _without_overrides(monkeypatch)
    monkeypatch.setenv("HOME", home)
    folder = cache.cache_dir()
    assert folder.is_absolute() and folder != Path("/.cache/miler")
    assert folder == Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "miler"


def test_stale_temporary_files_of_dead_writers_are_removed(small_dir, monkeypatch):
    """A writer killed (SIGKILL, a power cut) leaves its temporary file: the next write removes
    it, unless a live process still holds it (a writer at work)."""
    folder = cache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    dead = folder / ".races-0123456789abcdef-0123456789abcdef.arrow.x1y2z3.part"
    dead.write_bytes(b"\0" * 131072)
    alive = folder / ".races-fedcba9876543210-fedcba9876543210.arrow.a1b2c3.part"
    alive.write_bytes(b"\0" * 10)
    old = time.time() - 3600
    for p in (dead, alive):
        os.utime(p, (old, old))
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, sys, time
        f = open({str(alive)!r}, "rb")
        fcntl.flock(f, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        load(small_dir)
        assert not dead.exists()
        assert alive.exists()
    finally:
        holder.kill()
        holder.wait()


SLOW_WRITE = textwrap.dedent("""\
    import sys, time
    from miler.dataset import cache

    real = cache._batches

    def slow(*args):
        for batch in real(*args):
            yield batch
            print("writing", file=sys.stderr, flush=True)
            time.sleep(60)

    cache._batches = slow
    from miler.cli import main

    sys.argv = ["miler", "athletes", "--data", sys.argv[1]]
    main()
""")


def _killed_mid_write(small_dir, sig):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    p = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, str(small_dir)], stderr=subprocess.PIPE, text=True,
                         env=env)
    try:
        assert p.stderr.readline().strip() == "writing"
        assert parts(), "the entry is being written to a temporary file"
        p.send_signal(sig)
        p.wait(timeout=20)
    finally:
        p.kill()
        p.wait()


def test_a_cache_write_killed_by_sigterm_leaves_no_temporary_file_after_the_next_run(small_dir, monkeypatch):
    _killed_mid_write(small_dir, signal.SIGTERM)
    monkeypatch.setattr(cache, "STALE_SECONDS", 0)
    assert len(load(small_dir).races) == len(SMALL)
    assert parts() == [] and len(entries()) == 1


def test_a_cache_write_killed_by_sigterm_leaves_nothing_behind(small_dir):
    _killed_mid_write(small_dir, signal.SIGTERM)
    assert parts() == [] and entries() == []
