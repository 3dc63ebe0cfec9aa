"""Where output goes, safely: whole files or nothing, and CSV cells a spreadsheet will not run.

- ``atomic_write(path, force=...)`` writes to a temporary file beside PATH and moves it into
  place only when the writing finished; an exception (or Ctrl-C) part-way leaves no partial
  file and an existing PATH untouched. An existing file is replaced only with ``force``.
- ``output(path, force=...)`` is the same, or stdout when PATH is None.
- ``guard_cell`` / ``unguard_cell`` neutralise spreadsheet formulas ("CSV injection", OWASP):
  a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading single quote, which spreadsheets show as text. Plain numbers (``-0.27``, ``+3``)
  are not formulas and are left alone, as are numbers that are not text at all. A cell that
  already begins with quotes followed by one of those characters gets one more quote, so
  ``unguard_cell(guard_cell(x)) == x`` for every string: the loader undoes the guard and an
  export read back by miler is the data that was exported.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from miler.errors import OutputError

_GUARDED = re.compile(r"^'*[=+\-@\t\r]")  # a cell the guard must quote (once more)
_UNGUARD = re.compile(r"^'+[=+\-@\t\r]")  # a cell the guard quoted
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")  # a plain number, ASCII digits


def guard_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate: formula-like text gets a leading quote."""
    if isinstance(value, str) and _GUARDED.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """Undo guard_cell: drop the quote it put before =, +, -, @, tab or carriage return."""
    return value[1:] if _UNGUARD.match(value) else value


def guard_series(s):
    """guard_cell over a pandas Series of strings, vectorised."""
    needs = s.str.match(_GUARDED.pattern) & ~s.str.match(_NUMBER.pattern)
    return s.where(~needs, "'" + s)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, force: bool = False, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text stream whose content becomes PATH only if the with-block finishes.

    Raises OutputError (nothing written) when PATH exists and force is false, when PATH is a
    folder, or when its folder is missing or not writable. The new file gets the permissions
    a newly created file would get (or keeps those of the file it replaces).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name to write to")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: no such folder {folder}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        with open(fd, "w", encoding=encoding, newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _set_mode(tmp, path)
        _move_into_place(tmp, path, force)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):  # a full disk, a file system gone read-only, …
            raise OutputError(f"{path}: could not be written ({exc.strerror or exc}); nothing was written") from None
        raise


def _set_mode(tmp: Path, path: Path) -> None:
    """mkstemp makes 0600 files; give the result the mode a plain open() would have."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    # Without --force a file that appeared meanwhile must not be clobbered: link(2) refuses
    # to replace an existing name, atomically. Filesystems without hard links fall back.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; use --force to replace it") from None
    except OSError:
        if path.exists():
            raise OutputError(f"{path}: already exists; use --force to replace it") from None
        os.replace(tmp, path)
        return
    with contextlib.suppress(OSError):  # the file is in place; a leftover name is harmless
        tmp.unlink()


@contextlib.contextmanager
def output(path: str | os.PathLike | None = None, *, force: bool = False) -> Iterator[IO[str]]:
    """stdout when PATH is None, else atomic_write(PATH, force=force)."""
    if path is None:
        yield sys.stdout
        return
    with atomic_write(path, force=force) as stream:
        yield stream
