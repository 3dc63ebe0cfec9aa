"""Where the data is: --data (once or more), then $MILER_DATA, then the dataset packaged with miler."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from miler.errors import NotFoundError, PathError

ENV_VAR = "MILER_DATA"


def dataset_paths(data: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """(races.csv, quotes.yaml or None) for --data, then $MILER_DATA, then the packaged data.

    DATA may be a folder holding races.csv (and optionally quotes.yaml) or a CSV file. A path
    the OS refuses (a name too long, a folder that cannot be searched, a loop of links) is a
    PathError: ``PATH: what the OS said``.
    """
    if data is None and os.environ.get(ENV_VAR):
        data = os.environ[ENV_VAR]
    if data is None:
        folder = packaged_data()
    else:
        folder = Path(data).expanduser()
        st = _stat(folder)
        if st is None:
            raise NotFoundError(f"{folder}: no such file or folder (give --data a folder holding races.csv)")
        if not stat.S_ISDIR(st.st_mode):
            return folder, None
    races = folder / "races.csv"
    st = _stat(races)
    if st is None or stat.S_ISDIR(st.st_mode):
        raise NotFoundError(f"{folder}: no races.csv in this folder")
    quotes = folder / "quotes.yaml"
    st = _stat(quotes)
    return races, quotes if st is not None and not stat.S_ISDIR(st.st_mode) else None


def _stat(path: Path) -> os.stat_result | None:
    """The path's status, None when there is nothing there; PathError for anything else."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PathError(path, exc) from None


def data_sources(data=None) -> list[tuple[Path, Path | None]]:
    """(races file, quotes.yaml or None) for each --data given (a folder or a file of any schema
    miler reads), in order; $MILER_DATA or the packaged data when none is given."""
    if data is None or isinstance(data, (str, os.PathLike)):
        return [dataset_paths(data)]
    items = list(data)
    if not items:
        return [dataset_paths(None)]
    return [dataset_paths(d) for d in items]


def beside(races: Path, name: str) -> Path | None:
    """A file of the dataset beside its races.csv (athletes.csv), or None when there is none
    (or the dataset is a CSV file given alone)."""
    if races.name != "races.csv":
        return None
    path = races.with_name(name)
    return path if path.is_file() else None


def packaged_data() -> Path:
    """The folder of the dataset shipped with miler (or the repository's, in a checkout)."""
    from importlib.resources import files

    packaged = Path(str(files("miler") / "data"))
    if (packaged / "races.csv").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"  # an editable install or a checkout
