"""A cache of validated races, so that a large file is read and checked once, not every run.

An entry is an Arrow IPC (Feather v2) file: typed columns and nothing executable (never
pickle). It lives in $MILER_CACHE_DIR, else $XDG_CACHE_HOME/miler, else ~/.cache/miler, and is
keyed by the races file's real path, size, modification time and inode, and by miler's
version: a file that changes is read and checked afresh, and its old entry is removed.
Small files are not cached (checking them is quicker than the cache). A cache that cannot be
read or written is passed over: it never stops a command. Entries are written whole or not at
all (miler.files.atomic_write).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from miler import __version__

MIN_BYTES = 2 << 20  # files smaller than this are checked each time
RULES = 3  # bump when validation or the frame's columns change, so old entries are not used
ENV_VAR = "MILER_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "miler"


def _entry(path: Path) -> tuple[str, Path] | None:
    try:
        real = path.resolve()
        st = real.stat()
    except OSError:
        return None
    if st.st_size < MIN_BYTES:
        return None
    where = hashlib.sha256(str(real).encode()).hexdigest()[:16]
    state = hashlib.sha256(f"{st.st_size}|{st.st_mtime_ns}|{st.st_ino}|{__version__}|{RULES}".encode()).hexdigest()[:16]
    return where, cache_dir() / f"races-{where}-{state}.arrow"


def get(path: Path) -> tuple[pd.DataFrame, list[str]] | None:
    """The validated frame and warnings for path, if a current entry exists."""
    entry = _entry(path)
    if entry is None or not entry[1].is_file():
        return None
    try:
        import pyarrow.feather as feather

        table = feather.read_table(entry[1], memory_map=True)
        meta = json.loads(table.schema.metadata.get(b"miler", b"{}"))
        frame = table.to_pandas()
    except Exception:  # a damaged or foreign entry: read the file instead
        return None
    return frame, list(meta.get("warnings", []))


def put(path: Path, frame: pd.DataFrame, warnings: list[str]) -> None:
    """Store a validated frame; remove older entries of the same file. Failures are ignored."""
    entry = _entry(path)
    if entry is None:
        return
    where, target = entry
    try:
        import pyarrow as pa
        import pyarrow.feather as feather

        from miler.files import atomic_write

        target.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"miler"] = json.dumps({"warnings": warnings, "source": str(path)}).encode()
        table = table.replace_schema_metadata(meta)
        with atomic_write(target, force=True, encoding=None) as stream:
            feather.write_feather(table, stream, compression="uncompressed")
        for old in target.parent.glob(f"races-{where}-*.arrow"):
            if old != target:
                old.unlink(missing_ok=True)
    except Exception:  # no space, no permission, read-only home: go on without a cache
        return
