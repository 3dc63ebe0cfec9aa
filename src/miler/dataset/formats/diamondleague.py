"""Diamond League results JSON, as hpr/diamond-league-results scrapes dl.all-athletics.com: an
object of categories ("Diamond Discipline", "National Events", "Split times", …), each a list of
{title, detail, data[]} blocks; the title holds sex, event and date ("Men's Mile - 16.06.2022"),
the detail the round ("Final 1, wind: +1.1"). The meeting is not in the file: its name
``<year>_<meetingId>.json`` says which (a meetingIds.json beside the file or its folder, else
miler's table of Diamond League meetings).
"""

from __future__ import annotations

import json
import re

import pandas as pd

from miler.dataset.formats.staged import Staged

NAME = "diamondleague"
TITLE = "Diamond League results JSON"
RECOGNISED = ("a JSON object of categories (Diamond Discipline, National Events, …), each a list of "
              "{title, detail, data[]} blocks: one Diamond League meeting, named <year>_<meetingId>.json")

# Diamond League meeting ids (as dl.all-athletics.com numbers them) -> meet, city, country
MEETINGS = {
    "2": ("Weltklasse Zürich", "Zürich", "SUI"),
    "18": ("Bislett Games", "Oslo", "NOR"),
    "19": ("Golden Gala", "Rome", "ITA"),
    "21": ("Meeting de Paris", "Paris", "FRA"),
    "22": ("Memorial Van Damme", "Brussels", "BEL"),
    "24": ("London Athletics Meet", "London", "GBR"),
    "25": ("Prefontaine Classic", "Eugene", "USA"),
    "27": ("Bauhaus-Galan", "Stockholm", "SWE"),
    "33": ("Doha Diamond League", "Doha", "QAT"),
    "34": ("Shanghai Diamond League", "Shanghai", "CHN"),
    "35": ("adidas Grand Prix", "New York", "USA"),
    "36": ("Athletissima", "Lausanne", "SUI"),
    "37": ("Birmingham Diamond League", "Birmingham", "GBR"),
    "38": ("Herculis", "Monaco", "MON"),
    "617": ("Meeting International Mohammed VI", "Rabat", "MAR"),
}
LEFT_OUT = {
    "split times": "a split inside a longer race (the file's 'Split times')",
    "combined events": "a combined event (points, not a race)",
}
_TITLE = re.compile(r"^(.*?)\s+-\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*$")


def _blocks(data) -> list[tuple[str, int, dict]] | None:
    if isinstance(data, dict):
        groups = [(k, v) for k, v in data.items() if isinstance(v, list)]
        if not groups or len(groups) != len(data):
            return None
    elif isinstance(data, list):
        groups = [("", data)]
    else:
        return None
    out = [(cat, i, b) for cat, blocks in groups for i, b in enumerate(blocks)]
    if not out or not all(isinstance(b, dict) and "title" in b and isinstance(b.get("data"), list) for _, _, b in out):
        return None
    return out


def recognise(sample) -> str | None:
    if not sample.looks_json or _blocks(sample.json) is None:
        return None
    data = sample.json
    cats = ", ".join(data) if isinstance(data, dict) else "a list"
    return f"a JSON object of categories ({cats}) holding {{title, detail, data[]}} blocks"


def _meeting(sample) -> tuple[tuple[str, str, str] | None, str]:
    m = re.search(r"(?:^|[^0-9])(\d{4})_(\d+)$", sample.path.stem)
    if not m:
        return None, ("the meet is not in the file and its name is not <year>_<meetingId>.json: "
                      "give it with --set meet=… --set city=…")
    meeting = m.group(2)
    for folder in (sample.path.parent, sample.path.parent.parent):
        ids = folder / "meetingIds.json"
        try:
            names = json.loads(ids.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(names, dict) and meeting in names:
            known = MEETINGS.get(meeting)
            if known:
                return known, f"meet {known[0]} ({known[1]}, {known[2]}): meeting {meeting} in {ids}"
            return (str(names[meeting]), "", ""), f"meet {names[meeting]!r}: meeting {meeting} in {ids}"
    known = MEETINGS.get(meeting)
    if known:
        return known, (f"meet {known[0]} ({known[1]}, {known[2]}): from the file's name, "
                       f"Diamond League meeting {meeting}")
    return (f"Diamond League meeting {meeting}", "", ""), (
        f"meet 'Diamond League meeting {meeting}': meeting {meeting} is not one miler knows; "
        "give its name with --set meet=… --set city=…")


def read(sample, options) -> Staged:
    blocks = _blocks(sample.json)
    meeting, guess = _meeting(sample)
    meet, city, country = meeting or ("", "", "")
    rows, where, dropped = [], [], []
    seen: set[tuple[str, str]] = set()
    for cat, i, block in blocks:
        path = f'["{cat}"][{i}]' if cat else f"[{i}]"
        title = str(block.get("title") or "")
        m = _TITLE.match(title)
        event, date = (m.group(1), m.group(2)) if m else (title, "")
        detail = str(block.get("detail") or "")
        round_ = detail.split(",")[0].strip()
        if (event, round_.lower()) in seen and cat:  # the meeting's national 100m final beside the DL's
            round_ = f"{round_} ({cat.strip().lower()})"
        seen.add((event, round_.lower()))
        left_out = LEFT_OUT.get(cat.strip().lower())
        level = "diamond-league" if cat.strip().lower() == "diamond discipline" else ""
        for j, r in enumerate(block["data"]):
            here = f"{sample.name}#{path}.data[{j}]"
            if left_out:
                dropped.append((here, left_out))
                continue
            if not isinstance(r, dict):
                dropped.append((here, "not an object of one result"))
                continue
            place = str(r.get("place") or "").strip()
            if place == "-":
                dropped.append((here, "annulled (a place of ' - ': a doping disqualification)"))
                continue
            rows.append({
                "date": date, "meet": meet, "city": city, "country": country, "level": level,
                "event": event, "round": round_, "athlete": str(r.get("athlete") or ""),
                "nat": str(r.get("nat") or ""), "place": place, "time": str(r.get("mark") or ""),
            })
            where.append(here)
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=["date"])
    return Staged(frame, where, dropped, [guess])
