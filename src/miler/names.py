"""Resolve what a user types ("kerr", "INGEBRIGTSEN", "jakob", "nordas") to an athlete's name.

Matching ignores case and accents (anyascii folds ø, ł and ß too). A query may be a full name,
a surname, a given name or an unambiguous prefix. When a surname fits several athletes the
one with the most results wins, and the resolution says who else it could have meant.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from anyascii import anyascii

from miler.errors import AmbiguousError, NotFoundError


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII with single spaces: 'Narve Gilje Nordås' -> 'narve gilje nordas'.
    (Remembered: a dataset's names are folded once, however many names a command resolves.)"""
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


# How people write letters an ASCII keyboard lacks: Nordås as "nordaas", Ødegaard as "oedegaard",
# Müller as "mueller". Folding keeps only the base letter (nordas), so a query that spells the
# letter out is folded once more, both it and the names, to the base letter.
_SPELLED_OUT = re.compile(r"aa|ae|oe|ue")


def _loose(folded: str) -> str:
    return _SPELLED_OUT.sub(lambda m: m.group()[0], folded)


def _tier(query: str, name: str) -> int | None:
    """How well a folded query fits a folded name: 0 exact, 1 whole word(s), 2 prefix, 3 whole
    words in another order ("kerr josh", "ingebrigtsen jakob"), 4 words or their starts in any
    order ("t cheruiyot"); None: no."""
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
    if len(q) > 1 and len(q) <= len(words):
        if _each_fits(q, words, whole=True):
            return 3
        if _each_fits(q, words, whole=False):
            return 4
    return None


def _each_fits(query: list[str], words: list[str], whole: bool) -> bool:
    """Each query word fits a different word of the name (whole, or as its start), longest first."""
    left = list(words)
    for w in sorted(query, key=len, reverse=True):
        hit = next((x for x in left if x == w or (not whole and x.startswith(w))), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


class Roster:
    """The names a query is resolved against, with how many results each has; what the cheap test
    of which names may fit needs is worked out once, however many names a command resolves."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = counts

    @functools.cached_property
    def arrow(self):
        """The names as a list, their lower case with accents taken off as Arrow strings, and
        which of them only anyascii can fold."""
        import pyarrow as pa
        import pyarrow.compute as pc

        names = list(self.counts)
        array = pa.array(names, type=pa.string())
        plain = pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(array, "NFKD"), r"\p{Mn}", ""))
        return names, plain, pc.invert(pc.string_is_ascii(plain))


def _matches(q: str, roster: Roster, loose: bool) -> dict[int, list[str]]:
    best: dict[int, list[str]] = {}
    words = q.split()
    for name in _candidates(words, roster) if not loose else roster.counts:
        folded = fold(name)
        if loose:
            folded = _loose(folded)
        # each query word is in a name that fits it at any tier: a cheap test before _tier
        if all(w in folded for w in words):
            t = _tier(q, folded)
            if t is not None:
                best.setdefault(t, []).append(name)
    return best


ARROW_NAMES = 2000  # from this many names, the cheap test runs in pyarrow, on all names at once


def _candidates(words: list[str], roster: Roster) -> list[str]:
    """The names that may fit the query words. A name folds to its lower case with punctuation as
    spaces, and with accents taken off (é, å: what Unicode decomposes); so a word that fits a name
    is a substring of that, except in a name with letters only anyascii spells (ø, ł, ß, other
    scripts), which is always a candidate."""
    if len(roster.counts) < ARROW_NAMES:
        return [n for n in roster.counts if not n.isascii() or all(w in n.lower() for w in words)]
    import pyarrow.compute as pc

    names, plain, spelled = roster.arrow
    fits = pc.match_substring(plain, words[0])
    for w in words[1:]:
        fits = pc.and_(fits, pc.match_substring(plain, w))
    fits = pc.or_(fits, spelled)
    return [names[i] for i in pc.indices_nonzero(fits).to_numpy(zero_copy_only=False).tolist()]


def resolve(query: str, counts: Mapping[str, int] | Roster) -> Resolution:
    """Resolve a query against athletes' names, given how many results each has (a Roster, to
    resolve several queries against the same names).

    A query may be the name in any order ("INGEBRIGTSEN Jakob", "Ingebrigtsen, Jakob"), with
    initials ("t cheruiyot"), and with å, ø, ä, ü written out as aa, oe, ae, ue ("nordaas")."""
    roster = counts if isinstance(counts, Roster) else Roster(counts)
    counts = roster.counts
    q = fold(query)
    if not q:
        raise NotFoundError("an athlete's name is empty")
    best = _matches(q, roster, loose=False) or _matches(_loose(q), roster, loose=True)
    if not best:
        raise NotFoundError(_unknown_message(query, counts))
    tier = min(best)
    found = sorted(best[tier], key=lambda n: (-counts[n], n))
    if len(found) == 1:
        return Resolution(found[0])
    if tier in (2, 4) and len({fold(n).split()[-1] for n in found}) > 1:
        shown = ", ".join(found[:8]) + (", …" if len(found) > 8 else "")
        raise AmbiguousError(f"'{query}' is ambiguous: it could be {shown}; type more of the name", found)
    return Resolution(found[0], tuple(found[1:]))


def unknown(query: str, names) -> bool:
    """Whether no one of names fits the query at all."""
    try:
        resolve(query, dict.fromkeys(names, 1))
    except NotFoundError:
        return True
    except AmbiguousError:
        pass
    return False


def only_quoted(query: str, people) -> str | None:
    """The person a query names among people known from the quotes (who have no results), or None."""
    try:
        return resolve(query, {p: 1 for p in people}).name
    except (NotFoundError, AmbiguousError):
        return None


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
