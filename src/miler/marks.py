"""Performances: parse what is printed ("3:29.38", "13:11.30", "3:44", "DNF"), format seconds back.

A mark keeps its printed precision: "3:44" (a road mile to the second) is not "3:44.00".
DNF, DNS and DQ are statuses, not numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from miler.errors import MilerError

if TYPE_CHECKING:
    import numpy as np

STATUSES = ("DNF", "DNS", "DQ")
_STATUS_ALIASES = {"DNF": "DNF", "DNS": "DNS", "DQ": "DQ", "DSQ": "DQ"}

# h:mm:ss(.f) | m:ss(.f) | s(.f), with an optional "h" for a hand-timed mark ("3:34.6h").
# ASCII digits only ("٣:٢٩" is not a mark), and at most five in the first field, so no
# string of digits can overflow a float.
_MARK = re.compile(r"(\d{1,5})(?::(\d+))?(?::(\d+))?(?:\.(\d{1,3}))?(h?)", re.ASCII)


class MarkError(MilerError, ValueError):
    """A string that is neither a performance nor a status."""


class Mark(NamedTuple):
    seconds: float | None  # None for a status
    decimals: int  # digits after the decimal point as printed
    status: str  # "" for a performance, else DNF / DNS / DQ


def parse_mark(text: str) -> Mark:
    """Parse a printed mark. Raises MarkError with a message that says what is wrong;
    never any other exception, whatever the string."""
    if not isinstance(text, str):
        raise MarkError(f"mark {shown(text)} is not text")
    s = text.strip()
    if not s:
        raise MarkError("mark is empty")
    status = _STATUS_ALIASES.get(s.upper())
    if status:
        return Mark(None, 0, status)
    if s.startswith("-"):
        raise MarkError(f"mark {shown(text)} is negative")
    m = _MARK.fullmatch(s)
    if not m:
        raise MarkError(f"mark {shown(text)} is not a time (expected m:ss.xx, h:mm:ss, ss.xx or DNF/DNS/DQ)")
    first, second, third, frac, _hand = m.groups()
    fields = [first] + [f for f in (second, third) if f is not None]
    for later in fields[1:]:
        if len(later) != 2:
            raise MarkError(f"mark {shown(text)}: each field after the first needs two digits")
        if int(later) >= 60:
            raise MarkError(f"mark {shown(text)}: {later} is not a valid number of minutes or seconds")
    whole = 0
    for f in fields:
        whole = whole * 60 + int(f)
    decimals = len(frac) if frac else 0
    value = whole + (int(frac) / 10**decimals if frac else 0.0)
    return Mark(round(value, decimals), decimals, "")


def shown(value, limit: int = 40) -> str:
    """A value quoted for a message, cut short when long: 'abc', 'xxxxxxxx…'."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    if not isinstance(value, str):
        return text
    quoted = repr(text)
    return quoted if len(quoted) <= limit + 4 else quoted[:limit] + "…'"  # escapes made it long


# The usual marks, parsed all at once: fields after the first of exactly two digits below 60
# (RE2 syntax, for pyarrow: [0-9] is ASCII only, $ the end of the text).
_SIMPLE = r"^(?P<a>[0-9]{1,5})(?::(?P<b>[0-5][0-9]))?(?::(?P<c>[0-5][0-9]))?(?:\.(?P<f>[0-9]{1,3}))?h?$"
STATUS_CODES = ("",) + STATUSES  # MarkTable.status indexes this: 0 for a performance


class MarkTable(NamedTuple):
    """parse_marks over an array of texts: one entry per text."""

    seconds: "np.ndarray"  # float64, NaN for a status, an empty text or a bad mark
    decimals: "np.ndarray"  # int8
    status: "np.ndarray"  # int8 index into STATUS_CODES
    bad: dict[int, str]  # position -> what parse_mark says is wrong (empty texts are not bad)


