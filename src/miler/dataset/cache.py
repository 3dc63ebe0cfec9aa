"""A cache of validated races, so that a file is read and checked once, not every run.

An entry holds the validated races as codes (miler.dataset.coded): an Arrow IPC file of
integer columns, each text column's values as its Arrow dictionary (typed data, nothing
executable, never pickle), followed by a trailer: MAGIC, the FORMAT version, the payload's
length and its CRC-32. An entry is read memory-mapped, its checksum verified first, and only
the rows a command asks for are turned into a frame.

The key is taken before the file is read: its real path, size, modification and change times
(ctime: no tool can restore it), inode and device, a hash of its content (all of it up to
WHOLE_BYTES, else a sample of blocks), miler's version and FORMAT. The file is looked at again
after reading: one that changed meanwhile is not cached. A file rewritten in place with its size
and modification time restored has another ctime and another key.

Entries live in $MILER_CACHE_DIR, else in the user's cache folder (miler.dataset.cachedir). A
cache that cannot be read or written is passed over with one warning: it never stops a command.
A damaged entry (a bad checksum, another format) is removed with a warning and rebuilt. Entries
are written whole or not at all (miler.files.atomic_write), while holding a lock on the
temporary file; a temporary file no process holds (its writer died) is removed by the next
write. Entries unused for PRUNE_DAYS are removed too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from miler import __version__
from miler.dataset.cachedir import CacheError, cache_dir, cannot, held, lock

if TYPE_CHECKING:
    from miler.dataset.coded import Coded

FORMAT = 7  # bump when validation, the codes or the entry's layout change
MAGIC = b"MILERC\x00\x01"
TRAILER = struct.Struct("<8sIQI")  # magic, format, payload bytes, crc32 of the payload
WHOLE_BYTES = 1 << 20  # files up to this size are hashed whole for the key
SAMPLE_BLOCKS, BLOCK = 64, 4096  # larger ones: the first and last 64 KiB and blocks between
BATCH_ROWS = 1 << 17
STALE_SECONDS = 60  # a temporary file this old that no process holds is a dead writer's
PRUNE_DAYS = 30


@dataclass(frozen=True)
class Key:
    """What a file was, taken before it was read."""

    path: Path  # the real path
    state: tuple  # size, mtime_ns, ctime_ns, inode, device
    name: str  # the entry's file name

    @property
    def where(self) -> str:
        return self.name.split("-")[1]


def key(path: Path) -> Key | None:
    """The key of a races file as it is now, or None when it cannot be read (reading it will
    say why)."""
    try:
        real = Path(path).resolve()
        with open(real, "rb") as f:
            st = os.fstat(f.fileno())
            content = _content_hash(f, st.st_size)
    except OSError:
        return None
    state = _state(st)
    where = hashlib.blake2b(os.fsencode(str(real)), digest_size=8).hexdigest()
    what = hashlib.blake2b(repr((state, content, __version__, FORMAT)).encode(), digest_size=8).hexdigest()
    return Key(real, state, f"races-{where}-{what}.arrow")


def _state(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _content_hash(f, size: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    if size <= WHOLE_BYTES:
        h.update(f.read())
        return h.hexdigest()
    fd = f.fileno()
    h.update(os.pread(fd, 1 << 16, 0))
    step = size // (SAMPLE_BLOCKS + 1)
    for i in range(1, SAMPLE_BLOCKS + 1):
        h.update(os.pread(fd, BLOCK, i * step))
    h.update(os.pread(fd, 1 << 16, max(0, size - (1 << 16))))
    return h.hexdigest()


def unchanged(k: Key) -> bool:
    """Whether the file is still what it was when its key was taken (by its stat)."""
    try:
        return _state(os.stat(k.path)) == k.state
    except OSError:
        return False


# --- reading -----------------------------------------------------------------------------------


def get(k: Key, warn) -> tuple[Coded, list[str]] | None:
    """The validated races and warnings of the entry for k, if a good one exists. A damaged
    entry is removed (warn says so); a cache that cannot be read is passed over (warn says why)."""
    try:
        folder = cache_dir()
        entry = folder / k.name
        try:
            f = open(entry, "rb")
        except FileNotFoundError:
            return None
    except (OSError, CacheError) as exc:
        warn(cannot(exc))
        return None
    try:
        with f:
            found = _read_entry(f)
    except _Damaged as exc:
        with contextlib.suppress(OSError):
            entry.unlink()
        warn(f"cache entry {entry} was damaged ({exc}): removed, and {k.path.name} read afresh")
        return None
    except OSError as exc:
        warn(cannot(exc))
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # last used: see prune
    return found


class _Damaged(Exception):
    pass


def _read_entry(f) -> tuple[Coded, list[str]]:
    import mmap

    import pyarrow as pa

    from miler.dataset.coded import CODED, Coded

    size = os.fstat(f.fileno()).st_size
    if size < TRAILER.size:
        raise _Damaged("too short")
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    magic, version, length, crc = TRAILER.unpack(mm[size - TRAILER.size :])
    if magic != MAGIC:
        raise _Damaged("not a miler cache entry")
    if version != FORMAT:
        raise _Damaged(f"format {version}, not {FORMAT}")
    if length != size - TRAILER.size:
        raise _Damaged("truncated")
    view = memoryview(mm)[:length]
    if zlib.crc32(view) != crc:
        raise _Damaged("checksum mismatch")
    try:
        reader = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(view)))
        meta = json.loads(reader.schema.metadata[b"miler"])
        names = reader.schema.names
        batches, categories = [], {}
        facts = {}
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            codes = {}
            for name, column in zip(names, batch.columns):
                if name in CODED:
                    if name not in categories:
                        categories[name] = _dictionary(column.dictionary, facts)
                    codes[name] = column.indices.to_numpy()
                else:
                    codes[name] = column.to_numpy()
            batches.append(codes)
        if set(categories) != set(CODED) or set(facts) != set(FACTS):
            raise _Damaged("columns missing")
        return Coded(categories, batches, facts), list(meta.get("warnings", []))
    except (pa.ArrowException, ValueError, KeyError, TypeError) as exc:
        raise _Damaged(f"unreadable: {exc}") from None


FACTS = {"days": "int64", "seconds": "float64", "decimals": "int8", "status": "int8", "rows": "int64"}


def _dictionary(dictionary, facts: dict):
    """A column's categories; a struct dictionary (date, time, athlete) also brings what
    validation found of each category (see Coded.fact)."""
    import pyarrow as pa

    if not pa.types.is_struct(dictionary.type):
        return dictionary
    for i in range(1, dictionary.type.num_fields):
        name = dictionary.type.field(i).name
        facts[name] = dictionary.field(i).to_numpy(zero_copy_only=False)
    return dictionary.field(0)


# --- writing -----------------------------------------------------------------------------------


def put(k: Key, coded: Coded, warnings: list[str], warn) -> None:
    """Store validated races under k, unless the file changed since k was taken. Older entries
    of the same file are removed. A cache that cannot be written is passed over (warn says why)."""
    if not unchanged(k):
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        _tidy(folder, k)
        _write(folder / k.name, coded, warnings, k)
    except (OSError, CacheError) as exc:
        warn(cannot(exc))
    except Exception as exc:  # miler.files.OutputError, pyarrow's errors: the cache is an extra
        warn(cannot(OSError(0, str(exc))))


def _write(target: Path, coded: Coded, warnings: list[str], k: Key) -> None:
    import pyarrow as pa

    from miler.dataset.coded import CODED
    from miler.files import atomic_write

    first = coded.batches[0]
    dictionaries = _dictionaries(coded)
    fields = [pa.field(c, pa.dictionary(pa.from_numpy_dtype(first[c].dtype), dictionaries[c].type)) for c in CODED]
    fields += [pa.field(c, pa.from_numpy_dtype(first[c].dtype if c != "head" else "uint8"))
               for c in ("place", "race_id", "head")]
    meta = {"warnings": warnings, "source": str(k.path), "rows": len(coded), "format": FORMAT}
    schema = pa.schema(fields, metadata={b"miler": json.dumps(meta).encode()})
    with atomic_write(target, force=True, encoding=None) as stream:
        lock(stream)
        sink = _Summed(stream)
        with pa.ipc.new_file(sink, schema) as writer:
            for batch in _batches(coded, schema, dictionaries):
                writer.write_batch(batch)
        stream.write(TRAILER.pack(MAGIC, FORMAT, sink.length, sink.crc))


def _dictionaries(coded: Coded) -> dict:
    """Each coded column's dictionary: its categories, with the facts of dates, times and
    athletes (see Coded.fact)."""
    import pyarrow as pa

    from miler.dataset.coded import CODED

    out = {c: coded.categories[c] for c in CODED}
    for column, names in (("date", ["days"]), ("time", ["seconds", "decimals", "status"]), ("athlete", ["rows"])):
        arrays = [coded.categories[column]] + [pa.array(coded.fact(n).astype(FACTS[n])) for n in names]
        out[column] = pa.StructArray.from_arrays(arrays, names=["text"] + names)
    return out


def _batches(coded: Coded, schema, dictionaries: dict):
    """The rows in record batches of BATCH_ROWS (one, maybe empty, at least)."""
    import numpy as np
    import pyarrow as pa

    for start in range(0, max(len(coded), 1), BATCH_ROWS):
        stop = min(start + BATCH_ROWS, len(coded))
        positions = np.arange(start, stop) if len(coded.batches) != 1 else None
        arrays = []
        for field in schema:
            c = field.name
            values = coded.column(c, positions) if positions is not None else coded.batches[0][c][start:stop]
            if c in dictionaries:
                arrays.append(pa.DictionaryArray.from_arrays(pa.array(values, type=field.type.index_type),
                                                             dictionaries[c], safe=False))
            else:
                arrays.append(pa.array(values.view(np.uint8) if c == "head" else values, type=field.type))
        yield pa.record_batch(arrays, schema=schema)


class _Summed:
    """A binary stream that counts and checksums what goes through it."""

    def __init__(self, stream) -> None:
        self.stream, self.length, self.crc, self.closed = stream, 0, 0, False

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self.crc = zlib.crc32(view, self.crc)
        self.length += len(view)
        self.stream.write(view)
        return len(view)

    def tell(self) -> int:
        return self.length

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:  # the stream belongs to atomic_write
        self.closed = True


def _tidy(folder: Path, k: Key) -> None:
    """Remove temporary files of writers that died, this file's older entries, and entries
    unused for PRUNE_DAYS."""
    now = time.time()
    with os.scandir(folder) as it:
        names = [(e.name, e) for e in it]
    for name, e in names:
        if not name.startswith((".races-", "races-")):
            continue
        try:
            age = now - e.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        path = Path(e.path)
        if name.startswith(".races-") and name.endswith(".part"):
            if age > STALE_SECONDS and not held(path):
                with contextlib.suppress(OSError):
                    path.unlink()
        elif name.endswith(".arrow") and name != k.name and (
                name.startswith(f"races-{k.where}-") or age > PRUNE_DAYS * 86400):
            with contextlib.suppress(OSError):
                path.unlink()
