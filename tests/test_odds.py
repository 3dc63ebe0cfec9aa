"""Odds for the next race from the ratings, and their track record on hand-made histories:
where the stronger athlete always wins they score near-perfect; on coin flips, like a coin."""

import datetime as dt
import json
import random

import numpy as np
import pytest
from conftest import load_rows, race, write_csv

from miler.analysis import odds
from miler.cli import app


def history(order_of, n, event="1500m"):
    """n weekly races; order_of(k) gives race k's finishing order (times follow the places)."""
    rows = []
    start = dt.date(2020, 1, 6)
    for k in range(n):
        names = order_of(k)
        rows += race(str(start + dt.timedelta(days=7 * k)), f"Meet {k}", event,
                     [(a, "AAA", i + 1, f"3:{30 + i}.00") for i, a in enumerate(names)])
    return rows


STRONG = history(lambda k: ["Strong", "Middle", "Weak"], 30)


def coin_flips(n=150, seed=7):
    rng = random.Random(seed)

    def order(k):
        names = ["P", "Q", "R", "T"]
        rng.shuffle(names)
        return names

    return history(order, n)


@pytest.fixture(scope="module")
def strong():
    return load_rows(STRONG)


def test_the_chances_of_winning_a_field_sum_to_one(strong):
    result = odds.odds(strong, ["Weak", "Strong", "Middle"])
    assert result.field["win"].sum() == pytest.approx(1.0, abs=1e-9)
    assert result.field["athlete"].tolist() == ["Weak", "Strong", "Middle"]  # in the order asked
    win = result.field.set_index("athlete")["win"]
    assert win["Strong"] > win["Middle"] > win["Weak"]


def test_finishing_ahead_and_behind_are_complementary_and_follow_the_ratings(strong):
    pairs = odds.odds(strong, ["Strong", "Middle", "Weak"]).pairs.set_index(["athlete", "rival"])["ahead"]
    assert pairs[("Strong", "Middle")] + pairs[("Middle", "Strong")] == pytest.approx(1.0)
    assert pairs[("Strong", "Weak")] > pairs[("Middle", "Weak")] > 0.5


def test_two_athletes_chance_of_winning_is_the_chance_of_finishing_ahead(strong):
    result = odds.odds(strong, ["Strong", "Middle"])
    win = result.field.set_index("athlete")["win"]
    ahead = result.pairs.set_index(["athlete", "rival"])["ahead"]
    assert win["Strong"] == pytest.approx(ahead[("Strong", "Middle")], abs=0.01)  # drawn, so within 1%


def test_each_chance_comes_with_a_range_that_narrows_as_the_ratings_learn():
    def spread(n):
        result = odds.odds(load_rows(STRONG[: 3 * n]), ["Strong", "Middle", "Weak"])
        f, p = result.field, result.pairs.set_index(["athlete", "rival"])
        assert ((0 <= f["win_low"]) & (f["win_low"] <= f["win_high"]) & (f["win_high"] <= 1)).all()
        return p.loc[("Middle", "Weak"), "ahead_high"] - p.loc[("Middle", "Weak"), "ahead_low"]

    assert spread(30) < spread(2)


def test_the_same_data_gives_the_same_odds(strong):
    first = odds.odds(strong, ["Strong", "Middle", "Weak"]).field
    assert first.equals(odds.odds(strong, ["Strong", "Middle", "Weak"]).field)


def test_an_athlete_without_a_rated_race_has_no_odds(strong):
    from miler.errors import EmptyResultError

    with pytest.raises(EmptyResultError, match="Nobody: no rated race"):
        odds.odds(strong, ["Strong", "Nobody"])


# --- the track record ------------------------------------------------------------------------


