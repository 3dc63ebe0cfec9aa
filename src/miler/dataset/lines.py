"""Where a file's records are: the line on which each starts (the csv module knows it, blank
lines skipped as pandas skips them), Problems with those lines, and the rows the header cannot
fit (more values than it names, broken quoting), each with its line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from miler.dataset.csvfile import _big_fields, _is_blank, _without_nul
from miler.dataset.rules import MAX_PROBLEMS
from miler.errors import Problem


def shape_problems(path: Path, encoding: str, sep: str, width: int) -> tuple[list[Problem], int] | None:
    """Rows with more values than the header, and broken quoting, each with its line."""
    name = path.name
    found: list[Problem] = []
    with _big_fields(), open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(_without_nul(f), delimiter=sep, strict=True)
        seen_header = False
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                found.append(Problem(name, start, _csv_error(str(exc))))
                break
            if not _is_blank(row):
                if not seen_header:
                    seen_header = True
                elif len(row) > width and any(c.strip() for c in row[width:]):
                    if len(found) == MAX_PROBLEMS:
                        found.append(Problem(name, start, "stopped reading here: more rows like those above "
                                             "follow (is this a races file?); fix these and run again"))
                        break
                    found.append(Problem(name, start, f"{len(row)} values but the header names {width} columns "
                                         "(a value with a comma, like \"Eugene, OR\", must be in double quotes)"))
            start = reader.line_num + 1
    return (found, len(found)) if found else None


def _csv_error(detail: str) -> str:
    if "unexpected end of data" in detail:
        return "a double quote (\") opens a value here that never closes"
    return (f"malformed CSV ({detail}): a value with a double quote in it must be wholly in double quotes, "
            "its own quotes doubled (\"\")")


def locate(path: Path, encoding: str, sep: str, found: list[tuple[int, object]],
            stopped_after: int | None = None, total: int = 0) -> list[Problem]:
    """Turn (record number, message) into Problems with file line numbers, first MAX_PROBLEMS;
    when reading stopped early, a last Problem says where and why."""
    found = sorted(found, key=lambda p: p[0])[:MAX_PROBLEMS]
    wanted = max([i for i, _ in found] + [stopped_after or 0])
    lines = record_lines(path, encoding, sep, wanted)

    def line(record: int) -> int:
        return lines[record] if 0 <= record < len(lines) else 0

    out = []
    for i, msg in found:
        if isinstance(msg, tuple):  # a duplicate: name the line of the first row too
            _, first, text = msg
            msg = f"{text} (also line {line(first)})"
        out.append(Problem(path.name, line(i), msg))
    if stopped_after is not None:
        out.append(Problem(path.name, line(stopped_after),
                           f"stopped reading here: {total:,} problems in the first {stopped_after + 1:,} rows "
                           "(is this a races file?); fix these and run again"))
    return out


def record_lines(path: Path, encoding: str, sep: str, upto: int) -> list[int]:
    """The file line on which each data record starts (blank lines skipped, as pandas does)."""
    lines: list[int] = []
    with _big_fields(), open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(_without_nul(f), delimiter=sep)
        start = 1
        try:
            for row in reader:
                if not _is_blank(row):
                    lines.append(start)
                    if len(lines) > upto + 1:
                        break
                start = reader.line_num + 1
        except csv.Error:  # broken quoting pandas got past: lines after it are not known
            pass
    return lines[1:]