def parse_marks(texts) -> MarkTable:
    """parse_mark over many texts (a pyarrow string array or a list of str): the usual forms in
    one pass in C++ (pyarrow's RE2), the rest (statuses, mistakes) one by one in Python.
    An empty text is no mark and no problem (NaN)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = texts if isinstance(texts, (pa.Array, pa.ChunkedArray)) else pa.array(list(texts), type=pa.string())
    n = len(arr)
    seconds = np.full(n, np.nan)
    decimals = np.zeros(n, dtype=np.int8)
    status = np.zeros(n, dtype=np.int8)
    bad: dict[int, str] = {}
    if not n:
        return MarkTable(seconds, decimals, status, bad)
    parts = pc.extract_regex(arr, _SIMPLE)
    ok = parts.is_valid().to_numpy(zero_copy_only=False)
    if ok.any():
        sub = parts.filter(pa.array(ok))

        def field(name):
            s = pc.struct_field(sub, name)
            present = pc.not_equal(s, "").to_numpy(zero_copy_only=False)
            values = pc.cast(pc.if_else(present, s, "0"), pa.int64()).to_numpy(zero_copy_only=False)
            return values, present

        a, _ = field("a")
        b, has_b = field("b")
        c, has_c = field("c")
        f, _ = field("f")
        d = pc.utf8_length(pc.struct_field(sub, "f")).to_numpy(zero_copy_only=False).astype(np.int64)
        whole = np.where(has_c, (a * 60 + b) * 60 + c, np.where(has_b, a * 60 + b, a))
        scale = 10 ** d
        # one correctly rounded division: the double nearest the decimal, as round() gives
        seconds[ok] = (whole * scale + f) / scale
        decimals[ok] = d
    empty = pc.equal(arr, "").to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~ok & ~empty)
    if len(rest):
        for i, text in zip(rest, arr.take(pa.array(rest)).to_pylist()):
            try:
                mk = parse_mark(text)
            except MarkError as exc:
                bad[int(i)] = str(exc)
                continue
            if mk.status:
                status[i] = STATUS_CODES.index(mk.status)
            else:
                seconds[i], decimals[i] = mk.seconds, mk.decimals
    return MarkTable(seconds, decimals, status, bad)


def parse_many(texts) -> dict[str, Mark | MarkError]:
    """parse_mark over many distinct strings, as a dict: each value is what parse_mark returns
    or raises (see parse_marks)."""
    texts = [t for t in dict.fromkeys(texts)]
    table = parse_marks([t for t in texts if t != ""])
    out: dict[str, Mark | MarkError] = {}
    for i, t in enumerate(t for t in texts if t != ""):
        if i in table.bad:
            out[t] = MarkError(table.bad[i])
        elif table.status[i]:
            out[t] = Mark(None, 0, STATUS_CODES[table.status[i]])
        else:
            out[t] = Mark(float(table.seconds[i]), int(table.decimals[i]), "")
    if "" in texts:
        try:
            parse_mark("")
        except MarkError as exc:
            out[""] = exc
    return out


def format_mark(seconds: float, decimals: int = 2) -> str:
    """Format seconds the conventional way: 10.50, 3:29.38, 13:11.30, 1:02:03.4."""
    if seconds < 0:
        raise ValueError("a mark cannot be negative")
    scaled = round(seconds * 10**decimals)
    whole, frac = divmod(scaled, 10**decimals)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        body = f"{hours}:{minutes:02d}:{secs:02d}"
    elif minutes:
        body = f"{minutes}:{secs:02d}"
    else:
        body = f"{secs}"
    return f"{body}.{frac:0{decimals}d}" if decimals else body


def format_gap(seconds: float | None, decimals: int = 2) -> str:
    """A signed gap: +0.27, -1.05, +1:02.40, 0.00 for none at that precision; empty when unknown."""
    if seconds is None or seconds != seconds:  # None or NaN
        return ""
    if round(abs(seconds) * 10**decimals) == 0:
        return format_mark(0.0, decimals)
    sign = "-" if seconds < 0 else "+"
    return sign + format_mark(abs(seconds), decimals)


# --- events ----------------------------------------------------------------------------

_METRES = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|metres|meters|metre|meter)?$", re.IGNORECASE)
_KM = re.compile(r"^(\d+(?:\.\d+)?)\s*(k|km)$", re.IGNORECASE)
_MILES = re.compile(r"^(one|two|\d+)?\s*miles?$", re.IGNORECASE)

MILE_METRES = 1609.344

# Men's world records (outdoor, or world best where World Athletics keeps no record), in
# seconds, as of 2026. Records fall: a mark faster than one is a warning (a new record, or a
# wrong mark), and only one more than RECORD_MARGIN faster, which no human has come near, is an
# error. Source: https://worldathletics.org/records/by-category/world-records
WORLD_RECORDS = {
    "800m": 100.91,
    "1000m": 131.96,
    "1500m": 206.00,
    "Mile": 223.13,
    "Road Mile": 223.13,  # no faster than the track mile
    "2000m": 283.13,
    "3000m": 437.55,
    "2 Miles": 474.10,
    "5000m": 755.36,
    "10000m": 1571.00,
}
# A mark slower than this many times the record is a typo, not a race ("3:29:38" for a 1500m).
SLOWEST_FACTOR = 4.0
# A mark more than this fraction faster than the record is no human performance: an error.
RECORD_MARGIN = 0.05


def normalise_event(text: str) -> str:
    """'1500', '1500 m', '1500-metres' -> '1500m'; 'mile' -> 'Mile'; '2 miles' -> '2 Miles'."""
    s = re.sub(r"[\s\-_]+", " ", str(text).strip())
    m = _METRES.match(s.replace(" ", "")) or _METRES.match(s)
    if m:
        return f"{_number(m.group(1))}m"
    m = _KM.match(s.replace(" ", ""))
    if m:
        return f"{_number(float(m.group(1)) * 1000)}m"
    m = _MILES.match(s)
    if m:
        word = (m.group(1) or "1").lower()
        count = {"one": "1", "two": "2"}.get(word, word)
        return "Mile" if count == "1" else f"{count} Miles"
    return s


def _number(value) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else str(f)


def event_metres(event: str) -> float | None:
    """The distance of a normalised event in metres, or None when it is not a distance."""
    m = _METRES.match(event)
    if m:
        return float(m.group(1))
    if event in ("Mile", "Road Mile"):
        return MILE_METRES
    m = re.match(r"^(\d+) Miles$", event)
    if m:
        return int(m.group(1)) * MILE_METRES
    return None


def plausible_range(event: str) -> tuple[float, float] | None:
    """(fastest, slowest) seconds a human could run the event in, or None if unknown: the
    fastest is RECORD_MARGIN inside the world record (a record may fall, but not by that much)."""
    record = WORLD_RECORDS.get(event)
    if record is None:
        metres = event_metres(event)
        if metres is None:
            return None
        record = metres / 10.5  # faster than any sprinter's average speed
        return record, record * SLOWEST_FACTOR
    return record * (1 - RECORD_MARGIN), record * SLOWEST_FACTOR


def check_plausible(event: str, seconds: float) -> str | None:
    """A message when a mark cannot be right for its event, else None."""
    bounds = plausible_range(event)
    if bounds is None:
        return None
    fastest, slowest = bounds
    if seconds < fastest:
        if event in WORLD_RECORDS:
            return (f"{format_mark(seconds)} is more than {RECORD_MARGIN:.0%} faster than the {event} world record "
                    f"({format_mark(WORLD_RECORDS[event])}): no human performance")
        return f"{format_mark(seconds)} is faster than humanly possible for {event}"
    if seconds > slowest:
        return f"{format_mark(seconds)} is impossibly slow for {event} (a typo? m:ss.xx read as h:mm:ss)"
    return None


def beyond_record(event: str, seconds: float) -> str | None:
    """A warning when a plausible mark is faster than the event's world record, else None."""
    record = WORLD_RECORDS.get(event)
    if record is None or not seconds < record or check_plausible(event, seconds):
        return None
    return (f"{format_mark(seconds)} is faster than the {event} world record ({format_mark(record)}): "
            "a new record, or a wrong mark?")
