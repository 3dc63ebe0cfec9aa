"""One sign convention in every command: a gap or margin is the first-named athlete's time minus
the other's, so negative means ahead; and a legend line says so wherever a signed number appears.

On the small dataset of conftest Kerr and Ingebrigtsen both finished three races: the Worlds
final (Kerr 0.27 ahead), its semi-final (0.06 behind) and the Pre mile (0.26 ahead): Kerr's time
minus Ingebrigtsen's is -0.157 s on average.
"""

import json

import pytest

K, J = "Josh Kerr", "Jakob Ingebrigtsen"


@pytest.fixture
def miler(on_small):
    return on_small


def test_h2h_rivals_and_the_profile_agree_on_the_sign_of_one_record(miler):
    gaps = [m["gap"] for m in json.loads(miler("h2h", "kerr", "jakob", "-f", "json"))["meetings"] if m["gap"] is not None]
    assert sorted(gaps) == [-0.27, -0.26, 0.06]
    mean = round(sum(gaps) / len(gaps), 2)
    rivals = {r["rival"]: r for r in json.loads(miler("rivals", "kerr", "-f", "json"))}
    assert rivals[J]["avg_margin"] == mean == -0.16  # Kerr ahead on average: negative, as in h2h
    assert {r["rival"]: r for r in json.loads(miler("rivals", "jakob", "-f", "json"))}[K]["avg_margin"] == 0.16
    record = json.loads(miler("athlete", "kerr", "--min", "1", "-f", "json"))["record"]
    assert next(r for r in record if r["rival"] == J)["avg_margin"] == -0.16


def test_pair_gaps_and_timeline_use_the_same_sign(miler):
    gaps = json.loads(miler("gaps", "kerr", "jakob", "-f", "json"))["gaps"]
    assert [g["gap"] for g in gaps] == [0.06, -0.27, -0.26]
    timeline = miler("timeline", "kerr", "jakob")
    assert "(gap -0.27)" in timeline and "(gap +0.06)" in timeline


def test_the_group_margin_is_the_winners_time_minus_the_next(miler):
    meetings = json.loads(miler("h2h", "kerr", "jakob", "henrik", "-f", "json"))["meetings"]
    worlds = next(m for m in meetings if m["date"] == "2023-08-23")
    assert worlds["winner"] == K and worlds["gap"] == -0.27


@pytest.mark.parametrize("args, legend", [
    (["h2h", "kerr", "jakob"], "gap = Kerr's time − Ingebrigtsen's: negative where Kerr was ahead"),
    (["h2h", "kerr", "jakob", "henrik"], "margin = the winner's time − the next of them's: negative, the winner ahead"),
    (["gaps", "kerr", "jakob"], "(Kerr−Ingebrigtsen; negative: Kerr ahead)"),
    (["timeline", "kerr", "jakob"], "gap = Kerr's time − Ingebrigtsen's: negative where Kerr was ahead"),
    (["rivals", "kerr"], "avg margin = Kerr's time − the rival's, where both finished: negative where Kerr was ahead"),
    (["athlete", "kerr", "--min", "1"], "avg margin = Kerr's time − the rival's"),
    (["meet", "worlds 2023"], "to winner = the athlete's time − the winner's, to ahead = − the one ahead's"),
    (["gaps", "worlds 2023"], "to winner = the athlete's time − the winner's"),
    (["progression", "kerr"], "change = the season's best − the previous season's: negative, faster"),
    (["rank"], "change = the rating now − before 2024: positive, rated higher"),
    (["rank", "--history", "kerr"], "change = the rating after the race − before it"),
])
def test_every_signed_number_has_its_legend(miler, args, legend):
    assert legend in miler(*args)
    assert legend in miler(*args, "-f", "markdown").replace("\\", "")
