"""Find the dataset, read races.csv and quotes.yaml, validate them, return typed frames.

Validation reports every problem (up to MAX_PROBLEMS, with the total) as
``races.csv:LINE: what is wrong``; nothing is loaded when anything is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from miler.errors import DataError, NotFoundError, Problem
from miler.marks import MarkError, check_plausible, normalise_event, parse_mark

COLUMNS = (
    "date", "meet", "city", "country", "level", "event", "round", "indoor",
    "athlete", "nat", "place", "time", "note", "source",
)  # fmt: skip
REQUIRED = ("date", "meet", "event", "athlete")
LEVELS = (
    "olympics", "worlds", "world-indoors", "europeans", "commonwealth",
    "diamond-league", "national", "other",
)  # fmt: skip
CHAMPIONSHIP_LEVELS = ("olympics", "worlds", "world-indoors", "europeans", "commonwealth")
RACE_KEY = ["date", "meet", "event", "round"]
MAX_PROBLEMS = 50
ENV_VAR = "MILER_DATA"

_TRUE = {"true", "t", "yes", "y", "1", "indoor", "i"}
_FALSE = {"false", "f", "no", "n", "0", "outdoor", ""}


@dataclass
class Dataset:
    """A loaded dataset: validated races, quotes read on first use, warnings for stderr."""

    races_path: Path
    quotes_path: Path | None
    races: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def quotes(self) -> pd.DataFrame:
        if self.quotes_path is None or not self.quotes_path.is_file():
            return empty_quotes()
        return read_quotes(self.quotes_path)


# --- where the data is -------------------------------------------------------------------


def dataset_paths(data: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """(races.csv, quotes.yaml or None) for --data, then $MILER_DATA, then the packaged data.

    DATA may be a folder holding races.csv (and optionally quotes.yaml) or a CSV file.
    """
    if data is None and os.environ.get(ENV_VAR):
        data = os.environ[ENV_VAR]
    if data is None:
        folder = _packaged_data()
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


def _packaged_data() -> Path:
    from importlib.resources import files

    packaged = Path(str(files("miler") / "data"))
    if (packaged / "races.csv").is_file():
        return packaged
    repo = Path(__file__).resolve().parents[2] / "data"  # an editable install or a checkout
    return repo


def load(data: str | os.PathLike | None = None) -> Dataset:
    races_path, quotes_path = dataset_paths(data)
    races, warnings = read_races(races_path)
    return Dataset(races_path, quotes_path, races, warnings)


# --- races.csv ---------------------------------------------------------------------------


def read_races(path: str | os.PathLike) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate a races file. Returns (frame, warnings); raises DataError."""
    path = Path(path)
    name = path.name
    warnings: list[str] = []
    encoding, sep, header = _sniff(path, warnings)
    columns = _check_header(name, header, warnings)
    try:
        raw = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=encoding,
            sep=sep,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 0
        detail = re.sub(r"^Error tokenizing data\. C error: ", "", str(exc)).strip()
        raise DataError([Problem(name, line, f"malformed CSV row: {detail}")]) from None
    except pd.errors.EmptyDataError:
        raise DataError([Problem(name, 0, "the file is empty (expected a header row and results)")]) from None
    raw.columns = columns
    raw = raw[[c for c in raw.columns if c in COLUMNS]]
    frame, problems, total = _validate(raw)
    if problems:
        raise DataError(_locate(path, encoding, sep, problems), total=total)
    if frame.empty:
        warnings.append(f"{name}: no results, only a header")
    return frame, warnings


