"""Venues, meets and levels as results files write them: a venue's city, country and '(i)', a
competition's name without its edition or stadium, and the level a meet's name implies.
"""

from __future__ import annotations

import re

_COUNTRY = re.compile(r"\s*\(([A-Z]{3})\)$")


def venue(text: str) -> tuple[str, str, bool]:
    """(city, country, indoor) of a venue: 'Letzigrund, Zürich (SUI)' -> ('Zürich', 'SUI', False);
    'Hayward Field, Eugene, OR (USA)' -> ('Eugene', 'USA', False); 'Armory Track&Field Center, New
    York, NY (USA) (i)' -> ('New York', 'USA', True); 'Bruxelles (BEL)' -> ('Bruxelles', 'BEL', False)."""
    s = " ".join(str(text).split())
    indoor = False
    if s.lower().endswith("(i)"):
        indoor, s = True, s[:-3].rstrip()
    country = ""
    m = _COUNTRY.search(s)
    if m:
        country, s = m.group(1), s[: m.start()]
    parts = [p.strip() for p in s.split(",") if p.strip()]
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{2}", parts[-1]):  # a US state or Canadian province
        parts.pop()
    return (parts[-1] if parts else ""), country, indoor


_LEVELS = (
    (r"world\s+(athletics\s+)?indoor", "world-indoors"),
    (r"olympic\s+games|olympics|games\s+of\s+the\s+\w+\s+olympiad", "olympics"),
    (r"world\s+(athletics\s+)?championships|iaaf\s+world\s+championships", "worlds"),
    (r"european\s+(athletics\s+)?championships", "europeans"),
    (r"commonwealth\s+games", "commonwealth"),
    (r"diamond\s+league", "diamond-league"),
)
_NOT_SENIOR = re.compile(r"\b(u\s?1\d|u\s?2\d|junior|youth|masters|veterans?|university|universiade|schools?|"
                         r"under[\s-]?\d\d|u-\d\d|para|paralympic)\b", re.IGNORECASE)


def level_of(meet: str) -> str:
    """The level a meet's name implies: 'Olympic Games' -> olympics, 'World Athletics Championships'
    -> worlds, …; 'World U20 Championships' and anything else -> other."""
    if _NOT_SENIOR.search(meet):
        return "other"
    for pattern, level in _LEVELS:
        if re.search(pattern, meet, re.IGNORECASE):
            return level
    return "other"


def meet_name(text: str) -> str:
    """A competition's name without its edition and venue: '31st Olympic Games, Olympic Stadium'
    -> 'Olympic Games'; 'XXXI Olympic Games' -> 'Olympic Games'."""
    s = " ".join(str(text).split())
    s = s.split(",")[0].strip() if "," in s else s
    s = re.sub(r"^\d+(st|nd|rd|th)\s+", "", s, flags=re.IGNORECASE)
    s = re.sub(r"^[IVXLC]+\s+(?=[A-Z])", "", s)
    return s.strip()
