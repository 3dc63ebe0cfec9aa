"""Where the data is: --data, then $MILER_DATA, then the dataset packaged with miler."""

from __future__ import annotations

import os
from pathlib import Path

from miler.errors import NotFoundError

ENV_VAR = "MILER_DATA"


def dataset_paths(data: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """(races.csv, quotes.yaml or None) for --data, then $MILER_DATA, then the packaged data.

    DATA may be a folder holding races.csv (and optionally quotes.yaml) or a CSV file.
    """
    if data is None and os.environ.get(ENV_VAR):
        data = os.environ[ENV_VAR]
    if data is None:
        folder = packaged_data()
    else:
        folder = Path(data).expanduser()
        if folder.is_file():
            return folder, None
        if not folder.exists():
            raise NotFoundError(f"{folder}: no such file or folder (give --data a folder holding races.csv)")
    races = folder / "races.csv"
    if not races.is_file():
        raise NotFoundError(f"{folder}: no races.csv in this folder")
    quotes = folder / "quotes.yaml"
    return races, quotes if quotes.is_file() else None


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