def _sniff(path: Path, warnings: list[str]) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and header of a CSV file, refusing what is not text."""
    name = path.name
    with open(path, "rb") as f:
        head = f.read(65536)
    if not head.strip():
        raise DataError([Problem(name, 0, "the file is empty (expected a header row and results)")])
    if b"\x00" in head:
        raise DataError([Problem(name, 0, "this is a binary file, not a CSV text file")])
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "latin-1"
            warnings.append(f"{name}: not UTF-8; read as Latin-1 (save it as UTF-8 to be sure)")
    text = head.decode(encoding, errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    sep = max((",", ";", "\t"), key=first.count)
    if sep != ",":
        warnings.append(f"{name}: fields are separated by {'tabs' if sep == chr(9) else repr(sep)}, read as such")
    header = next(csv.reader([first], delimiter=sep))
    return encoding, sep, header


def _check_header(name: str, header: list[str], warnings: list[str]) -> list[str]:
    columns = [h.strip().lower() for h in header]
    problems = []
    missing = [c for c in REQUIRED if c not in columns]
    if "time" not in columns and "place" not in columns:
        missing.append("time (or place)")
    if missing:
        problems.append(
            Problem(name, 1, f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                    f"(the header must name at least {', '.join(REQUIRED)} and time or place)")
        )
    seen = set()
    for c in columns:
        if c in seen:
            problems.append(Problem(name, 1, f"column '{c}' appears twice"))
        seen.add(c)
    if problems:
        raise DataError(problems)
    unknown = [h for h, c in zip(header, columns) if c not in COLUMNS]
    if unknown:
        warnings.append(f"{name}:1: unknown column{'s' if len(unknown) > 1 else ''} ignored: {', '.join(unknown)}")
    return columns


def _validate(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, object]], int]:
    """Type and check every column. Returns (frame, problems as (record index, message), total)."""
    problems: list[tuple[int, object]] = []
    total = 0

    def flag(mask, message):
        """Record the rows where mask holds; only the first MAX_PROBLEMS of a rule are spelled out."""
        nonlocal total
        hits = mask.to_numpy().nonzero()[0]
        total += len(hits)
        for i in hits[:MAX_PROBLEMS]:
            problems.append((int(i), message(int(i)) if callable(message) else message))

    df = pd.DataFrame(index=raw.index)
    for c in COLUMNS:
        df[c] = raw[c].str.strip() if c in raw.columns else pd.Series("", index=raw.index, dtype="str")

    for c in REQUIRED:
        flag(df[c] == "", f"missing {c}")
    flag((df["time"] == "") & (df["place"] == ""), "missing time (and no place)")

    dates = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    flag(dates.isna() & (df["date"] != ""), lambda i: f"date '{df['date'].iat[i]}' is not a date as YYYY-MM-DD")

    # marks: parse each distinct string once
    seconds, decimals, status, bad = {}, {}, {}, {}
    for t in df["time"].unique():
        if t == "":
            seconds[t], decimals[t], status[t] = float("nan"), 0, ""
            continue
        try:
            mk = parse_mark(t)
        except MarkError as exc:
            bad[t] = str(exc)
            seconds[t], decimals[t], status[t] = float("nan"), 0, ""
        else:
            seconds[t] = float("nan") if mk.seconds is None else mk.seconds
            decimals[t], status[t] = mk.decimals, mk.status
    if bad:
        flag(df["time"].isin(list(bad)), lambda i: bad[df["time"].iat[i]])
    secs = df["time"].map(seconds).astype("float64")
    stat = df["time"].map(status).astype("str")

    events = {e: normalise_event(e) for e in df["event"].unique()}
    df["event"] = df["event"].map(events).astype("str")

    place = pd.to_numeric(df["place"], errors="coerce")
    bad_place = (df["place"] != "") & (place.isna() | (place < 1) | (place % 1 != 0))
    flag(bad_place, lambda i: f"place '{df['place'].iat[i]}' is not a whole number from 1")
    place = place.where(~bad_place).astype("Int64")
    flag((stat != "") & place.notna(), lambda i: f"{stat.iat[i]} with a place ({df['place'].iat[i]}): a non-finisher has no place")

    indoor_text = df["indoor"].str.lower()
    flag(~indoor_text.isin(_TRUE | _FALSE), lambda i: f"indoor '{df['indoor'].iat[i]}' is not true or false")
    indoor = indoor_text.isin(_TRUE)

    df["level"] = df["level"].str.lower().replace("", "other")
    flag(~df["level"].isin(LEVELS), lambda i: f"level '{df['level'].iat[i]}' is not one of {', '.join(LEVELS)}")
    df["round"] = df["round"].str.lower().replace("", "final")

    # marks impossible for their event
    checks = {}
    finite = secs.notna()
    for ev, s in zip(df["event"][finite], secs[finite]):
        if (ev, s) not in checks:
            checks[(ev, s)] = check_plausible(ev, s)
    if any(checks.values()):
        implausible = pd.Series(
            [checks.get((e, s)) is not None if s == s else False for e, s in zip(df["event"], secs)],
            index=df.index,
        )
        flag(implausible, lambda i: f"time {df['time'].iat[i]}: {checks[(df['event'].iat[i], secs.iat[i])]}")

    df["date"] = dates
    df["place"] = place
    df["indoor"] = indoor
    df["seconds"] = secs
    df["status"] = stat
    df["decimals"] = df["time"].map(decimals).astype("int8")

    dup = df.duplicated(subset=RACE_KEY + ["athlete"], keep="first") & (df["athlete"] != "")
    if dup.any():
        first_of = df[df.duplicated(subset=RACE_KEY + ["athlete"], keep=False)].reset_index()
        firsts = first_of.groupby(RACE_KEY + ["athlete"], dropna=False)["index"].transform("first")
        first_index = dict(zip(first_of["index"], firsts))
        flag(dup, lambda i: ("DUP", first_index[df.index[i]], f"{df['athlete'].iat[i]} appears twice in one race"))

    _check_order(df, flag)

    if problems:
        return df, problems, total
    _derive_places(df)
    df["race_id"] = df.groupby(RACE_KEY, sort=True).ngroup().astype("int64")
    return df.reset_index(drop=True), [], 0


def _check_order(df: pd.DataFrame, flag) -> None:
    """Within a race a better place may not have a slower time."""
    ok = df["place"].notna() & df["seconds"].notna()
    if not ok.any():
        return
    sub = df.loc[ok, RACE_KEY + ["place", "seconds"]].copy()
    sub["_pos"] = ok.to_numpy().nonzero()[0]
    sub = sub.sort_values(RACE_KEY + ["place", "seconds"], kind="stable")
    same = (sub[RACE_KEY] == sub[RACE_KEY].shift()).all(axis=1)
    prev_place, prev_secs = sub["place"].shift(), sub["seconds"].shift()
    faster = same & (sub["place"] > prev_place) & (sub["seconds"] < prev_secs - 1e-9)
    tied = same & (sub["place"] == prev_place) & ((sub["seconds"] - prev_secs).abs() > 1e-9)
    wrong = pd.Series(False, index=df.index)
    wrong.iloc[sub.loc[faster | tied, "_pos"].to_numpy()] = True
    flag(wrong, lambda i: f"place {df['place'].iat[i]} disagrees with the times: "
         f"{df['time'].iat[i]} is not behind the athlete placed ahead in this race")


def _derive_places(df: pd.DataFrame) -> None:
    """Where a race gives no places at all, rank its finishers by time."""
    has_place = df["place"].notna().groupby([df[c] for c in RACE_KEY]).transform("any")
    need = ~has_place & df["seconds"].notna()
    if need.any():
        ranks = df.loc[need].groupby(RACE_KEY)["seconds"].rank(method="min").astype("Int64")
        df.loc[need, "place"] = ranks


def _locate(path: Path, encoding: str, sep: str, found: list[tuple[int, object]]) -> list[Problem]:
    """Turn (record index, message) into Problems with file line numbers, first MAX_PROBLEMS."""
    found = sorted(found, key=lambda p: p[0])[:MAX_PROBLEMS]
    wanted = max(i for i, _ in found)
    lines = _record_lines(path, encoding, sep, wanted)
    out = []
    for i, msg in found:
        if isinstance(msg, tuple):  # a duplicate: name the line of the first row too
            _, first, text = msg
            msg = f"{text} (also line {lines[first]})"
        out.append(Problem(path.name, lines[i], msg))
    return out


def _record_lines(path: Path, encoding: str, sep: str, upto: int) -> list[int]:
    """The file line on which each data record starts (blank lines skipped, as pandas does)."""
    lines: list[int] = []
    with open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(f, delimiter=sep)
        start = 1
        for row in reader:
            if row:
                lines.append(start)
                if len(lines) > upto + 1:
                    break
            start = reader.line_num + 1
    return lines[1:]


# --- quotes.yaml -------------------------------------------------------------------------

QUOTE_KEYS = ("date", "speaker", "about", "occasion", "text", "topics", "source")
QUOTE_REQUIRED = ("date", "speaker", "text")


def empty_quotes() -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(dtype="object") for k in QUOTE_KEYS})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def read_quotes(path: str | os.PathLike) -> pd.DataFrame:
    """Read quotes.yaml with yaml.safe_load semantics; raises DataError naming each line."""
    import yaml

    path = Path(path)
    name = path.name

    class LineLoader(yaml.SafeLoader):
        pass

    def mapping_with_line(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping_with_line)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        doc = yaml.load(text, Loader=LineLoader)  # a SafeLoader: never constructs Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(exc, "problem", None) or str(exc)
        raise DataError([Problem(name, line, f"YAML error: {what}")]) from None
    if doc is None:
        return empty_quotes()
    if not isinstance(doc, list):
        raise DataError([Problem(name, 1, "expected a list of quotes (each item starting with '- ')")])
    problems: list[Problem] = []
    rows = []
    for item in doc:
        if not isinstance(item, dict):
            problems.append(Problem(name, 0, f"a quote must be a mapping of keys, not {type(item).__name__}"))
            continue
        line = item.pop("__line__", 0)
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
            bad.append(f"date '{date}' is not a date as YYYY-MM-DD")
            date = None
    elif date is not None and not isinstance(date, dt.date):
        bad.append(f"date {date!r} is not a date as YYYY-MM-DD")
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
            bad.append(f"'{key}' must be text")
            return ""
        return value.strip()

    row = {
        "date": date,
        "speaker": as_text("speaker"),
        "about": as_list("about"),
        "occasion": as_text("occasion"),
        "text": as_text("text"),
        "topics": as_list("topics"),
        "source": as_list("source"),
    }
    return row, bad
