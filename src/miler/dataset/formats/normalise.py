"""What real results files contain, turned into miler's cells: names, marks and statuses, places
and rounds, dates, events and sex, venues, levels. Pure functions of one value (or of one
column, where the whole column decides, as for the order of day and month); no I/O.

Each function takes what a file holds and returns miler's value, or None where the value is not
one (the caller says why the row is left out). Readers call them once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from miler.marks import WORLD_RECORDS, format_mark, normalise_event
from miler.schema import sex_code

# --- names -----------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _is_caps(token: str) -> bool:
    """A token written in capitals, as lists write family names: 'INGEBRIGTSEN', "O'HARE", 'EL'."""
    letters = _LETTERS.findall(token)
    return len(letters) >= 2 and token.upper() == token and token.lower() != token


def title_word(token: str) -> str:
    """'INGEBRIGTSEN' -> 'Ingebrigtsen', "O'HARE" -> "O'Hare", 'GILJE-NORDÅS' -> 'Gilje-Nordås',
    'MCSWEYN' -> 'McSweyn'."""
    parts = re.split(r"([-'’])", token)
    out = []
    for p in parts:
        if p in ("-", "'", "’") or not p:
            out.append(p)
        elif len(p) > 3 and p[:2].lower() == "mc":
            out.append("Mc" + p[2:].capitalize())
        else:
            out.append(p.capitalize())
    return "".join(out)


def athlete_name(text: str) -> tuple[str, str]:
    """A person's name as commonly written, and the form it was found in.

    'Jakob INGEBRIGTSEN' -> ('Jakob Ingebrigtsen', 'Given FAMILY'); 'INGEBRIGTSEN Jakob' ->
    ('Jakob Ingebrigtsen', 'FAMILY Given'); 'Kerr, Josh' / 'Woods , Anthony' -> given first
    ('Family, Given'); a name wholly in capitals is title-cased in its own order ('CAPITALS');
    anything else is kept ('as written'). Particles and hyphens stay: 'Narve GILJE NORDÅS' ->
    'Narve Gilje Nordås', 'Hicham EL GUERROUJ' -> 'Hicham El Guerrouj'."""
    s = " ".join(str(text).split())
    s = re.sub(r"\s+,", ",", s)
    if not s:
        return "", ""
    if s.count(",") == 1:
        family, given = (p.strip() for p in s.split(","))
        if family and given:
            fix = (lambda t: title_word(t) if _is_caps(t) else t)
            return " ".join(fix(t) for t in (given + " " + family).split()), "Family, Given"
    tokens = s.split(" ")
    caps = [_is_caps(t) for t in tokens]
    if all(caps):
        return " ".join(title_word(t) for t in tokens), "CAPITALS" if len(tokens) > 1 else ""
    if len(tokens) > 1 and any(caps):
        first_cap = caps.index(True)
        if all(caps[first_cap:]) and first_cap > 0:  # Given FAMILY
            return " ".join(tokens[:first_cap] + [title_word(t) for t in tokens[first_cap:]]), "Given FAMILY"
        last_cap = len(caps) - 1 - caps[::-1].index(True)
        if first_cap == 0 and all(caps[: last_cap + 1]):  # FAMILY Given
            family = [title_word(t) for t in tokens[: last_cap + 1]]
            return " ".join(tokens[last_cap + 1 :] + family), "FAMILY Given"
    return s, "as written"


def join_name(given: str, family: str) -> tuple[str, str]:
    """Given and family names from two fields, as one name ('Larbi', 'Bouraada' -> 'Larbi Bouraada')."""
    given, family = " ".join(str(given).split()), " ".join(str(family).split())
    if not given or not family:
        return athlete_name(given or family)
    fam = " ".join(title_word(t) if _is_caps(t) else t for t in family.split())
    giv = " ".join(title_word(t) if _is_caps(t) else t for t in given.split())
    return f"{giv} {fam}", "given and family names"


# --- marks and statuses ----------------------------------------------------------------------

STATUS_WORDS = {
    "DNF": "DNF", "DIDNOTFINISH": "DNF", "R": "DNF", "RET": "DNF", "RETIRED": "DNF", "AB": "DNF", "ABD": "DNF",
    "DNS": "DNS", "DIDNOTSTART": "DNS", "NS": "DNS", "SCR": "DNS", "SCRATCHED": "DNS", "WD": "DNS",
    "WITHDRAWN": "DNS", "DQ": "DQ", "DSQ": "DQ", "DISQ": "DQ", "DISQUALIFIED": "DQ", "FS": "DQ", "FALSESTART": "DQ",
    "NM": "NM", "NT": "NM", "NH": "NM", "NOMARK": "NM", "NOTIME": "NM", "NOHEIGHT": "NM",
}  # fmt: skip
NO_MARK = "NM"  # no mark, no time: not a performance and not a DNF
_RECORD_TAGS = ("WR", "WL", "OR", "AR", "NR", "ER", "CR", "MR", "PB", "SB", "DLR", "WU20R", "WU18R", "WJR",
                "AU20R", "NU20R", "ESB", "EL", "MPB", "GR", "CBP")  # fmt: skip
_TAGS = re.compile(r"(?:\s+|(?<=\d))\(?(=?(?:" + "|".join(_RECORD_TAGS) + r"))\)?$")
_QUALIFIED = re.compile(r"\s*\(?\b[Qq]\b\)?$")
_COMMA = re.compile(r"^(\d+(?::\d\d)*),(\d{1,3})(h?)$")
_DOTTED = re.compile(r"^(\d{1,2})\.([0-5]\d)\.(\d{1,3})$")  # 3.29.38 written for 3:29.38
_NUMBER = re.compile(r"^(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Cell:
    """A time cell read: the mark as miler prints it (or ''), a status (DNF, DNS, DQ, NM or ''),
    note tags, and what the cell said besides."""

    time: str
    status: str = ""
    note: str = ""
    indoor: bool = False
    split: bool = False  # '+': a split inside a longer race
    minutes: str = ""  # a number of seconds over 60 ('215.35') as minutes and seconds ('3:35.35')
    decimal_comma: bool = False


def time_cell(text: str) -> Cell:
    """'3:29.38', '3:29,38', '3:34.6h', '3:31.2A', '3:34.19+', '3:52.11 (i)', '215.35' (seconds:
    Cell.minutes is '3:35.35', for the caller to use where the event is not a sprint), 'DNF', 'dq',
    'Did not start', 'DQ 8:08.47', '3:50.00 SB' -> a Cell."""
    s = " ".join(str(text).split())
    if not s:
        return Cell("")
    word = re.sub(r"[\s.]", "", s.upper())
    if word in STATUS_WORDS:
        status = STATUS_WORDS[word]
        return Cell("", status)
    if re.search(r"DQ|DSQ|DISQ", s.upper()):  # 'DQ 8:08.47', '37.62DQ', 'DQ R 163.3a'
        return Cell("", "DQ")
    first = re.match(r"^([A-Za-z]+)\b", s)
    if first and first.group(1).upper() in STATUS_WORDS and not re.match(r"^\d", s):
        return Cell("", STATUS_WORDS[first.group(1).upper()])  # 'DNF (fell)'
    notes: list[str] = []
    indoor = split = comma = False
    minutes = ""
    while True:
        before = s
        if s.lower().endswith("(i)"):
            indoor, s = True, s[:-3].rstrip()
        elif re.search(r"\d i$", s) or re.search(r"\di$", s):
            indoor, s = True, s[:-1].rstrip()
        if s.endswith("+"):
            split, s = True, s[:-1].rstrip()
        m = _TAGS.search(s)
        if m:
            notes.insert(0, m.group(1).lstrip("="))
            s = s[: m.start()].rstrip()
        m = _QUALIFIED.search(s)
        if m and m.start() > 0:
            s = s[: m.start()].rstrip()
        if re.search(r"\dA$", s):  # at altitude
            notes.append("A")
            s = s[:-1]
        if s == before:
            break
    m = _COMMA.match(s)
    if m:
        s, comma = f"{m.group(1)}.{m.group(2)}{m.group(3)}", True
    m = _DOTTED.match(s)
    if m:
        s = f"{m.group(1)}:{m.group(2)}.{m.group(3)}"
    m = _NUMBER.match(s)
    if m and int(m.group(1)) >= 60:
        frac = m.group(2) or ""
        decimals = 0 if not frac else 2 if len(frac) <= 2 or len(frac) > 3 else 3
        minutes = format_mark(float(s), decimals)
    return Cell(s, "", " ".join(dict.fromkeys(notes)), indoor, split, minutes, comma)


# --- places and rounds -----------------------------------------------------------------------

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


# --- dates -----------------------------------------------------------------------------------

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
    out: dict[str, str | None] = {}
    guesses: list[str] = []
    if date_format:
        fmt = strptime_format(date_format)
        for v in values:
            try:
                out[v] = dt.datetime.strptime(str(v).strip(), fmt).date().isoformat()
            except ValueError:
                out[v] = None
        return out, guesses
    parts = {v: _date_parts(v) for v in values}
    slashed = [(v, g) for v, p in parts.items() if p and p[0].endswith("slash") for g in [p[1]]]
    day_first = None
    if slashed:
        firsts = [v for v, g in slashed if int(g[0]) > 12]
        seconds = [v for v, g in slashed if int(g[1]) > 12]
        if firsts and seconds:
            raise DateOrder(f"the dates mix day-first ({firsts[0]!r}) and month-first ({seconds[0]!r}) orders: "
                            "give --date-format DD/MM/YYYY or MM/DD/YYYY")
        if firsts:
            day_first = True
            guesses.append(f"dates like {slashed[0][0]!r} read day first (DD/MM/YYYY): {firsts[0]!r} in the same "
                           "column cannot be month first")
        elif seconds:
            day_first = False
            guesses.append(f"dates like {slashed[0][0]!r} read month first (MM/DD/YYYY): {seconds[0]!r} in the same "
                           "column cannot be day first")
        elif any(g[0] != g[1] for _, g in slashed):
            example = next(v for v, g in slashed if g[0] != g[1])
            raise DateOrder(f"a date like {example!r} can be day/month or month/day and no date of the column decides: "
                            "give --date-format DD/MM/YYYY or MM/DD/YYYY")
        else:
            day_first = True
    two_digit = False
    for v, p in parts.items():
        if p is None:
            out[v] = None
            continue
        form, g = p
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
                two_digit |= len(g[2]) == 2
            else:
                a, b, y = int(g[0]), int(g[1]), _year(g[2])
                two_digit |= len(g[2]) == 2
                d, m = (a, b) if day_first else (b, a)
            out[v] = dt.date(y, m, d).isoformat()
        except (KeyError, ValueError):
            out[v] = None
    if two_digit:
        guesses.append("two-digit years read as 2000-2049 (00-49) and 1950-1999 (50-99)")
    return out, guesses


# --- events and sex --------------------------------------------------------------------------

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


# --- venues, meets and levels ----------------------------------------------------------------

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
