"""quotes.yaml: read with safe loading (plain data only, never objects: miler.dataset.safeyaml)
and checked, every problem named with its line."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd

from miler.dataset.facts import FIRST_YEAR, ISO_DATE, last_year
from miler.dataset.rules import MAX_PROBLEMS
from miler.errors import DataError, Problem
from miler.marks import shown
from miler.schema import QUOTE_KEYS, QUOTE_REQUIRED, empty_quotes


def read_quotes(path: str | os.PathLike) -> pd.DataFrame:
    """Read quotes.yaml with yaml.safe_load semantics; raises DataError naming each line.

    Only plain data is read (see miler.dataset.safeyaml): no tags that build objects, no anchors
    or aliases, no quote of more than MAX_QUOTE_NODES values; the quotes are built one at a time.
    """
    from miler.dataset.safeyaml import quote_items

    path = Path(path)
    name = path.name
    problems: list[Problem] = []
    total = 0
    rows = []
    for line, item in quote_items(_text(path), name):
        if not isinstance(item, dict):
            bad = [f"a quote must be keys and values (date: …, speaker: …, text: …), not {type(item).__name__}"]
        else:
            row, bad = _quote_row(item)
            rows.append(row)
        total += len(bad)
        problems.extend(Problem(name, line, b) for b in bad[: max(0, MAX_PROBLEMS - len(problems))])
    if problems:
        raise DataError(problems, total=total)
    if not rows:
        return empty_quotes()
    frame = pd.DataFrame(rows, columns=list(QUOTE_KEYS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(path.name, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(path.name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None


def _quote_row(item: dict) -> tuple[dict, list[str]]:
    bad = [f"missing '{k}'" for k in QUOTE_REQUIRED if item.get(k) in (None, "")]
    unknown = sorted(set(item) - set(QUOTE_KEYS))
    if unknown:
        bad.append(f"unknown key{'s' if len(unknown) > 1 else ''}: {', '.join(map(str, unknown))}")
    date = _quote_date(item.get("date"), bad)

    def as_list(key):
        value = item.get(key)
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        bad.append(f"'{key}' must be text or a list of texts")
        return ()

    def as_text(key):
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            hint = f" (it reads as {value!r}: put it in quotes)" if isinstance(value, (bool, int, float, dt.date)) else ""
            bad.append(f"'{key}' must be text{hint}")
            return ""
        return value.strip()

    row = {
        "date": date,
        "speaker": as_text("speaker"),
        "about": as_list("about"),
        "occasion": as_text("occasion"),
        "publication": as_text("publication"),
        "url": as_text("url"),
        "text": as_text("text"),
        "topics": as_list("topics"),
        "source": as_list("source"),
    }
    if row["url"] and not _is_web_address(row["url"]):
        bad.append(f"url {shown(row['url'])} is not a web address (https://…)")
    return row, bad


def _is_web_address(text: str) -> bool:
    from urllib.parse import urlparse

    parts = urlparse(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


_ISO_DATE = re.compile(ISO_DATE, re.ASCII)


def _quote_date(value, bad: list[str]) -> dt.date | None:
    """An ASCII ISO date (YYYY-MM-DD; a YAML timestamp keeps its day) within FIRST_YEAR to next
    year; else a problem in BAD. Full-width or other non-ASCII digits, 20240806 and week dates
    (2024-W32-2, which Python's fromisoformat reads) are not dates here."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    date = None
    if isinstance(value, dt.date):
        date = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            date = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if date is None:
        bad.append(f"date {shown(value)} is not a date as YYYY-MM-DD")
        return None
    last = last_year()
    if not FIRST_YEAR <= date.year <= last:
        bad.append(f"date {date.isoformat()} is not between {FIRST_YEAR} and {last}")
        return None
    return date
