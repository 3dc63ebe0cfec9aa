"""Hostile environments (issue 17): what miler writes, where it reads, and the process around it.

- ``-o`` writes only regular files: a device, a FIFO, a socket, a folder or a link to one is
  refused with a message, never replaced (as root, ``-o /dev/null --force`` once replaced
  the system's /dev/null with a CSV).
- SIGTERM, SIGHUP and SIGINT mid-export leave no temporary file, and the exit status is
  128 + the signal.
- A long but valid file name works (the temporary name fits NAME_MAX); every OS error on a
  path is ``error: PATH: what the OS said``, exit 1, no traceback.
- stdout that is full, closed, or cannot encode an en dash ends with a message, quietly, or
  in ASCII, never with a traceback.

Most cases run miler as a real process (the console script's main(), a real stdout). Cases
that need an unprivileged user run as nobody when the tests run as root, and skip when they
can do neither.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import SMALL, write_csv
from test_bad_input import SLOW_EXPORT  # export three rows, say 'writing', then sleep
from miler.cli import app

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files, signals and terminals")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def miler(*args, env=None, obey_permissions=False, timeout=60, **kw):
    """miler as a real process (its console script's main()); stdout and stderr as bytes unless
    KW says where they go. An empty value in ENV unsets that variable. OBEY_PERMISSIONS: a
    root test run gives the process up the capabilities that let root past file permissions."""
    full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if v != ""}
    if obey_permissions and ROOT:
        kw.setdefault("preexec_fn", _without_root_file_powers)
    if "stdout" not in kw and "stderr" not in kw:
        kw["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "miler", *map(str, args)], env=full_env, timeout=timeout, **kw)


def _without_root_file_powers():
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set before exec: the
    process stays root (and can run the interpreter under /root) but meets EACCES on a folder
    it may not search or write, as any user does."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def clean_exit(done, code=1):
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, (done.returncode, stderr)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    return stderr


@pytest.fixture
def locked_folders(tmp_path):
    """tmp_path, with every folder made searchable and writable again afterwards."""
    if not sys.platform.startswith("linux") and ROOT:
        pytest.skip("dropping root's file powers needs Linux capabilities")
    yield tmp_path
    for p in [tmp_path, *tmp_path.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)


# --- -o writes only regular files ----------------------------------------------------------------


def _special(kind: str, tmp_path: Path) -> Path:
    """A special file of KIND in tmp_path (a copy of /dev/null or /dev/full as root, so that a
    test of today's code can never replace the system's own), or the real one when not root."""
    if kind in ("/dev/null", "/dev/full"):
        if not os.path.exists(kind):
            pytest.skip(f"no {kind}")
        if not ROOT:
            return Path(kind)  # not root: the real one, which miler cannot replace anyway
        path = tmp_path / kind.rsplit("/", 1)[1]
        os.mknod(path, 0o666 | stat.S_IFCHR, os.stat(kind).st_rdev)
        return path
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo")
        return tmp_path / "fifo"
    if kind == "socket":
        path = tmp_path / "sock"
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(path))
        return path
    if kind == "link to a device":
        (tmp_path / "null-link").symlink_to(_special("/dev/null", tmp_path))
        return tmp_path / "null-link"
    if kind == "link to a fifo":
        (tmp_path / "fifo-link").symlink_to(_special("fifo", tmp_path))
        return tmp_path / "fifo-link"
    if kind == "folder":
        (tmp_path / "folder").mkdir()
        return tmp_path / "folder"
    raise AssertionError(kind)


SPECIAL = ["/dev/null", "/dev/full", "fifo", "socket", "link to a device", "link to a fifo", "folder"]


@POSIX
@pytest.mark.parametrize("force", [False, True], ids=["no-force", "force"])
@pytest.mark.parametrize("kind", SPECIAL)
def test_output_onto_anything_but_a_regular_file_is_refused_and_left_alone(runner, small_dir, tmp_path, kind, force):
    target = _special(kind, tmp_path)
    before = os.stat(target)
    result = run(runner, "export", "--data", small_dir, "-o", target, *(["--force"] if force else []))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {target}: is "), result.stderr
    assert ("is a folder" if kind == "folder" else "not a regular file") in result.stderr
    after = os.stat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino
    assert not list(tmp_path.glob(".*.part"))


@POSIX
@pytest.mark.parametrize("force", [False, True], ids=["no-force", "force"])
@pytest.mark.parametrize("via", ["a link to a file", "a link to a link", "a dangling link"])
def test_a_symbolic_link_is_never_replaced_nor_written_through(runner, small_dir, tmp_path, via, force):
    """Renaming onto a link replaces the link (`-o /dev/stdout --force` once put a CSV in /dev);
    writing through it lets whoever made the link pick the file (a link in /tmp to a system
    file). Neither: the link and what it names are left as they were."""
    real = tmp_path / "elsewhere" / "real.csv"
    real.parent.mkdir()
    if via != "a dangling link":
        real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    if via == "a link to a link":
        (tmp_path / "link2.csv").symlink_to(link)
        link = tmp_path / "link2.csv"
    result = run(runner, "export", "--data", small_dir, "-o", link, *(["--force"] if force else []))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {link}: is a symbolic link (to "), result.stderr
    assert link.is_symlink()
    assert (real.read_text() == "old\n") if via != "a dangling link" else not real.exists()
    assert not list(tmp_path.rglob(".*.part"))


# --- signals mid-export --------------------------------------------------------------------------

def _slow_export(tmp_path, small_dir, *extra):
    script = tmp_path / "slow_export.py"
    script.write_text(SLOW_EXPORT)
    return [sys.executable, str(script), "export", "--data", str(small_dir), *extra]


SIGNALS = [s for s in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, s)]


@POSIX
@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "replacing"])
@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_mid_export_leaves_no_temporary_file_and_exits_128_plus_the_signal(small_dir, tmp_path, name, existing):
    signum = getattr(signal, name)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "x.csv"
    if existing:
        target.write_text("precious\n")
    # the default disposition, whatever this test runner inherited (a shell's & ignores SIGINT)
    proc = subprocess.Popen(_slow_export(tmp_path, small_dir, "-o", target, "--force"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGHUP)])
    try:
        assert proc.stderr.readline().strip() == "writing"
        assert len([p for p in out_dir.iterdir() if p.name.endswith(".part")]) == 1  # half-written
        proc.send_signal(signum)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    stderr = proc.stderr.read()
    assert code == 128 + signum, (code, stderr)
    assert "Traceback" not in stderr
    assert [p.name for p in out_dir.iterdir()] == (["x.csv"] if existing else [])
    if existing:
        assert target.read_text() == "precious\n"


@POSIX
def test_a_terminal_that_goes_away_mid_export_leaves_no_temporary_file(small_dir, tmp_path):
    """The window closes (SIGHUP from the kernel when the terminal's master side closes)."""
    import pty

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    argv = _slow_export(tmp_path, small_dir, "-o", out_dir / "x.csv")
    pid, master = pty.fork()
    if pid == 0:  # the child: a session leader on the new terminal
        try:
            os.execv(argv[0], [str(a) for a in argv])
        finally:
            os._exit(127)
    seen = _read_terminal(master, pid, until=b"writing")
    assert b"writing" in seen, seen
    os.close(master)  # the terminal goes away
    _, status = _wait(pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGHUP, status
    assert list(out_dir.iterdir()) == []


@POSIX
def test_a_hangup_the_parent_ignores_stays_ignored(tmp_path):
    """`nohup miler export …` must keep running when the terminal closes."""
    script = tmp_path / "hup.py"
    script.write_text(textwrap.dedent("""\
        import os, signal
        from miler import terminal
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        with terminal.session():
            os.kill(os.getpid(), signal.SIGHUP)
            print("still here")
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "still here\n", done.stderr


def _read_terminal(master: int, pid: int, until: bytes | None = None, seconds: float = 60) -> bytes:
    """What the process on the terminal shows, until it shows UNTIL or ends (or SECONDS pass:
    then it is killed, so that a hung process fails the test instead of hanging it)."""
    import select

    shown = b""
    end = time.monotonic() + seconds
    while until is None or until not in shown:
        ready, _, _ = select.select([master], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is gone
            break
        if not chunk:
            break
        shown += chunk
    return shown


def _wait(pid: int, seconds: float = 30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return done, status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)


@POSIX
@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_while_a_temporary_file_is_created_waits_for_it(tmp_path, name):
    """The signal's exception comes when the file's name is known to the code that removes it,
    even with other threads running (a signal mask would let one of them take the signal)."""
    script = tmp_path / "held.py"
    script.write_text(textwrap.dedent(f"""\
        import os, signal, threading, time
        from miler import files, terminal
        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
        with terminal.session():
            try:
                with files.signals_held():
                    os.kill(os.getpid(), signal.{name})
                    time.sleep(0.2)  # the handler has run by now
                    print("block finished", flush=True)
            except (terminal.Terminated, KeyboardInterrupt) as exc:
                print("then", type(exc).__name__, flush=True)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    expected = "KeyboardInterrupt" if name == "SIGINT" else "Terminated"
    assert done.stdout == f"block finished\nthen {expected}\n", done.stderr


# --- long names and OS errors on paths -----------------------------------------------------------


@POSIX
@pytest.mark.parametrize("name", [
    "a" * 240 + ".csv",  # 244 bytes
    "a" * 251 + ".csv",  # 255 bytes: NAME_MAX
    "é" * 125 + ".csv",  # 254 bytes in UTF-8, 129 characters
    "a" * 250 + ".json",  # 255 bytes, JSON by its suffix
])
def test_a_long_but_valid_file_name_is_written(runner, small_dir, tmp_path, name):
    out = tmp_path / name
    result = run(runner, "export", "--data", small_dir, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").strip()
    assert [p.name for p in tmp_path.iterdir() if p.name != "races.csv"] == [name]


@POSIX
@pytest.mark.parametrize("case", ["-o name over NAME_MAX", "--data name over NAME_MAX", "MILER_DATA name over NAME_MAX",
                                  "-o through a file", "--data through a file", "--data a loop of links"])
def test_an_os_error_on_a_path_is_path_and_what_the_os_said(runner, small_dir, tmp_path, monkeypatch, case):
    long = tmp_path / ("a" * 256)
    (tmp_path / "plain").write_text("x\n")
    (tmp_path / "loop").symlink_to("loop")
    data, args, code = {
        "-o name over NAME_MAX": (small_dir, ["export", "-o", long], errno.ENAMETOOLONG),
        "--data name over NAME_MAX": (long, ["meets"], errno.ENAMETOOLONG),
        "MILER_DATA name over NAME_MAX": (None, ["meets"], errno.ENAMETOOLONG),
        "-o through a file": (small_dir, ["export", "-o", tmp_path / "plain" / "x.csv"], errno.ENOTDIR),
        "--data through a file": (tmp_path / "plain" / "sub", ["meets"], errno.ENOTDIR),
        "--data a loop of links": (tmp_path / "loop", ["meets"], errno.ELOOP),
    }[case]
    if data is None:
        monkeypatch.setenv("MILER_DATA", str(long))
        path = long
    else:
        args += ["--data", data]
        path = args[2] if args[0] == "export" and args[1] == "-o" else data
    result = run(runner, *args)
    assert result.exit_code == 1 and result.stdout == "", (result.exit_code, result.exception)
    assert result.stderr == f"error: {path}: {os.strerror(code)}\n"


@POSIX
@pytest.mark.parametrize("case", ["-o in an unsearchable folder", "-o in a folder that cannot be written",
                                  "races.csv in an unsearchable folder", "a dataset inside an unsearchable folder",
                                  "a races.csv inside an unsearchable folder"])
def test_a_permission_error_on_a_path_is_path_and_what_the_os_said(locked_folders, case):
    tmp = locked_folders
    data = tmp / "data"
    write_csv(_mkdir(data) / "races.csv", SMALL)
    locked = tmp / "locked"
    write_csv(_mkdir(locked / "inner") / "races.csv", SMALL)
    args, path = {
        "-o in an unsearchable folder": (["export", "--data", data, "-o", locked / "x.csv"], locked / "x.csv"),
        "-o in a folder that cannot be written": (["export", "--data", data, "-o", locked / "new.csv"], locked / "new.csv"),
        "races.csv in an unsearchable folder": (["meets", "--data", locked], locked / "races.csv"),
        "a dataset inside an unsearchable folder": (["meets", "--data", locked / "inner"], locked / "inner"),
        "a races.csv inside an unsearchable folder": (["meets", "--data", locked / "inner" / "races.csv"],
                                                      locked / "inner" / "races.csv"),
    }[case]
    locked.chmod(0o555 if "cannot be written" in case else (0o444 if case.startswith("races.csv") else 0o000))
    stderr = clean_exit(miler(*args, obey_permissions=True))
    assert stderr == f"error: {path}: {os.strerror(errno.EACCES)}\n"


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("exc", [
    PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/somewhere/races.csv"),
    OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), "/somewhere/" + "a" * 300),
    OSError(errno.EIO, os.strerror(errno.EIO), "/mnt/gone/races.csv"),
], ids=["EACCES", "ENAMETOOLONG", "EIO"])
def test_an_os_error_no_command_caught_still_names_its_path(small_dir, monkeypatch, capsys, exc):
    """The console script's last line of defence: whatever raised it, an OS error on a path is a
    message naming the path, not a traceback."""
    import miler.dataset.races
    from miler.cli import main

    def fails(*args, **kwargs):
        raise exc

    monkeypatch.setattr(miler.dataset.races, "read_races", fails)
    monkeypatch.setattr(sys, "argv", ["miler", "meets", "--data", str(small_dir)])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"error: {exc.filename}: {exc.strerror}\n"


# --- stdout and stderr ---------------------------------------------------------------------------

COMMANDS = {
    "export": ["export"],
    "export json": ["export", "-f", "json"],
    "h2h": ["h2h", "kerr", "jakob"],
    "meets": ["meets"],
    "validate": ["validate"],
}


@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_stdout_is_a_message_and_exit_1(small_dir, command):
    with open("/dev/full", "w") as full:
        done = miler(*COMMANDS[command], "--data", small_dir, stdout=full, stderr=subprocess.PIPE)
    stderr = clean_exit(done)
    assert stderr.endswith(f"error: stdout: {os.strerror(errno.ENOSPC)}\n"), stderr


def _closed(fd: int):
    return lambda: os.close(fd)


@POSIX
@pytest.mark.parametrize("command", ["export", "h2h", "meets", "validate", "--help"])
def test_a_closed_stdout_ends_quietly(small_dir, command):
    """`miler meets >&-`: nothing to write to, nothing to complain about."""
    args = [command] if command.startswith("--") else [*COMMANDS[command], "--data", small_dir]
    done = miler(*args, preexec_fn=_closed(1), stderr=subprocess.PIPE)
    stderr = clean_exit(done, 0)
    assert stderr in ("", "note: taking Jakob Ingebrigtsen; also matches Filip Ingebrigtsen, Henrik Ingebrigtsen\n")


@POSIX
def test_with_a_closed_stdout_an_export_to_a_file_is_still_written(small_dir, tmp_path):
    out = tmp_path / "x.csv"
    done = miler("export", "--data", small_dir, "-o", out, preexec_fn=_closed(1),
                 stderr=subprocess.PIPE)
    clean_exit(done, 0)
    assert out.read_text().startswith("date,meet,")


@POSIX
@pytest.mark.parametrize("stderr_is", ["closed", "full"])
def test_an_error_with_nowhere_to_say_it_still_exits_1(small_dir, stderr_is):
    if stderr_is == "full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    args = ["h2h", "kerr", "nobody-of-that-name", "--data", small_dir]
    if stderr_is == "closed":
        done = miler(*args, preexec_fn=_closed(2), stdout=subprocess.PIPE)
    else:
        with open("/dev/full", "w") as full:
            done = miler(*args, stdout=subprocess.PIPE, stderr=full)
    assert done.returncode == 1 and done.stdout == b""


ENCODINGS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "PYTHONIOENCODING=latin-1": {"PYTHONIOENCODING": "latin-1"},
    "LC_ALL=C, no UTF-8 mode": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
                                "PYTHONIOENCODING": ""},
}
DASHED = {  # output holding an en dash (h2h's record line) or ≈ (converted marks)
    "h2h": (["h2h", "kerr", "jakob"], "–", "-"),
    "h2h --as mile": (["h2h", "kerr", "jakob", "--as", "mile"], "≈", "~"),
    "athlete": (["athlete", "nordas"], "å", "a"),  # an ASCII query; the name shown holds å
}


@POSIX
@pytest.mark.parametrize("command", DASHED)
@pytest.mark.parametrize("locale", ENCODINGS)
def test_a_stdout_that_cannot_encode_the_output_gets_ascii_or_utf8_never_a_traceback(small_dir, locale, command):
    """A pipe or file gets UTF-8 (the same bytes as -o FILE), unless PYTHONIOENCODING asks for
    another encoding: then what it cannot hold is written as its nearest ASCII."""
    args, char, ascii_char = DASHED[command]
    env = ENCODINGS[locale]
    done = miler(*args, "--data", small_dir, env=env)
    clean_exit(done, 0)
    if env.get("PYTHONIOENCODING"):
        out = done.stdout.decode(env["PYTHONIOENCODING"])
        if char.encode(env["PYTHONIOENCODING"], "ignore"):
            assert char in out
        else:
            assert char not in out and ascii_char in out
    else:
        assert char in done.stdout.decode("utf-8")


def _on_a_terminal(args, env) -> tuple[int, bytes]:
    """Run miler on a pseudo-terminal; (exit status, everything it showed)."""
    import pty

    pid, master = pty.fork()
    if pid == 0:
        try:
            os.environ.update(env)
            for k, v in env.items():
                if v == "":
                    os.environ.pop(k, None)
            os.execv(sys.executable, [sys.executable, "-m", "miler", *map(str, args)])
        finally:
            os._exit(127)
    shown = _read_terminal(master, pid)
    _, status = _wait(pid)
    os.close(master)
    return os.waitstatus_to_exitcode(status), shown


@POSIX
@pytest.mark.parametrize("command", DASHED)
@pytest.mark.parametrize("locale", ["PYTHONIOENCODING=ascii", "LC_ALL=C, no UTF-8 mode"])
def test_an_ascii_terminal_shows_the_nearest_ascii(small_dir, locale, command):
    args, char, ascii_char = DASHED[command]
    code, shown = _on_a_terminal([*args, "--data", small_dir], {**ENCODINGS[locale], "COLUMNS": "120"})
    assert code == 0, shown
    assert b"Traceback" not in shown
    text = shown.decode("ascii")  # nothing but ASCII reached the terminal
    assert ascii_char in text


@POSIX
def test_a_utf8_terminal_still_gets_the_real_characters(small_dir):
    code, shown = _on_a_terminal(["h2h", "kerr", "jakob", "--data", small_dir, "--as", "mile"],
                                 {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "", "COLUMNS": "120"})
    assert code == 0, shown
    text = shown.decode("utf-8")
    assert "–" in text and "≈" in text
