"""Readers of other people's results files, one module each, all ending in the same staged rows
(see miler.dataset.formats.staged), which miler.dataset.importing turns into a dataset.

- ``kinds()``: the schemas miler knows, with how each is recognised (``miler formats``).
- ``detect(sample)``: the kind of a file, by its header or structure, and how it was told.
- ``Options``: what a user says about a file (``--from``, ``--map``, ``--set``, ``--columns``,
  ``--date-format``).

A reader module has NAME, TITLE, RECOGNISED (words for ``miler formats``), ``recognise(sample)``
(how the file was recognised, or None) and ``read(sample, options) -> Staged``.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from miler.errors import DataError, MilerError, Problem

# In the order they are tried: the first that recognises a file reads it.
_MODULES = ("miler_own", "worldathletics", "athlib", "diamondleague", "table")
ALIASES = {
    "wa": "worldathletics", "world-athletics": "worldathletics", "tilastopaja": "athlib",
    "dl": "diamondleague", "diamond-league": "diamondleague", "csv": "table", "xlsx": "table",
    "ods": "table", "spreadsheet": "table", "own": "miler",
}  # fmt: skip


@dataclass
class Options:
    """What the user says about the files: --from KIND, --map THEIR=OURS, --set COLUMN=VALUE,
    --columns a,b,c (the file has no header), --date-format."""

    kind: str | None = None
    maps: dict[str, str] = field(default_factory=dict)
    sets: dict[str, str] = field(default_factory=dict)
    columns: list[str] | None = None
    date_format: str | None = None


class Sample:
    """A file as the readers see it: its first bytes, and (read once, when asked) its JSON or its table."""

    def __init__(self, path: Path, options: Options | None = None):
        self.path = path
        self.name = path.name
        self.options = options or Options()
        try:
            with open(path, "rb") as f:
                self.head = f.read(65536)
        except OSError as exc:
            raise DataError([Problem(path.name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None
        if not self.head.strip():
            raise DataError([Problem(path.name, 0, "the file is empty")])

    @property
    def looks_json(self) -> bool:
        return self.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")

    @cached_property
    def json(self) -> Any:
        try:
            with open(self.path, encoding="utf-8-sig") as f:
                return json.load(f)
        except UnicodeDecodeError:
            raise DataError([Problem(self.name, 0, "not UTF-8 text: JSON must be UTF-8")]) from None
        except json.JSONDecodeError as exc:
            raise DataError([Problem(self.name, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
        except RecursionError:
            raise DataError([Problem(self.name, 0, "not JSON miler can read: nested too deeply")]) from None

    @cached_property
    def header(self) -> list[str] | None:
        """The first row of a table (read from the first bytes only), None for JSON."""
        from miler.dataset.csvfile import sniff
        from miler.dataset.formats.tables import is_workbook

        if self.looks_json:
            return None
        if self.options.columns is not None:
            return list(self.options.columns)
        if is_workbook(self.path, self.head):
            return self.table.header
        return [h.strip() for h in sniff(self.path, [])[2]]

    @cached_property
    def table(self):
        from miler.dataset.formats.tables import read_table

        return read_table(self.path, self.head, has_header=self.options.columns is None)


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    recognised: str
    module: Any


def kinds() -> list[Kind]:
    out = []
    for m in _MODULES:
        mod = importlib.import_module(f"miler.dataset.formats.{m}")
        out.append(Kind(mod.NAME, mod.TITLE, mod.RECOGNISED, mod))
    return out


def kind_named(name: str) -> Kind:
    """The kind --from names (or an alias of it); an unknown name is an error listing them."""
    wanted = ALIASES.get(name.strip().lower(), name.strip().lower())
    for k in kinds():
        if k.name == wanted:
            return k
    raise MilerError(f"unknown kind '{name}' for --from (known: {', '.join(k.name for k in kinds())})")


def detect(sample: Sample) -> tuple[Kind, str]:
    """The kind of a file and how it was recognised; --from decides when given, and --map or
    --columns make a table of a file that is not JSON."""
    opts = sample.options
    if opts.kind:
        kind = kind_named(opts.kind)
        if kind.name in ("athlib", "diamondleague") and not sample.looks_json:
            raise DataError([Problem(sample.name, 0, f"--from {opts.kind}: this file is not JSON")])
        return kind, "given with --from"
    if (opts.maps or opts.columns) and not sample.looks_json:
        return kind_named("table"), "read as a mapped table (--map/--columns given)"
    for k in kinds():
        how = k.module.recognise(sample)
        if how:
            return k, how
    if sample.looks_json:
        data = sample.json
        what = f"an object with keys {', '.join(list(data)[:8])}" if isinstance(data, dict) else type(data).__name__
        raise DataError([Problem(sample.name, 0, f"JSON, but not a schema miler knows ({what}); "
                                 f"it reads {', '.join(k.title for k in kinds()[:4])} (see miler formats)")])
    raise DataError([Problem(sample.name, 0, "not a results file miler recognises (see miler formats); "
                             "for any other table, say which columns are which with --map THEIR=OURS")])
