"""Files written whole or not at all, and output to a file or stdout.

- ``atomic_write(path, force=...)`` writes to a temporary file beside PATH and moves it into
  place only when the writing finished; an exception (or Ctrl-C) part-way leaves no partial
  file and an existing PATH untouched. An existing file is replaced only with ``force``.
- ``output(path, force=...)`` is the same, or stdout when PATH is None.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from miler.errors import OutputError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, force: bool = False, encoding: str | None = "utf-8") -> Iterator[IO]:
    """A text stream (bytes with encoding=None) whose content becomes PATH only if the
    with-block finishes.

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
        with (open(fd, "w", encoding=encoding, newline="") if encoding else open(fd, "wb")) as stream:
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
