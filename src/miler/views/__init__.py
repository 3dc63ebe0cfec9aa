"""Each command's answer, described once: an analysis result -> Sections (miler.answer.Section) of
facts and rows. Tables, CSV, JSON and Markdown are all drawn from that one description by
render.write.

    common.py  how marks, converted marks, places and gaps are shown; the legends of signs
    h2h.py     head-to-heads of two (with the card) and of three or more
    races.py   a meet's races, two athletes' gaps, progressions, a season
    people.py  profiles, rivals, ratings, odds
    lists.py   listings, quotes, the timeline, toplists, coverage, sources
"""

from miler.views.h2h import card, group, h2h, record_line
from miler.views.lists import info, listing, meets, problems, quotes, timeline, toplist, with_sources
from miler.views.people import athlete, check as odds_check, odds, rating_history, ratings, rivals
from miler.views.races import pair_gaps, progression, races, season

__all__ = [
    "athlete", "card", "group", "h2h", "info", "listing", "meets", "odds", "odds_check", "pair_gaps", "problems",
    "progression", "quotes", "races", "rating_history", "ratings", "record_line", "rivals", "season", "timeline",
    "toplist", "with_sources",
]
