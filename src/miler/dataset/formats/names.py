"""Athletes' names as results files write them ('Jakob INGEBRIGTSEN', 'Kerr, Josh', given and
family names in two fields), turned to the name as commonly written, given name first, with the
form each was found in (what the import reports as a guess). Pure functions of one value.
"""

from __future__ import annotations

import re

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
