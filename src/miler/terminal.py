"""The process's surroundings, set up once by the console script before any command runs.

- Standard streams that cannot end in a traceback: a closed stdout or stderr (``>&-``) is
  opened on /dev/null; a file or pipe is written as UTF-8 whatever the locale, and characters a
  terminal's encoding cannot hold are written as their nearest ASCII (``–`` -> ``-``, ``≈`` ->
  ``~``), never a UnicodeEncodeError; a write to stdout that fails (``> /dev/full``) raises
  OutputError, a message and exit 1; a write to stderr that fails is dropped (there is
  nowhere left to say so).
- SIGTERM and SIGHUP raise Terminated in the main thread, as Ctrl-C raises KeyboardInterrupt,
  so that ``with`` and ``finally`` blocks run (atomic_write removes its temporary file) before
  the process ends with 128 + the signal's number; while a temporary file is being created or
  removed (miler.files.signals_held) the exception waits for that to finish. A signal the
  parent set to be ignored (``nohup``) stays ignored.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import signal
import sys
from collections.abc import Iterator

from miler.errors import OutputError
from miler.files import defer_or_raise

ERRORS = "miler-ascii"  # the codec error handler: the nearest ASCII of what cannot be encoded
SIGNALS = tuple(getattr(signal, s) for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s))


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, so that ``except Exception`` lets it pass."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"signal {signum}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextlib.contextmanager
def session() -> Iterator[None]:
    """Standard streams and signal handlers for a run of the command line; the handlers are
    put back on the way out. A stream someone else already replaced (a test capturing
    output) is left as it is."""
    codecs.register_error(ERRORS, _nearest_ascii)
    _open_closed_fds()
    if sys.stdout is None or sys.stdout is sys.__stdout__:
        sys.stdout = _stream(1, sys.stdout)
    if sys.stderr is None or sys.stderr is sys.__stderr__:
        sys.stderr = _stream(2, sys.stderr)
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, *SIGNALS)}
    for signum, handler in previous.items():
        if handler == signal.SIG_DFL:
            signal.signal(signum, _raise_terminated)
        elif handler is signal.default_int_handler:
            signal.signal(signum, _raise_interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_terminated(signum, frame) -> None:
    for s in SIGNALS:  # a second signal must not cut the clean-up of the first short
        signal.signal(s, signal.SIG_IGN)
    defer_or_raise(Terminated(signum))


def _raise_interrupt(signum, frame) -> None:
    """Ctrl-C, as Python's own handler, but waiting for a file being created or removed."""
    defer_or_raise(KeyboardInterrupt())


def _nearest_ascii(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    from anyascii import anyascii

    return "".join(anyascii(c) or "?" for c in exc.object[exc.start : exc.end]), exc.end


def _open_closed_fds() -> None:
    """A closed standard descriptor is opened on /dev/null: output to it is discarded, and no
    file miler opens later takes its number (a CSV written to "stdout" by accident)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


class _Stream(io.TextIOWrapper):
    """stdout or stderr, whose failed writes end the command cleanly (stdout: OutputError) or
    are dropped (stderr). A closed pipe on stdout still raises BrokenPipeError, which the
    command line ends with 141. After a failure the descriptor is pointed at /dev/null, so
    that the flush at exit cannot fail again.

    The checks sit above Python's own buffered stream, never inside it: a signal that arrives
    as a write returns then cannot make the buffer write the same bytes twice."""

    label = "stdout"
    fail = True

    def write(self, s: str) -> int:
        try:
            return super().write(s)
        except OSError as exc:
            return self._failed(exc, len(s))

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            self._failed(exc, 0)

    def _failed(self, exc: OSError, n: int) -> int:
        if self.fail and isinstance(exc, BrokenPipeError):
            raise exc
        _to_devnull(self.fileno())
        if not self.fail:
            return n
        raise OutputError(f"{self.label}: {exc.strerror or exc}") from None


class _Stderr(_Stream):
    label = "stderr"
    fail = False


def _stream(fd: int, old) -> io.TextIOWrapper:
    """A text stream on fd like the one Python made (OLD, None when the fd was closed), with the
    error handling above. A terminal (or a PYTHONIOENCODING the user set) keeps its encoding,
    and what it cannot show degrades to ASCII; a file or a pipe gets UTF-8, the data exact and
    the same bytes as -o FILE."""
    binary = open(fd, "wb", closefd=False)
    encoding = getattr(old, "encoding", None) or "utf-8"
    if not binary.isatty() and not os.environ.get("PYTHONIOENCODING"):
        encoding = "utf-8"
    kind = _Stream if fd == 1 else _Stderr
    return kind(
        binary,
        encoding=encoding,
        errors=ERRORS,
        line_buffering=getattr(old, "line_buffering", False) or binary.isatty(),
        write_through=getattr(old, "write_through", fd == 2),
    )


def _to_devnull(fd: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit cannot fail again."""
    _to_devnull(sys.stdout.fileno())
