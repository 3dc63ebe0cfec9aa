"""Tilastopaja / athlib competition JSON: a competition object whose events hold results.

The versions differ in field names, and all are read: events under ``events`` or
``event_results``; results under ``result``, ``results`` or ``finishers``; the athlete as
``givenName`` + ``familyName``, ``firstname`` + ``lastname``, ``first_name`` + ``last_name``, or
one ``athlete``/``name``; the mark as ``performance``, ``mark`` or ``time``; the place as ``rank``,
``place`` or ``pos``, text, a number or null. Combined-event blocks (``athlon``: a decathlon's
1500m), relays (``teamCode``, ``runners``) and field events are left out, each with its reason.
"""

from __future__ import annotations

import re

import pandas as pd

from miler.dataset.formats.venues import meet_name
from miler.dataset.formats.staged import Staged

NAME = "athlib"
TITLE = "Tilastopaja / athlib competition JSON"
RECOGNISED = ("a JSON object with events[] (or event_results[]) each holding result[], results[] or "
              "finishers[]: athlib's and Tilastopaja's competition exports, in their versions' field names")

EVENT_LISTS = ("events", "event_results", "eventResults")
RESULT_LISTS = ("result", "results", "finishers", "performances")
GIVEN = ("givenName", "given_name", "firstname", "firstName", "first_name", "forename")
FAMILY = ("familyName", "family_name", "lastname", "lastName", "last_name", "surname")
WHOLE_NAME = ("athlete", "name", "fullName", "full_name", "competitor")
MARK = ("performance", "mark", "time", "result", "perf")
RANK = ("rank", "place", "pos", "position")
NAT = ("country", "nationality", "nat", "nation", "countryCode")
EVENT_NAME = ("name", "eventName", "event", "title", "eventCode")
MEET = ("name", "full_name", "competitionName", "fullName", "short_name", "title")


def _first(obj: dict, keys, default=""):
    for k in keys:
        v = obj.get(k)
        if v is not None and v != "":
            return v
    return default


def _lists(data) -> tuple[str, list] | None:
    if not isinstance(data, dict):
        return None
    for key in EVENT_LISTS:
        events = data.get(key)
        if isinstance(events, list) and any(isinstance(e, dict) and any(isinstance(e.get(r), list)
                                                                        for r in RESULT_LISTS) for e in events):
            return key, events
    return None


def recognise(sample) -> str | None:
    if not sample.looks_json:
        return None
    found = _lists(sample.json)
    if not found:
        return None
    key, events = found
    rkey = next(r for e in events if isinstance(e, dict) for r in RESULT_LISTS if isinstance(e.get(r), list))
    return f"a JSON object with {key}[] holding {rkey}[]"


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read(sample, options) -> Staged:
    data = sample.json
    key, events = _lists(data)
    meet = meet_name(_text(_first(data, MEET)))
    city, country = _text(data.get("city")), _text(data.get("country"))
    start = _text(_first(data, ("date", "startDate", "start_date")))
    held = {"meet": meet, "city": city, "country": country}
    rows, where, dropped = [], [], []
    for i, ev in enumerate(events):
        here = f"{sample.name}#{key}[{i}]"
        if not isinstance(ev, dict):
            dropped.append((here, "not an object of an event's results"))
            continue
        its_rows, its_where, its_dropped = _event(ev, here, start, held)
        rows += its_rows
        where += its_where
        dropped += its_dropped
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=["date"])
    guesses = []
    if meet and city:
        guesses.append(f"meet {meet!r} in {city} ({country}) from the competition's name")
    return Staged(frame, where, dropped, guesses)


def _event(ev: dict, here: str, start: str, held: dict) -> tuple[list[dict], list[str], list[tuple]]:
    """One event's results as staged rows, where each came from, and the results left out."""
    rkey = next((r for r in RESULT_LISTS if isinstance(ev.get(r), list)), None)
    results = ev.get(rkey, []) if rkey else []
    event = _text(_first(ev, EVENT_NAME))
    round_ = _text(_first(ev, ("roundName", "heatName", "race_name"))) or _text(ev.get("round"))
    m = re.fullmatch(r"(.+?)\s+-\s+([A-Za-z0-9]+)\s+race", event, re.IGNORECASE)  # '600m - A Race'
    if m:
        event, round_ = m.group(1), round_ or f"race {m.group(2).lower()}"
    athlon = _text(ev.get("athlon"))
    rows, where, dropped = [], [], []
    for j, r in enumerate(results):
        at = f"{here}.{rkey}[{j}]"
        why = _not_one_result(r, athlon, event)
        if why:
            dropped.append((at, *why))
            continue
        rows.append({"date": _text(ev.get("date")) or start, **held, "event": event, "round": round_,
                     **_result(ev, r)})
        where.append(at)
    return rows, where, dropped


def _not_one_result(r, athlon: str, event: str) -> tuple[str, ...] | None:
    """Why a result is not one athlete's result in a race (its reason and detail), or None."""
    if not isinstance(r, dict):
        return ("not an object of one result",)
    if athlon:
        return ("part of a combined event (decathlon, heptathlon)", f"{athlon}: {event}")
    if r.get("teamCode") or isinstance(r.get("runners"), list):
        return ("a relay (a team's result, not an athlete's)",)
    if isinstance(r.get("results"), list):
        return ("a combined event's total (points, not a race)",)
    return None


def _result(ev: dict, r: dict) -> dict[str, str]:
    """A result's staged cells: sex, the athlete's names and nation, place, mark and record flags."""
    flags = r.get("recordFlags") or r.get("recordflag") or r.get("recordFlag") or ""
    if isinstance(flags, list):
        flags = " ".join(str(f) for f in flags)
    return {
        "sex": _text(_first(ev, ("gender", "sex"))) or _text(_first(r, ("gender", "sex"))),
        "given": _text(_first(r, GIVEN)), "family": _text(_first(r, FAMILY)),
        "athlete": _text(_first(r, WHOLE_NAME)),
        "nat": _text(_first(r, NAT)),
        "place": _text(_first(r, RANK)),
        "time": _text(_first(r, MARK)),
        "note": _text(flags),
    }
