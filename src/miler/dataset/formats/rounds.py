"""Places and rounds as results files write them: a place cell ('1st', '=2', 'DNF'), a World
Athletics position ('3h2': a place and a round) and a round's name ('Semifinal 1', 'SF1', 'A
Final'), as miler's place and round. Pure functions of one value.
"""

from __future__ import annotations

import re

from miler.dataset.formats.marks import STATUS_WORDS

_POS = re.compile(r"^=?(\d+)?\.?=?\s*(sf|qf|pr|rr|f|h|s|q|r|p)?\s*(\d+)?$", re.IGNORECASE)
_POS_ROUNDS = {"f": "final", "h": "heat", "sf": "semi-final", "s": "semi-final", "qf": "quarter-final",
               "q": "qualification", "pr": "prelim", "p": "prelim", "rr": "repechage", "r": "repechage"}


def position(text: str) -> tuple[str, str] | None:
    """A World Athletics position: (place, round). '1' -> ('1', ''); '1f1' -> ('1', 'final 1');
    '3h2' -> ('3', 'heat 2'); '2sf1' -> ('2', 'semi-final 1'); '10rr1' -> ('10', 'repechage 1');
    'f2' -> ('', 'final 2'); '2f' -> ('2', 'final'); '1.' -> ('1', ''); None when not a position."""
    s = str(text).strip()
    m = _POS.match(s)
    if not m or not s:
        return None
    place, code, number = m.groups()
    if code is None:
        if number is not None:  # '12' is read as a place by the first group; '1 2' is not a position
            return None
        return (str(int(place)) if place else "", "")
    rnd = _POS_ROUNDS[code.lower()]
    return (str(int(place)) if place else "", f"{rnd} {int(number)}" if number else rnd)


def place_cell(text: str) -> tuple[str, str]:
    """A place column's cell: (place, status). '1', '1.', '=2', '2=', '1st', '3rd' -> ('1', '')…;
    'DNF' -> ('', 'DNF'); '' -> ('', ''); anything else ('?', '')."""
    s = str(text).strip()
    if not s or s in ("-", "–"):
        return "", ""
    m = re.fullmatch(r"=?\s*(\d+)\s*(?:\.|=|st|nd|rd|th|º|°)?\s*=?", s, re.IGNORECASE)
    if m:
        return str(int(m.group(1))), ""
    m = re.fullmatch(r"(\d+)\.0+", s)  # a spreadsheet's number
    if m:
        return str(int(m.group(1))), ""
    status = STATUS_WORDS.get(re.sub(r"[\s.]", "", s.upper()))
    if status:
        return "", status
    return "?", ""


_ROUND_WORDS = (
    (r"semi[\s\-]*finals?|semis?|sf", "semi-final"),
    (r"quarter[\s\-]*finals?|qf", "quarter-final"),
    (r"finals?|f", "final"),
    (r"heats?|h|series|round\s*1|first\s*round", "heat"),
    (r"prelim(?:inary)?(?:\s*round)?s?|qualifying|qualification|pr", "prelim"),
    (r"repechages?|rr", "repechage"),
)
_ROUND = [(re.compile(rf"^(?:({w})\s*([0-9]+|[a-c])?|([0-9]+|[a-c])\s*({w}))$", re.IGNORECASE), name)
          for w, name in _ROUND_WORDS]
_ROUND_CODES = {"HEAT": "heat", "SEMI": "semi-final", "FINAL": "final", "PRELIM": "prelim",
                "QUARTER": "quarter-final", "QUALIFICATION": "prelim", "REPECHAGE": "repechage"}


def round_name(text: str) -> str:
    """miler's round: 'Final' -> 'final'; 'Final 1' -> 'final 1'; 'Heats'/'Heat 2'/'H2' -> 'heat'/'heat 2';
    'Semi-Final 1'/'Semifinal 1'/'SF1' -> 'semi-final 1'; 'A Final' -> 'final a'; 'HEAT' (athlib) ->
    'heat'; anything else lower-cased."""
    s = " ".join(str(text).replace("_", " ").split())
    if not s:
        return ""
    if s.upper() in _ROUND_CODES:
        return _ROUND_CODES[s.upper()]
    for pattern, name in _ROUND:
        m = pattern.match(s)
        if m:
            number = (m.group(2) or m.group(3) or "").lower()
            number = str(int(number)) if number.isdigit() else number
            return f"{name} {number}" if number else name
    return s.lower()


def round_parts(text: str) -> tuple[str, str]:
    """('semi-final', '1') for 'semi-final 1'; ('final', '') for 'final'."""
    m = re.fullmatch(r"(.*?)\s+([0-9]+|[a-c])", text)
    return (m.group(1), m.group(2)) if m else (text, "")
