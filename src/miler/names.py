"""Resolve what a user types ("kerr", "INGEBRIGTSEN", "jakob", "nordas") to an athlete's name.

Matching ignores case and accents (anyascii folds ø, ł and ß too). A query may be a full name,
a surname, a given name or an unambiguous prefix. When a surname fits several athletes the
one with the most results wins, and the resolution says who else it could have meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from anyascii import anyascii

from miler.errors import AmbiguousError, NotFoundError


def fold(text: str) -> str:
    """Lower-case ASCII with single spaces: 'Narve Gilje Nordås' -> 'narve gilje nordas'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(str(text)).lower()).split())


@dataclass(frozen=True)
class Resolution:
    name: str
    others: tuple[str, ...] = field(default_factory=tuple)

    @property
    def note(self) -> str:
        """One line for stderr when the query could have meant someone else."""
        if not self.others:
            return ""
        return f"note: taking {self.name}; also matches {', '.join(self.others)}"


def _tier(query: str, name: str) -> int | None:
    """How well a folded query fits a folded name: 0 exact, 1 whole word(s), 2 prefix; None: no."""
    if query == name:
        return 0
    words = name.split()
    q = query.split()
    # a run of whole words: "kerr", "jakob", "gilje nordas"
    for i in range(len(words) - len(q) + 1):
        if words[i : i + len(q)] == q:
            return 1
    # a prefix of the name or of a run of its words: "inge", "jak", "jakob inge"
    for i in range(len(words)):
        if " ".join(words[i:]).startswith(query):
            return 2
    return None


def resolve(query: str, counts: Mapping[str, int]) -> Resolution:
    """Resolve a query against athletes' names, given how many results each has."""
    q = fold(query)
    if not q:
        raise NotFoundError("an athlete's name is empty")
    best: dict[int, list[str]] = {}
    first = q.split()[0]
    for name in counts:
        # a cheap test first: an ASCII name folds to its lower case with punctuation as spaces,
        # so a query word that fits it is a substring of its lower case
        if name.isascii() and first not in name.lower():
            continue
        t = _tier(q, fold(name))
        if t is not None:
            best.setdefault(t, []).append(name)
    if not best:
        raise NotFoundError(_unknown_message(query, counts))
    tier = min(best)
    found = sorted(best[tier], key=lambda n: (-counts[n], n))
    if len(found) == 1:
        return Resolution(found[0])
    if tier == 2 and len({fold(n).split()[-1] for n in found}) > 1:
        shown = ", ".join(found[:8]) + (", …" if len(found) > 8 else "")
        raise AmbiguousError(f"'{query}' is ambiguous: it could be {shown}; type more of the name", found)
    return Resolution(found[0], tuple(found[1:]))


def _unknown_message(query: str, counts: Mapping[str, int]) -> str:
    folded = {}
    for name in counts:
        f = fold(name)
        folded.setdefault(f, name)
        folded.setdefault(f.split()[-1] if f else f, name)
    close = difflib.get_close_matches(fold(query), list(folded), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(folded[c] for c in close))
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return f"no athlete matches '{query}'{hint}"


def short_names(names: list[str]) -> dict[str, str]:
    """Surnames for headers and labels, or full names where two share a surname (brothers)."""
    surnames = [n.split()[-1] if n.split() else n for n in names]
    return {n: (s if surnames.count(s) == 1 else n) for n, s in zip(names, surnames)}
