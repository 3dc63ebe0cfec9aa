"""Files written whole or not at all, and output to a file or stdout.

- ``atomic_write(path, force=...)`` writes to a temporary file beside PATH and moves it into
  place only when the writing finished; an exception (or Ctrl-C, SIGTERM, SIGHUP) part-way
  leaves no partial file and an existing PATH untouched. An existing file is replaced only
  with ``force``, and only a regular file: a device, a FIFO or a folder never is.
- ``output(path, force=...)`` is the same, or stdout when PATH is None.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from miler.errors import OutputError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, force: bool = False, encoding: str | None = "utf-8") -> Iterator[IO]:
    """A text stream (bytes with encoding=None) whose content becomes PATH only if the
    with-block finishes.

    Raises OutputError (nothing written) when PATH exists and force is false, when PATH is a
    folder or anything else but a regular file (a device, a FIFO, a socket, or a link to one:
    those are never replaced; nor is a symbolic link, whatever it names), when its folder is
    missing, or when the OS refuses the path (a
    name too long, a folder that cannot be searched or written): ``PATH: what the OS said``.
    The new file gets the permissions a newly created file would get (or keeps those of the
    file it replaces). The temporary file beside PATH is removed whatever ends the block: an
    exception, Ctrl-C, or a SIGTERM or SIGHUP the command line turns into an exception.
    """
    path = Path(path).expanduser()
    _check_target(path, force)
    tmp = None
    try:
        with signals_held():  # a signal must not come between creating the file and naming it
            tmp, stream = _create_temp(path, encoding)
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _set_mode(tmp, path)
        _check_target(path, force)  # nothing special took PATH's place meanwhile
        _move_into_place(tmp, path, force)
    except BaseException as exc:
        if tmp is not None:
            with signals_held(), contextlib.suppress(OSError):
                stream.close()
                tmp.unlink()
        if isinstance(exc, OSError):  # a full disk, a file system gone read-only, …
            raise OutputError(f"{path}: could not be written ({exc.strerror or exc}); nothing was written") from None
        raise


def _create_temp(path: Path, encoding: str | None) -> tuple[Path, IO]:
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    try:
        return Path(name), (open(fd, "w", encoding=encoding, newline="") if encoding else open(fd, "wb"))
    except BaseException:
        os.close(fd)
        os.unlink(name)
        raise


TEMP_SUFFIX = ".part"
_RANDOM = 8  # the characters tempfile adds to a name
_NAME_MAX = 255  # where os.pathconf cannot tell


def _temp_prefix(path: Path) -> str:
    """'.NAME.', NAME cut short so that the temporary name fits the file system's NAME_MAX
    (a 250-byte name is valid; its temporary name must be too)."""
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        name_max = _NAME_MAX
    room = name_max - len(os.fsencode(f"..{TEMP_SUFFIX}")) - _RANDOM
    name = path.name
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


def _check_target(path: Path, force: bool) -> None:
    """Nothing there (in a folder that is there), or a regular file and force; else OutputError.

    A symbolic link is refused: renaming onto it would replace the link, not the file it names
    (``-o /dev/stdout`` would put a file in /dev), and writing through it would let whoever
    made the link choose the file replaced (a link in /tmp to /etc/passwd)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{path}: is a symbolic link (to {os.readlink(path)}), not a regular file; miler replaces "
                          f"only regular files: give the file itself, or leave out -o and redirect: > {path}")
    if st is None:
        try:
            folder = os.stat(path.parent)
        except FileNotFoundError:
            raise OutputError(f"{path}: no such folder {path.parent}") from None
        except OSError as exc:
            raise OutputError(f"{path}: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(folder.st_mode):
            raise OutputError(f"{path}: {path.parent} is not a folder")
        return
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name to write to")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: is {_kind(st.st_mode)}, not a regular file; miler writes only regular files "
                          f"(to send the output there, leave out -o and redirect: > {path})")
    if not force:
        raise OutputError(f"{path}: already exists; use --force to replace it")


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a special file"


_held = 0  # how many signals_held blocks are running
_deferred: list[BaseException] = []  # what a signal raised while one was


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """The exceptions signals raise (Ctrl-C; SIGTERM and SIGHUP under the command line, see
    miler.terminal) wait until the block ends, then are raised: a temporary file is never
    created or removed halfway, unknown to the code that cleans up. A flag, not a signal mask:
    with other threads running (pyarrow's), a masked signal would reach one of them and its
    handler would still run here, in the main thread."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _deferred:
            exc = _deferred.pop()
            _deferred.clear()
            raise exc


def defer_or_raise(exc: BaseException) -> None:
    """For a signal handler: raise EXC now, or when the signals_held block running ends."""
    if _held:
        _deferred.append(exc)
        return
    raise exc


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
