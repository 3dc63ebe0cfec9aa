"""Event equivalence between the 1500m and the mile.

A mile time is taken as the 1500m time multiplied by 1.08, and a 1500m time as the mile time
divided by 1.08: the conversion Track & Field News has printed in its annuals for decades
(https://forum.trackandfieldnews.com/forum/historical/3897-2-mile-to-3000m-conversion).
It builds in the fatigue of the extra 109 metres, so it is an estimate, never a result:
every converted mark is flagged (column ``converted``) and keeps its original.
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
import pandas as pd

from miler.analysis.columns import _category_values
from miler.errors import MilerError
from miler.marks import format_mark, normalise_event

MILE_PER_1500 = 1.08
PAIR = {"1500m": "Mile", "Mile": "1500m"}


def target_event(text: str) -> str:
    event = normalise_event(text)
    if event not in PAIR:
        raise MilerError(f"--as converts between the 1500m and the Mile, not to '{text}'")
    return event


def convert_seconds(seconds, from_event: str, to_event: str):
    """Seconds at one event as the equivalent at the other (1500m <-> Mile)."""
    if from_event == to_event:
        return seconds
    if (from_event, to_event) == ("1500m", "Mile"):
        return seconds * MILE_PER_1500
    if (from_event, to_event) == ("Mile", "1500m"):
        return seconds / MILE_PER_1500
    raise MilerError(f"no conversion from {from_event} to {to_event}")


def with_conversion(races: pd.DataFrame, target: str) -> pd.DataFrame:
    """The races with every mark of the partner event converted to the target event.

    The race keeps its real event (``event``: a 1500m final stays a 1500m final); what the
    mark is compared as goes in ``as_event`` (the target for both events of the pair, the event
    itself for any other). A converted row gets its seconds and time converted (to the
    hundredth), converted = True, and original_time / original_event keeping what was run;
    every other row (a DNF of the partner event too) is unchanged, with converted = False and
    original_time / original_event empty. races is not changed.
    """
    source = PAIR[target]
    event = _categorical(races["event"])
    cats = list(event.categories)
    if target not in cats:
        cats.append(target)
    as_cats = [c for c in cats if c != source]
    recode = np.array([as_cats.index(target if c == source else c) for c in cats] + [-1], dtype=np.int64)
    as_event = _from_codes(recode[event.codes], as_cats)

    secs = races["seconds"].to_numpy(dtype="float64", copy=True)
    conv = (event.codes == (cats.index(source) if source in cats else -2)) & ~np.isnan(secs)
    pos = np.flatnonzero(conv)
    time = _categorical(races["time"])
    run_codes, first = np.unique(time.codes[pos], return_index=True)
    marks, code_of = _converted_marks(time.categories, source, target, run_codes, secs[pos[first]])
    secs[pos] = np.round(convert_seconds(secs[pos], source, target), 2)
    time_codes = time.codes.astype(np.int64)
    time_codes[pos] = code_of[time.codes[pos]]
    empty = code_of[-1]
    return races.assign(
        time=pd.Categorical.from_codes(time_codes, dtype=marks, validate=False),
        seconds=secs,
        as_event=as_event,
        converted=conv,
        original_time=pd.Categorical.from_codes(np.where(conv, time.codes, empty), dtype=marks, validate=False),
        original_event=pd.Categorical.from_codes(conv.astype(np.int8), dtype=_original_event(source), validate=False),
    )


# Converted marks, per Index of marks as printed (an Index never changes; the entry goes with it)
# and direction: {code: the converted mark} so far, and the dtype and codes that hold them.
_CONVERTED: dict[tuple[int, str, str], tuple[weakref.ref, dict[int, str], pd.CategoricalDtype, np.ndarray]] = {}


def _converted_marks(categories: pd.Index, source: str, target: str, codes: np.ndarray, seconds: np.ndarray):
    """A dtype holding the marks as printed, the converted ones and '' (no original), and for
    each code of categories the code of its converted mark in that dtype (-1: not converted;
    the last item: the code of ''). Each mark is converted once (a mark as printed always has
    the same seconds), and the dtype is built again only when new marks are converted."""
    key = (id(categories), source, target)
    hit = _CONVERTED.get(key)
    if hit is None or hit[0]() is not categories:
        hit = (weakref.ref(categories, lambda _, key=key: _CONVERTED.pop(key, None)), {}, None, None)
    ref, shown, marks, code_of = hit
    new = [i for i, c in enumerate(codes.tolist()) if c not in shown]
    if new or marks is None:
        for c, text in zip(codes[new].tolist(), _marks(convert_seconds(seconds[new], source, target))):
            shown[c] = text
        found = {t: i for i, t in enumerate(_category_values(categories).tolist())}
        for t in [*shown.values(), ""]:
            found.setdefault(t, len(found))
        marks = pd.CategoricalDtype(pd.Index(list(found), dtype=object))
        code_of = np.full(len(categories) + 1, -1, dtype=np.int64)
        for c, t in shown.items():
            code_of[c] = found[t]
        code_of[-1] = found[""]
        _CONVERTED[key] = (ref, shown, marks, code_of)
    return marks, code_of


@functools.lru_cache(maxsize=8)
def _original_event(source: str) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(pd.Index(["", source], dtype=object))


def _categorical(column: pd.Series) -> pd.Categorical:
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column.astype("str"))


def _from_codes(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object), validate=False)


def _marks(seconds: np.ndarray) -> list[str]:
    """format_mark(s, 2) of each, at once: the arithmetic in numpy, one string a mark."""
    scaled = np.round(np.asarray(seconds, dtype="float64") * 100).astype(np.int64)
    whole, frac = np.divmod(scaled, 100)
    minutes, secs = np.divmod(whole, 60)
    return [format_mark(s, 2) if m >= 60 or m == 0 else f"{m}:{x:02d}.{f:02d}"
            for s, m, x, f in zip(seconds.tolist(), minutes.tolist(), secs.tolist(), frac.tolist())]


CONVERSION_COLUMNS = ("as_event", "converted", "original_time", "original_event")


def conversion(races: pd.DataFrame, pos: np.ndarray) -> dict[str, np.ndarray]:
    """The columns with_conversion adds, at the positions pos, where races has them (else none)."""
    if "converted" not in races.columns:
        return {}
    from miler.analysis.columns import text, values

    return {c: values(races, c, pos).astype(bool) if c == "converted" else text(races, c, pos)
            for c in CONVERSION_COLUMNS}


def compared_as(races: pd.DataFrame, event: str) -> str:
    """What event a question about an event asks for in races: with marks converted, a 1500m or
    a mile is the event both are compared as (--as mile --event 1500m: the marks as miles)."""
    if event not in PAIR or "as_event" not in races.columns:
        return event
    from miler.analysis.columns import positions

    return event if len(positions(races, "as_event", event)) else PAIR[event]


def compared_event(races: pd.DataFrame) -> str:
    """The column whose events marks are compared by: as_event after with_conversion, else event."""
    return "as_event" if "as_event" in races.columns else "event"
