"""Dates as results files write them (ISO, '16.06.2022', '04 OCT 2019', 'Oct 4, 2019', '20220616',
'13/05/2022', a date inside a title) as ISO dates. The whole column decides whether 'A/B/YYYY'
is day or month first; --date-format, when given, decides instead.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}  # fmt: skip
_D_MON_Y = r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]{3,9})\.?,?[\s\-]+(\d{4})"
_MON_D_Y = r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
_ISO = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
_DOTS = r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})"
_SLASH = r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})"
_DATE_FORMS = (("iso", _ISO + r"(?:[T ][0-9:.]+Z?)?"), ("d mon y", _D_MON_Y), ("mon d y", _MON_D_Y),
               ("dots", _DOTS), ("slash", _SLASH), ("compact", r"(\d{4})(\d{2})(\d{2})"))
_DATE_RES = [(name, re.compile(f"^{p}$")) for name, p in _DATE_FORMS]
_DATE_IN_TEXT = [(name, re.compile(rf"(?<![\d.]){p}(?![\d.])")) for name, p in _DATE_FORMS if name != "compact"]
FRIENDLY_FORMATS = {"DD": "%d", "MM": "%m", "YYYY": "%Y", "YY": "%y", "MON": "%b", "D": "%d", "M": "%m"}


class DateOrder(Exception):
    """The order of day and month cannot be told from a column (or it mixes both orders)."""


def _year(y: str) -> int:
    n = int(y)
    return n if len(y) == 4 else (2000 + n if n < 50 else 1900 + n)


def _date_parts(text: str) -> tuple[str, tuple] | None:
    s = " ".join(str(text).split())
    for name, rx in _DATE_RES:
        m = rx.match(s)
        if m:
            return name, m.groups()
    for name, rx in _DATE_IN_TEXT:  # a date inside a title: "Men's Mile - 16.06.2022"
        m = rx.search(s)
        if m:
            return "in text " + name, m.groups()
    return None


def strptime_format(spec: str) -> str:
    """--date-format as strftime ('%d/%m/%Y') or in words ('DD/MM/YYYY', 'MM/DD/YY', 'DD MON YYYY')."""
    if "%" in spec:
        return spec
    return re.sub(r"YYYY|YY|MON|DD|MM|D|M", lambda m: FRIENDLY_FORMATS[m.group(0)], spec.upper())


def parse_dates(values, date_format: str | None = None) -> tuple[dict[str, str | None], list[str]]:
    """Each distinct date cell as an ISO date (None where it is not a date), and the guesses made.

    ISO, 'DD.MM.YYYY' (day first, as everywhere dots are used), '04 OCT 2019', 'Oct 4, 2019',
    'YYYYMMDD', and a date inside a longer text are read as they are. 'A/B/YYYY' is day first when
    some date of the column has a first number over 12, month first when some second number is;
    neither (every date like 01/02/2024) or both raise DateOrder: --date-format decides."""
    values = [v for v in dict.fromkeys(values) if v is not None]
    if date_format:
        return _in_format(values, strptime_format(date_format)), []
    parts = {v: _date_parts(v) for v in values}
    day_first, guesses = _day_first([(v, p[1]) for v, p in parts.items() if p and p[0].endswith("slash")])
    out = {v: _iso(p, day_first) if p else None for v, p in parts.items()}
    if any(_two_digit_year(p) for p in parts.values() if p):
        guesses.append("two-digit years read as 2000-2049 (00-49) and 1950-1999 (50-99)")
    return out, guesses


def _two_digit_year(parts: tuple[str, tuple]) -> bool:
    """Whether a date with dots or slashes gives its year in two digits ('1.2.22')."""
    return parts[0].removeprefix("in text ") in ("dots", "slash") and len(parts[1][2]) == 2


def _in_format(values: list, fmt: str) -> dict[str, str | None]:
    """Each date cell read in the strptime format given (--date-format), None where it does not fit."""
    out: dict[str, str | None] = {}
    for v in values:
        try:
            out[v] = dt.datetime.strptime(str(v).strip(), fmt).date().isoformat()
        except ValueError:
            out[v] = None
    return out


def _day_first(slashed: list[tuple[str, tuple]]) -> tuple[bool | None, list[str]]:
    """Whether the column's 'A/B/YYYY' dates are day first, and the guess that says why; DateOrder
    where no date decides (or the dates disagree). None where the column has no such dates."""
    if not slashed:
        return None, []
    firsts = [v for v, g in slashed if int(g[0]) > 12]
    seconds = [v for v, g in slashed if int(g[1]) > 12]
    if firsts and seconds:
        raise DateOrder(f"the dates mix day-first ({firsts[0]!r}) and month-first ({seconds[0]!r}) orders: "
                        "give --date-format DD/MM/YYYY or MM/DD/YYYY")
    if firsts:
        return True, [f"dates like {slashed[0][0]!r} read day first (DD/MM/YYYY): {firsts[0]!r} in the same "
                      "column cannot be month first"]
    if seconds:
        return False, [f"dates like {slashed[0][0]!r} read month first (MM/DD/YYYY): {seconds[0]!r} in the same "
                       "column cannot be day first"]
    example = next((v for v, g in slashed if g[0] != g[1]), None)
    if example is not None:
        raise DateOrder(f"a date like {example!r} can be day/month or month/day and no date of the column decides: "
                        "give --date-format DD/MM/YYYY or MM/DD/YYYY")
    return True, []  # every date reads the same either way (01/01/2024)


def _iso(parts: tuple[str, tuple], day_first: bool | None) -> str | None:
    """One date's parts (its form and numbers, as _date_parts found them) as an ISO date, or None."""
    form, g = parts
    form = form.removeprefix("in text ")
    try:
        if form in ("iso", "compact"):
            y, m, d = int(g[0]), int(g[1]), int(g[2])
        elif form == "d mon y":
            d, m, y = int(g[0]), _MONTHS[g[1].lower()], int(g[2])
        elif form == "mon d y":
            m, d, y = _MONTHS[g[0].lower()], int(g[1]), int(g[2])
        elif form == "dots":
            d, m, y = int(g[0]), int(g[1]), _year(g[2])
        else:
            a, b, y = int(g[0]), int(g[1]), _year(g[2])
            d, m = (a, b) if day_first else (b, a)
        return dt.date(y, m, d).isoformat()
    except (KeyError, ValueError):
        return None
