"""Events and sex as results files name them ('1500 Metres', "Men's 1500m", '2M', '3000m SC'),
as miler's event, its kind (a race, or a field event, relay or combined event to leave out) and
the sex its name says; the event of a list that names none, from its marks or its file's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from miler.marks import WORLD_RECORDS, normalise_event
from miler.schema import sex_code

_SEX_WORDS = re.compile(r"\b(men'?s?|women'?s?|male|female|boys|girls|ladies|man|woman)\b|(?:^|\s)([MWF])$",
                        re.IGNORECASE)
FIELD = re.compile(r"jump|vault|put\b|throw|discus|javelin|hammer|\bshot\b|weight", re.IGNORECASE)
COMBINED = re.compile(r"athlon|combined", re.IGNORECASE)
RELAY = re.compile(r"\d\s*[x×]\s*\d|relay|medley", re.IGNORECASE)


@dataclass(frozen=True)
class Event:
    name: str  # miler's event: 1500m, Mile, 2 Miles, 110m Hurdles, 3000m Steeplechase, …
    sex: str  # M, W or ''
    kind: str  # race, field, combined, relay
    indoor: bool = False


def event_of(text: str) -> Event:
    """'1500 Metres', '1500 m Men', '1500-metres', "Men's 1500m", '1500', 'Mile', '2M', 'One Mile',
    "Women's 800m", '110mH', '3000m SC' -> miler's event, its sex where the name says, its kind."""
    s = " ".join(str(text).replace("_", " ").split())
    sex = ""
    m = _SEX_WORDS.search(s)
    if m:
        sex = sex_code((m.group(1) or m.group(2)).replace("'", "").lower()) or ""
        s = (s[: m.start()] + " " + s[m.end() :]).strip(" -,")
    indoor = bool(re.search(r"\(i\)|\bindoor\b|short track", s, re.IGNORECASE))
    s = re.sub(r"\(i\)|\bindoors?\b|\bshort track\b|\boutdoors?\b|\bsenior\b|\bu\d\d\b", "", s, flags=re.IGNORECASE)
    s = " ".join(s.split()).strip(" -,")
    if COMBINED.search(s):
        return Event(s, sex, "combined", indoor)
    if RELAY.search(s):
        return Event(s, sex, "relay", indoor)
    if FIELD.search(s):
        return Event(s, sex, "field", indoor)
    low = s.lower()
    m = re.fullmatch(r"(\d+)\s*(?:m|metres|meters)?\s*-?\s*(h|hurdles|mh)", low)
    if m:
        return Event(f"{m.group(1)}m Hurdles", sex, "race", indoor)
    m = re.fullmatch(r"(\d+)\s*(?:m|metres|meters)?\s*-?\s*(sc|st|s/c|steeple(?:chase)?)\.?", low)
    if m:
        return Event(f"{m.group(1)}m Steeplechase", sex, "race", indoor)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(km|k|m|metres|meters|kilometres)?\s*(?:race\s*)?walk", low)
    if m:
        unit = "km" if (m.group(2) or "km").startswith("k") else "m"
        return Event(f"{m.group(1)}{unit} Walk", sex, "race", indoor)
    if low in ("marathon", "half marathon", "half-marathon"):
        return Event(low.replace("-", " ").title(), sex, "race", indoor)
    m = re.fullmatch(r"(\d{1,2})\s*(M|mi|miles?)", s)
    if m and (m.group(2) != "M" or int(m.group(1)) <= 26):
        n = int(m.group(1))
        return Event("Mile" if n == 1 else f"{n} Miles", sex, "race", indoor)
    s = re.sub(r"(?i)\bmile run\b", "mile", s)
    return Event(normalise_event(s), sex, "race", indoor)


# A list's marks lie within this factor of the world record: what guesses a list's event.
LIST_FACTOR = 1.25
GUESSABLE = ("800m", "1000m", "1500m", "Mile", "2000m", "3000m", "2 Miles", "5000m", "10000m")


def event_from_marks(seconds: list[float]) -> str | None:
    """The one event whose range (world record to LIST_FACTOR times it) holds every mark, if one
    does (a World Athletics list of the men's 1500m: 3:29.02-3:41.47)."""
    if not seconds:
        return None
    lo, hi = min(seconds), max(seconds)
    fits = [e for e in GUESSABLE if WORLD_RECORDS[e] <= lo and hi <= WORLD_RECORDS[e] * LIST_FACTOR]
    return fits[0] if len(fits) == 1 else None


_PATH_EVENT = re.compile(r"(?<![0-9])(\d{3,5})[-_ ]?(?:metres|meters|m)(?![a-z0-9])|(?<![a-z])(one[-_ ]?mile|mile|2[-_ ]?miles)(?![a-z])")
_PATH_SEX = re.compile(r"(?<![a-z])(women|female|men|male|womens|mens)(?![a-z])")


def hints_from_path(path: str) -> dict[str, str]:
    """Event, sex and indoor/outdoor where a file's path says them ('…/1500-metres/men/…',
    'male_middlelong_1500-metres.csv', '…/indoor/…')."""
    low = str(path).lower()
    hints: dict[str, str] = {}
    m = _PATH_EVENT.search(low)
    if m:
        hints["event"] = event_of(m.group(0).replace("_", " ")).name
    m = _PATH_SEX.search(low)
    if m:
        hints["sex"] = sex_code(m.group(1)) or ""
    if re.search(r"(?<![a-z])indoors?(?![a-z])", low):
        hints["indoor"] = "true"
    return {k: v for k, v in hints.items() if v}
