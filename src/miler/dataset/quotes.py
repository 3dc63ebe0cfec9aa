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


MAX_QUOTE_NODES = 10_000  # values (texts, lists, keys) in one quote: a real one has about 20
MAX_DEPTH = 100  # lists in lists: a quote needs three levels
FIRST_YEAR = 1896  # the first modern Olympic Games


def read_quotes(path: str | os.PathLike) -> pd.DataFrame:
    """Read quotes.yaml with yaml.safe_load semantics; raises DataError naming each line.

    Only plain data is read: a tag such as !!python/object is refused, never constructed;
    anchors and aliases (&name, *name) are refused where they appear, before anything is built
    from them, so an alias bomb never grows. The quotes are composed and built one at a time,
    and no quote may hold more than MAX_QUOTE_NODES values, so the memory a file takes stays a
    small multiple of its size.
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
    problems: list[Problem] = []
    total = 0
    rows = []
    Loader = _quote_loader(yaml)
    loader = None
    try:
        loader = Loader(text)  # a SafeLoader: never constructs Python objects
        for line, item in _quotes(loader, yaml, name):
            if not isinstance(item, dict):
                bad = [f"a quote must be keys and values (date: …, speaker: …, text: …), not {type(item).__name__}"]
            else:
                row, bad = _quote_row(item)
                rows.append(row)
            total += len(bad)
            problems.extend(Problem(name, line, b) for b in bad[: max(0, MAX_PROBLEMS - len(problems))])
    except yaml.reader.ReaderError as exc:  # a control character, say
        before = (text.encode("utf-8") if Loader.BYTE_POSITIONS else text)[: max(exc.position, 0)]
        line = before.count(b"\n" if Loader.BYTE_POSITIONS else "\n") + 1
        raise DataError([Problem(name, line, f"YAML error: character {exc.character:#06x} is not allowed "
                                 f"({exc.reason})")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in what:  # libyaml's own limit, deeper than MAX_DEPTH
            line, what = 0, "nested too deeply"
        tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", what)
        if tag:
            what = f"the tag !!{tag.group(1)} is refused: quotes hold plain text, dates and lists, not objects"
        raise DataError([Problem(name, line, f"YAML error: {what}")]) from None
    except RecursionError:
        raise DataError([Problem(name, 0, "YAML error: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise DataError(problems, total=total)
    if not rows:
        return empty_quotes()
    frame = pd.DataFrame(rows, columns=list(QUOTE_KEYS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _quotes(loader, yaml, name: str):
    """(line, value) for each item of the document's top-level list, composed and built one at a
    time: a file is never held whole as YAML nodes. Nothing at all (an empty file, or only
    comments) is no quotes; anything but a list is an error."""
    loader.get_event()  # the stream's start
    if loader.check_event(yaml.StreamEndEvent):
        return
    loader.get_event()  # the document's start
    first = loader.peek_event()
    if not isinstance(first, yaml.SequenceStartEvent) or first.tag not in (None, "tag:yaml.org,2002:seq"):
        # only a document holding nothing at all (`---` or `~`) is not an error
        if not isinstance(first, yaml.ScalarEvent) or loader.construct_document(loader.compose_node(None, None)) is not None:
            raise DataError([Problem(name, first.start_mark.line + 1, "expected a list of quotes (each item starting with '- ')")])
    else:
        loader.check_anchor()
        loader.get_event()  # the list's start
        while not loader.check_event(yaml.SequenceEndEvent):
            loader.nodes = 0
            node = loader.compose_node(None, None)
            yield node.start_mark.line + 1, loader.construct_document(node)
        loader.get_event()  # the list's end
    loader.get_event()  # the document's end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError(None, None, "expected a single document in the stream, but found another "
                                          "document", loader.peek_event().start_mark)


def _quote_loader(yaml):
    """yaml.SafeLoader's rules, stricter: a key twice in one mapping is an error (YAML would keep the
    last silently), an impossible date (2024-02-30) stays text for the date check to name, a
    value its explicit tag cannot hold (!!int abc) is an error at its line, not a crash, and
    anchors, aliases, quotes of more than MAX_QUOTE_NODES values and nesting deeper than
    MAX_DEPTH are refused as they are met. Events come from libyaml where PyYAML has it (twenty
    times faster than its Python parser); nodes are composed here, one quote at a time."""
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    try:
        from yaml._yaml import CParser as Parser
    except ImportError:  # PyYAML built without libyaml
        from yaml.parser import Parser as PyParser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class Parser(Reader, Scanner, PyParser):
            def __init__(self, stream):
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                PyParser.__init__(self)

    class QuoteLoader(Composer, Parser, SafeConstructor, Resolver):
        BYTE_POSITIONS = Parser.__module__ == "yaml._yaml"  # libyaml counts bytes of UTF-8, not characters
        nodes = 0
        depth = 0

        def __init__(self, stream):
            Parser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        def compose_node(self, parent, index):
            self.check_anchor()
            self.nodes += 1
            if self.nodes > MAX_QUOTE_NODES:
                raise yaml.composer.ComposerError(
                    None, None, f"a quote of more than {MAX_QUOTE_NODES:,} values (a quote holds a few texts and "
                    f"lists)", self.peek_event().start_mark)
            if self.depth >= MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, "nested too deeply", None)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def check_anchor(self):
            """Refuse an alias or an anchor before anything is built from it (an alias bomb)."""
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                what = ("*" if isinstance(event, yaml.AliasEvent) else "&") + event.anchor[:40]
                raise yaml.composer.ComposerError(
                    None, None, f"anchors and aliases ({what}) are refused: write each quote out in full",
                    event.start_mark)

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


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


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
    last = dt.date.today().year + 1
    if not FIRST_YEAR <= date.year <= last:
        bad.append(f"date {date.isoformat()} is not between {FIRST_YEAR} and {last}")
        return None
    return date
