"""Where miler's cache lives, and the locks on its files.

$MILER_CACHE_DIR, else the user's cache folder as platformdirs gives it (XDG_CACHE_HOME where it
is an absolute path, else ~/.cache/miler on Linux; an empty or relative HOME is passed over). A
writer holds a lock on its temporary file while it writes, so that a temporary file nobody holds
is known to be a dead writer's.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

ENV_VAR = "MILER_CACHE_DIR"


class CacheError(Exception):
    """The cache could not be used; the message says why (for the one warning)."""


def cache_dir() -> Path:
    """The folder of miler's cache (see the module's docstring). Raises CacheError when there
    is none to be had (no absolute home folder)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().absolute()
    try:
        import platformdirs

        with _sane_environment():
            folder = Path(platformdirs.user_cache_dir("miler", appauthor=False))
    except Exception as exc:  # platformdirs raises RuntimeError when no home can be found
        raise CacheError(f"no cache folder ({exc})") from None
    if not folder.is_absolute():
        raise CacheError(f"no cache folder (found only the relative path {folder})")
    return folder


@contextlib.contextmanager
def _sane_environment():
    """XDG_CACHE_HOME and HOME as the XDG spec reads them, for platformdirs (whose versions
    for Python 3.10 take a relative XDG path, or HOME='' for the root folder, as they are): a
    relative XDG path is ignored, an empty or relative HOME replaced by the password
    database's."""
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "HOME")}
    try:
        xdg = saved["XDG_CACHE_HOME"]
        if xdg is not None and not os.path.isabs(xdg):
            del os.environ["XDG_CACHE_HOME"]
        home = saved["HOME"]
        if home is not None and not os.path.isabs(home):
            real = _password_home()
            if real:
                os.environ["HOME"] = real
            else:
                del os.environ["HOME"]
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _password_home() -> str | None:
    try:
        import pwd

        home = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, AttributeError):
        return None
    return home if os.path.isabs(home) else None


def cannot(exc: BaseException) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    where = getattr(exc, "filename", None) or ""
    return (f"the cache{' ' + str(where) if where else ''} cannot be used ({reason}); going on without it "
            f"(set {ENV_VAR} to a folder miler may write)")


def lock(stream) -> None:
    """Hold a lock on the temporary file while writing it: the cache leaves locked ones alone."""
    try:
        import fcntl

        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError, AttributeError, ValueError):
        pass


def held(path: Path) -> bool:
    """Whether a process holds a lock on a file (its writer is alive)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock: trust the age alone
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
