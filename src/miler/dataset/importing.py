"""Other people's results files into one miler dataset: ``miler import`` and ``--data FILE``.

``read_source(path, options)`` reads one file of any known kind (miler.dataset.formats) into a
validated frame, leaving out each row that is not one race result (with the reason and where
it was) and recording every guess; ``import_sources(paths, options)`` merges several in order
(miler.dataset.merge). Every imported row's source is where it came from: ``FILE:LINE`` for a
table, ``FILE#events[12].result[3]`` for JSON.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from miler.dataset.formats import Options, Sample, detect
from miler.dataset.merge import Conflict, MergeReport, merge

SHOWN_PLACES = 5  # where-lists in the text report are cut after this many


@dataclass
class SourceReport:
    """What reading one file did."""

    path: str
    kind: str
    title: str
    how: str  # how the kind was told: "header …", "given with --from", …
    read: int
    kept: int
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (where, reason, detail)
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reasons(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The rows left out, grouped by reason (in the order reasons first occur): (reason,
        [(where, detail)])."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for where, why, detail in self.dropped:
            groups.setdefault(why, []).append((where, detail))
        return list(groups.items())

    def as_dict(self) -> dict:
        d = asdict(self)
        d["dropped"] = [{"reason": why, "count": len(rows),
                         "rows": [{"where": w, "detail": detail} if detail else {"where": w} for w, detail in rows]}
                        for why, rows in self.reasons()]
        return d


@dataclass
class ImportReport:
    sources: list[SourceReport]
    merge: MergeReport | None
    rows: int = 0
    races: int = 0
    athletes: int = 0

    @property
    def conflicts(self) -> list[Conflict]:
        return self.merge.conflicts if self.merge else []

    def as_dict(self) -> dict:
        return {
            "sources": [s.as_dict() for s in self.sources],
            "merge": self.merge.as_dict() if self.merge else None,
            "rows": self.rows, "races": self.races, "athletes": self.athletes,
        }

    def lines(self) -> list[str]:
        """The report as text, for stderr."""
        out = []
        for s in self.sources:
            out.append(f"{s.path}: {s.title} ({s.how})")
            left = s.read - s.kept
            out.append(f"  {s.read:,} rows read, {s.kept:,} kept, {left:,} left out")
            for why, rows in s.reasons():
                shown = ", ".join(_short(w, s.path) + (f" ({_short(d, s.path)})" if d else "")
                                  for w, d in rows[:SHOWN_PLACES])
                more = f", … ({len(rows) - SHOWN_PLACES:,} more)" if len(rows) > SHOWN_PLACES else ""
                out.append(f"  left out {len(rows):,}: {why}: {shown}{more}")
            for g in s.guesses:
                out.append(f"  guess: {g}")
            for n in s.notes:
                out.append(f"  note: {n}")
        if self.merge:
            m = self.merge
            out.append(f"merged {len(m.sources)} sources in the order given: {m.shared_races:,} races and "
                       f"{m.duplicates:,} results found in more than one (kept once, both sources named), "
                       f"{m.added:,} rows added by later sources, {len(m.conflicts):,} conflicts")
            for c in m.conflicts:
                out.append("  conflict: " + describe_conflict(c))
        return out


def describe_conflict(c: Conflict) -> str:
    race = f"{c.date} {c.meet} {c.event} {c.round}, {c.athlete}"
    if c.field == "race":
        return f"{race}: {c.second} ({c.second_source})"
    return f"{race}: {c.field} {c.first} ({c.first_source}) kept; {c.second} ({c.second_source}) differs"


def _short(where: str, path: str) -> str:
    """A place in the report's own file without the file's name: ':48', '#events[3].result[0]'."""
    name = Path(path).name
    if where.startswith(name + ":") or where.startswith(name + "#"):
        return where[len(name):]
    return where.replace(name + ":", ":")


# A rule's message (miler.dataset.rules) -> the reason it is grouped under; the message is the detail.
_RULE_REASONS = (
    ("disagrees with the times", "a place that disagrees with the times (two races the file does not tell apart, "
                                 "or a mistake in it)"),
    ("appears twice in one race", "the athlete twice in one race, with different results"),
    ("faster than", "a mark impossible for its event"),
    ("impossibly slow", "a mark impossible for its event"),
    ("is not a time", "a mark that is not a time"),
    ("is not a date", "a date that is not a date"),
    ("a non-finisher has no place", "a non-finisher with a place"),
    ("is not a whole number", "a place that is not a whole number from 1"),
)


def _rule_reason(message: str) -> tuple[str, str]:
    for words, reason in _RULE_REASONS:
        if words in message:
            return reason, message
    return message, ""


def read_source(path: str | os.PathLike, options: Options | None = None) -> tuple[pd.DataFrame, SourceReport]:
    """One file of any known kind as a validated frame (as read_races gives), and the report."""
    from miler.dataset.formats import miler_own
    from miler.dataset.formats.staged import finish
    from miler.dataset.races import check_rows

    options = options or Options()
    path = Path(path)
    sample = Sample(path, options)
    kind, how = detect(sample)
    if kind.name == miler_own.NAME and miler_own.is_csv(sample):
        # miler's own columns, but dates, marks or names perhaps written otherwise: read as a table
        # (each row keeping the source it names)
        from miler.dataset.formats import table

        staged = table.read(sample, options, own=True)
    else:
        staged = kind.module.read(sample, options)
    done = finish(staged, options, sample.name)
    frame, left_out, warned = check_rows(done.cells)
    dropped = list(done.dropped)
    for label, msg in sorted(left_out.items()):
        if isinstance(msg, tuple):  # ("DUP", first row, text)
            msg = f"{msg[2]} (also {done.where.at[msg[1]]})"
        dropped.append((done.where.at[label], *_rule_reason(msg)))
    read = len(staged.where) + len(staged.dropped)
    frame = frame.sort_values(["race_id", "place", "seconds"], na_position="last", kind="stable")
    notes = _unique(staged.notes) + [f"{done.where.at[label]}: {msg}" for label, msg in warned.items()]
    report = SourceReport(str(path), kind.name, kind.title, how, read, len(frame), dropped,
                          _unique(done.guesses), notes)
    return frame.reset_index(drop=True), report


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def import_sources(paths, options: Options | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Several files read and merged in the order given (one file: just read)."""
    frames, reports = [], []
    for p in paths:
        frame, report = read_source(p, options)
        frames.append((str(p), frame))
        reports.append(report)
    merged_report = None
    if len(frames) == 1:
        frame = frames[0][1]
    else:
        frame, merged_report = merge(frames)
    out = ImportReport(reports, merged_report, len(frame), int(frame["race_id"].nunique()),
                       int(frame["athlete"].nunique()))
    return frame, out


