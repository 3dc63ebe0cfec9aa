"""quotes.yaml: read with safe loading (plain data only, never objects) and checked, every
problem named with its line."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd

from miler.dataset.rules import MAX_PROBLEMS
from miler.errors import DataError, Problem
from miler.marks import shown
from miler.schema import QUOTE_KEYS, QUOTE_REQUIRED, empty_quotes


def read_quotes(path: str | os.PathLike) -> pd.DataFrame:
    """Read quotes.yaml with yaml.safe_load semantics; raises DataError naming each line.

    Only plain data is read: a tag such as !!python/object is refused, never constructed.
    """
    import yaml

    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None
    loader = None
    try:
        loader = _quote_loader(yaml)(text)  # a SafeLoader: never constructs Python objects
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a control character, say
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise DataError([Problem(name, line, f"YAML error: character {exc.character:#06x} is not allowed "
                                 f"({exc.reason})")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(exc, "problem", None) or str(exc)
        tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", what)
        if tag:
            what = f"the tag !!{tag.group(1)} is refused: quotes hold plain text, dates and lists, not objects"
        raise DataError([Problem(name, line, f"YAML error: {what}")]) from None
    except RecursionError:
        raise DataError([Problem(name, 0, "YAML error: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if doc is None:
        return empty_quotes()
    if not isinstance(doc, list):
        raise DataError([Problem(name, 1, "expected a list of quotes (each item starting with '- ')")])
    lines = [n.start_mark.line + 1 for n in node.value]
    problems: list[Problem] = []
    rows = []
    for item, line in zip(doc, lines):
        if not isinstance(item, dict):
            problems.append(Problem(name, line, f"a quote must be keys and values (date: …, speaker: …, text: …), "
                                    f"not {type(item).__name__}"))
            continue
        row, bad = _quote_row(item)
        problems.extend(Problem(name, line, b) for b in bad)
        rows.append(row)
    if problems:
        raise DataError(problems[:MAX_PROBLEMS], total=len(problems))
    if not rows:
        return empty_quotes()
    frame = pd.DataFrame(rows, columns=list(QUOTE_KEYS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _quote_loader(yaml):
    """yaml.SafeLoader, stricter: a key twice in one mapping is an error (YAML would keep the
    last silently), an impossible date (2024-02-30) stays text for the date check to name, and
    a value its explicit tag cannot hold (!!int abc) is an error at its line, not a crash."""

    class QuoteLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"key '{key.value}' appears twice in one quote", key.start_mark)
                    seen.add(key.value)
            return super().construct_mapping(node, deep=deep)

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, OverflowError) as exc:
                kind = str(node.tag).rsplit(":", 1)[-1]
                raise yaml.constructor.ConstructorError(
                    None, None, f"{shown(str(node.value))} is not a valid {kind} ({exc})", node.start_mark) from None

        def timestamp_or_text(self, node):
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    QuoteLoader.add_constructor("tag:yaml.org,2002:timestamp", QuoteLoader.timestamp_or_text)
    return QuoteLoader


def _quote_row(item: dict) -> tuple[dict, list[str]]:
    bad = [f"missing '{k}'" for k in QUOTE_REQUIRED if item.get(k) in (None, "")]
    unknown = sorted(set(item) - set(QUOTE_KEYS))
    if unknown:
        bad.append(f"unknown key{'s' if len(unknown) > 1 else ''}: {', '.join(map(str, unknown))}")
    date = item.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            bad.append(f"date {shown(date)} is not a date as YYYY-MM-DD")
            date = None
    elif date is not None and not isinstance(date, dt.date):
        bad.append(f"date {shown(date)} is not a date as YYYY-MM-DD")
        date = None

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