def test_a_history_where_the_stronger_always_wins_scores_near_perfect(strong):
    result = odds.check(strong)
    ratings = result.scores.set_index("predictor").loc["ratings"]
    coin = result.scores.set_index("predictor").loc["coin flip"]
    assert ratings["favourite_ahead"] == 1.0
    assert ratings["log_loss"] < 0.1 < coin["log_loss"]
    assert ratings["brier"] < 0.02
    assert result.races == 30 and result.skipped == 3  # the first race: nobody was rated yet


def test_a_history_of_coin_flips_scores_like_a_coin_flip():
    result = odds.check(load_rows(coin_flips()))
    ratings = result.scores.set_index("predictor").loc["ratings"]
    assert 0.4 < ratings["favourite_ahead"] < 0.6
    assert ratings["log_loss"] > np.log(2) - 0.02  # no better than a coin: there is nothing to learn
    assert ratings["brier"] > 0.25 - 0.01


def test_each_race_is_predicted_from_earlier_races_only():
    # Weak wins the last race for the first time: the odds of that race cannot know it
    rows = STRONG[:-3] + race("2020-08-03", "Upset", "1500m",
                              [("Weak", "AAA", 1, "3:30.00"), ("Middle", "AAA", 2, "3:31.00"),
                               ("Strong", "AAA", 3, "3:32.00")])
    result = odds.check(load_rows(rows))
    last = result.predictions[result.predictions["meet"] == "Upset"]
    assert last["athlete"].tolist() == ["Weak", "Weak", "Middle"]  # pairs in finishing order
    assert (last["rating"] < 0.1).all() and last["ahead"].all()


def test_the_calibration_table_counts_every_pair_with_a_favourite(strong):
    result = odds.check(strong)
    ratings = result.scores.set_index("predictor").loc["ratings"]
    assert result.calibration["pairs"].sum() == ratings["decided"]
    assert result.calibration["predicted"].tolist() == ["50%–60%", "60%–70%", "70%–80%", "80%–90%", "90%–100%"]
    assert (result.calibration["happened"].dropna() == 1.0).all()


def test_the_season_best_rule_learns_its_trust_from_earlier_races_only(strong):
    result = odds.check(strong)
    first_scored = result.predictions.iloc[0]
    assert first_scored["season_best"] in (0.5, 2 / 3)  # (hits + 1) / (tries + 2) with nothing or one race behind it


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path):
    write_csv(tmp_path / "races.csv", STRONG)
    return tmp_path


def test_miler_odds_table_and_json(runner, data):
    result = runner.invoke(app, ["odds", "strong", "weak", "middle", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert "wins the race" in result.stdout and "Chance of finishing ahead" in result.stdout
    out = json.loads(runner.invoke(app, ["odds", "strong", "weak", "-f", "json", "--data", str(data)]).stdout)
    assert sum(row["win"] for row in out["field"]) == pytest.approx(1.0)
    assert {(p["athlete"], p["rival"]) for p in out["pairs"]} == {("Strong", "Weak"), ("Weak", "Strong")}


def test_miler_odds_check_reports_scores_and_calibration(runner, data):
    result = runner.invoke(app, ["odds", "--check", "--event", "1500m", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert "30 races at 1500m replayed in date order" in result.stdout
    assert "ratings' favourite at" in result.stdout
    out = json.loads(runner.invoke(app, ["odds", "--check", "-f", "json", "--data", str(data)]).stdout)
    assert [s["predictor"] for s in out["scores"]] == ["ratings", "faster season best", "coin flip"]
    assert out["scores"][2]["log_loss"] == pytest.approx(np.log(2))


@pytest.mark.parametrize("args", [["odds"], ["odds", "strong"], ["odds", "--check", "strong", "weak"]])
def test_miler_odds_usage_errors(runner, data, args):
    result = runner.invoke(app, args + ["--data", str(data)])
    assert result.exit_code == 2


def test_miler_odds_of_an_athlete_without_a_race_in_the_filters(runner, data):
    result = runner.invoke(app, ["odds", "strong", "weak", "--event", "Mile", "--data", str(data)])
    assert result.exit_code == 1
    assert "event Mile" in result.stderr