def write_conflicts(conflicts: list[Conflict], out) -> None:
    """The conflicts as CSV: date, meet, event, round, athlete, field, first, first_source, second, second_source."""
    import csv

    from miler.dataset.write import guard_cell

    fields = list(Conflict.__dataclass_fields__)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(fields)
    for c in conflicts:
        w.writerow([guard_cell(v) for v in asdict(c).values()])


def options_from(kind: str | None, maps: list[str], sets: list[str], columns: str | None,
                 date_format: str | None) -> Options:
    """The options of miler import from their strings; a malformed one is a ValueError."""
    from miler.dataset.formats import kind_named
    from miler.dataset.formats.staged import SETTABLE
    from miler.errors import MilerError

    if kind:
        try:
            kind_named(kind)
        except MilerError as exc:
            raise ValueError(str(exc)) from None

    def pairs(values: list[str], option: str, key_is_ours: bool) -> dict[str, str]:
        out = {}
        for v in values:
            left, eq, right = v.partition("=")
            left, right = left.strip(), right.strip()
            if not eq or not left or not right:
                raise ValueError(f"{option} {v!r}: give it as {'COLUMN=VALUE' if key_is_ours else 'THEIR=OURS'}")
            ours = left.lower() if key_is_ours else right.lower()
            if ours not in SETTABLE:
                raise ValueError(f"{option} {v!r}: {ours!r} is not one of miler's columns "
                                 f"({', '.join(SETTABLE)})")
            if key_is_ours:
                out[ours] = right
            else:
                out[left] = ours
        return out

    sets = pairs(sets, "--set", True)
    from miler.schema import LEVELS, sex_code

    if "level" in sets and sets["level"].lower() not in LEVELS:
        raise ValueError(f"--set level={sets['level']}: not one of {', '.join(LEVELS)}")
    if "sex" in sets and not sex_code(sets["sex"]):
        raise ValueError(f"--set sex={sets['sex']}: give M or W (men, women)")
    cols = [c.strip() for c in columns.split(",")] if columns is not None else None
    if cols is not None and (not all(cols) or len(set(c.lower() for c in cols)) != len(cols)):
        raise ValueError(f"--columns {columns!r}: give each column a name, once")
    if date_format:
        from miler.dataset.formats.dates import strptime_format

        fmt = strptime_format(date_format)
        if not any(d in fmt for d in ("%d", "%j")) or "%m" not in fmt and "%b" not in fmt and "%B" not in fmt:
            raise ValueError(f"--date-format {date_format!r}: name the day, month and year (DD/MM/YYYY, MM/DD/YYYY, "
                             "%d.%m.%Y, …)")
    return Options(kind, pairs(maps, "--map", False), sets, cols, date_format)


def run_import(sources, options: Options, output: Path, conflicts: Path | None = None,
               force: bool = False) -> ImportReport:
    """miler import: read and merge the sources, write the dataset (and the conflicts) whole or
    not at all; an existing file is replaced only with force, and is checked before any reading.
    When no row is kept nothing is written (report.rows is 0)."""
    from miler.dataset.write import write_races
    from miler.errors import OutputError
    from miler.files import atomic_write

    for target in (output, conflicts):
        if target is not None and Path(target).exists() and not force:
            raise OutputError(f"{target}: already exists; use --force to replace it")
    frame, report = import_sources(sources, options)
    if frame.empty:  # nothing to write: the caller says so, after the report
        return report
    kind = "json" if Path(output).suffix.lower() == ".json" else "csv"
    with atomic_write(output, force=force) as out:
        write_races(frame, out, kind)
    if conflicts is not None:
        with atomic_write(conflicts, force=force) as out:
            write_conflicts(report.conflicts, out)
    return report
