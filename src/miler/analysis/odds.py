"""Odds for the next race from the ratings `rank` computes (miler.analysis.rating), and how well
such odds would have predicted the races that followed.

The model is the one behind the ratings (Weng–Lin): an athlete's skill is uncertain, normal
with mean mu and spread sigma, and a race-day performance is the skill plus normal noise of
spread beta. So one athlete finishes ahead of another with probability
Φ((mu_a − mu_b) / √(2·beta² + sigma_a² + sigma_b²)) — openskill's own two-athlete prediction —
and wins a field when their performance is the best of it (estimated by drawing performances:
the chances of a field sum to 1). The uncertainty is the spread of those chances over skills
as uncertain as the ratings say: the range holding the middle 80% of them.

`check` replays the races in date order, predicting each race from the ratings of the races
before it only, and scores every pair of rated athletes in it against what happened: the share
of pairs where the favourite finished ahead, log-loss and Brier score, beside a coin flip and
"the faster season best wins" (the better season's best so far this year, else last year's, in
the race's event; it is trusted as often as it has been right in the pairs before).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from miler.analysis.columns import text
from miler.analysis.rating import Replay, rate
from miler.errors import EmptyResultError
from miler.schema import best_before, lineage

RANGE = 0.8  # the share of skill draws the range of a chance holds
SEED = 16  # draws are seeded: the same data gives the same odds
_PHI = NormalDist()

ODDS_COLUMNS = ["athlete", "nat", "mu", "sigma", "races", "win", "win_low", "win_high"]
PAIR_COLUMNS = ["athlete", "rival", "ahead", "ahead_low", "ahead_high"]
SCORE_COLUMNS = ["predictor", "pairs", "decided", "favourite_ahead", "log_loss", "brier"]
CALIBRATION_COLUMNS = ["predicted", "low", "high", "pairs", "mean_predicted", "happened"]


@dataclass(frozen=True)
class Odds:
    field: pd.DataFrame  # ODDS_COLUMNS, in the order the athletes were given
    pairs: pd.DataFrame  # PAIR_COLUMNS: each athlete against each other one
    beta: float


def _model():
    from openskill.models import PlackettLuce

    return PlackettLuce()


def ahead(mu_a, sigma_a, mu_b, sigma_b, beta: float):
    """The chance that a finishes ahead of b (numbers or numpy arrays)."""
    z = (np.asarray(mu_a) - mu_b) / np.sqrt(2 * beta**2 + np.square(sigma_a) + np.square(sigma_b))
    return _cdf(z)


def _cdf(z):
    return np.vectorize(_PHI.cdf, otypes=[float])(z) if np.ndim(z) else _PHI.cdf(float(z))


def win_chances(mu: np.ndarray, spread: np.ndarray, draws: int, rng) -> np.ndarray:
    """The chance that each athlete's performance, normal(mu, spread), is the best of the
    field: the share of draws each wins (they sum to 1)."""
    performances = rng.standard_normal((draws, len(mu))) * spread + mu
    return np.bincount(performances.argmax(axis=1), minlength=len(mu)) / draws


def odds(races: pd.DataFrame, names: list[str], *, draws: int = 200_000, skill_draws: int = 400) -> Odds:
    """The chance of each named athlete winning a race of them all, and of finishing ahead of
    each other one, from their ratings over races; an athlete without a rated race is an error."""
    model = _model()
    table = rate(races).table.set_index("athlete")
    missing = [n for n in names if n not in table.index]
    if missing:
        raise EmptyResultError(f"{', '.join(missing)}: no rated race in these results (a race of two or more "
                               "starters), so no rating to give odds from")
    rows = table.loc[names]
    mu, sigma = rows["mu"].to_numpy(dtype=float), rows["sigma"].to_numpy(dtype=float)
    beta = model.beta
    rng = np.random.default_rng(SEED)
    win = win_chances(mu, np.sqrt(sigma**2 + beta**2), draws, rng)
    skills = rng.standard_normal((skill_draws, len(mu))) * sigma + mu  # skills as uncertain as the ratings
    given = np.array([win_chances(s, np.full(len(mu), beta), 2_000, rng) for s in skills])
    low, high = np.quantile(given, [(1 - RANGE) / 2, (1 + RANGE) / 2], axis=0)
    field = pd.DataFrame({
        "athlete": names, "nat": rows["nat"].to_numpy(), "mu": mu, "sigma": sigma,
        "races": rows["races"].to_numpy(), "win": win, "win_low": low.round(4), "win_high": high.round(4),
    })  # fmt: skip
    z = NormalDist().inv_cdf((1 + RANGE) / 2)
    pairs = []
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i == j:
                continue
            diff, spread = mu[i] - mu[j], math.sqrt(sigma[i] ** 2 + sigma[j] ** 2)
            p = float(ahead(mu[i], sigma[i], mu[j], sigma[j], beta))
            lo, hi = (_PHI.cdf((diff + k * z * spread) / (math.sqrt(2) * beta)) for k in (-1, 1))
            pairs.append((a, b, round(p, 4), round(lo, 4), round(hi, 4)))
    return Odds(field, pd.DataFrame(pairs, columns=PAIR_COLUMNS), beta)


# --- the track record ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    races: int  # races replayed (two or more starters)
    scored_races: int  # races with at least one pair scored
    skipped: int  # pairs not scored: one of them had no earlier race to be rated on
    predictions: pd.DataFrame  # one row per pair scored: race, athlete, rival, rating, season_best, ahead
    scores: pd.DataFrame  # SCORE_COLUMNS: ratings, the faster season best, a coin flip
    calibration: pd.DataFrame  # CALIBRATION_COLUMNS: the ratings' favourites by predicted chance


def season_bests_before(races: pd.DataFrame) -> pd.Series:
    """For each row, the athlete's season best before it in its event (indoor and outdoor
    apart): this year's best so far, else last year's best; NaN where neither exists."""
    keys = lineage(races) + ["athlete"]
    year = races["date"].dt.year
    framed = races.assign(_year=year)
    this_year = best_before(framed, keys + ["_year"])
    marked = framed[framed["seconds"].notna() & (framed["status"] == "")]
    yearly = marked.groupby(keys + ["_year"], observed=True)["seconds"].min()
    last_year = framed[keys].assign(_year=year - 1).join(yearly.rename("_last"), on=keys + ["_year"])["_last"]
    return this_year.fillna(last_year)


def check(races: pd.DataFrame) -> Check:
    """Replay races in date order and score the odds each race would have been given."""
    replay = Replay(races, _model())
    beta = replay.model.beta
    sb = season_bests_before(races).to_numpy(dtype=float)[replay.started]
    meta = {c: text(replay.races, c, replay.started) for c in ("meet", "event", "round")}
    rows, n_races, skipped = [], 0, 0
    for step in replay:
        n_races += 1
        lo, hi, before = step.lo, step.hi, step.before
        rated = np.array([b is not None for b in before])
        mu = np.array([b.mu if b is not None else np.nan for b in before])
        sigma = np.array([b.sigma if b is not None else np.nan for b in before])
        rank, bests, names = np.array(step.ranks), sb[lo:hi], np.array(step.names, dtype=object)
        i, j = np.triu_indices(hi - lo, k=1)
        differ = rank[i] != rank[j]
        both = differ & rated[i] & rated[j]
        skipped += int((differ & ~both).sum())
        i, j = i[both], j[both]
        p = np.atleast_1d(ahead(mu[i], sigma[i], mu[j], sigma[j], beta)) if len(i) else []
        faster = np.sign(np.nan_to_num(bests[j] - bests[i], nan=0.0))  # +1: i has the faster season best
        key = (n_races, pd.Timestamp(replay.dates[lo]), meta["meet"][lo], meta["event"][lo], meta["round"][lo])
        rows += [(*key, a, b, float(pa), f, bool(y))
                 for a, b, pa, f, y in zip(names[i], names[j], p, faster, rank[i] < rank[j])]
    frame = pd.DataFrame(rows, columns=["race", "date", "meet", "event", "round", "athlete", "rival", "rating",
                                        "faster", "ahead"])
    frame["season_best"] = _trusted(frame)
    y = frame["ahead"].to_numpy(dtype=float)
    scores = pd.DataFrame([
        _score("ratings", frame["rating"].to_numpy(dtype=float), y),
        _score("faster season best", frame["season_best"].to_numpy(dtype=float), y),
        _score("coin flip", np.full(len(y), 0.5), y),
    ], columns=SCORE_COLUMNS)  # fmt: skip
    return Check(n_races, int(frame["race"].nunique()), skipped, frame.drop(columns=["race", "faster"]), scores,
                 calibration(frame["rating"].to_numpy(dtype=float), y))


def _trusted(pairs: pd.DataFrame) -> np.ndarray:
    """The season-best rule as a chance, race by race: the athlete with the faster season best
    finishes ahead with the share of pairs of earlier races in which the rule was right (with one
    imagined hit and one miss, so it starts at 1/2); 1/2 where it names no favourite."""
    out = np.full(len(pairs), 0.5)
    hits = tries = 0
    faster, ahead_ = pairs["faster"].to_numpy(), pairs["ahead"].to_numpy()
    for idx in pairs.groupby("race", sort=True).indices.values():
        f = faster[idx]
        trust = (hits + 1) / (tries + 2)
        out[idx] = np.where(f > 0, trust, np.where(f < 0, 1 - trust, 0.5))
        tries += int((f != 0).sum())
        hits += int(((f > 0) == ahead_[idx])[f != 0].sum())
    return out


def _score(name: str, p: np.ndarray, y: np.ndarray) -> tuple:
    """pairs, pairs with a favourite, the share of those the favourite won, log-loss, Brier."""
    if not len(y):
        return (name, 0, 0, None, None, None)
    decided = p != 0.5
    won = ((p > 0.5) == (y == 1))[decided]
    q = np.clip(np.where(y == 1, p, 1 - p), 1e-12, 1.0)
    return (name, len(y), int(decided.sum()), float(won.mean()) if decided.any() else None,
            float(-np.log(q).mean()), float(np.square(p - y).mean()))


def calibration(p: np.ndarray, y: np.ndarray, edges=(0.5, 0.6, 0.7, 0.8, 0.9, 1.0)) -> pd.DataFrame:
    """The favourites by predicted chance (50–60%, …, 90–100%): how many, the mean chance
    given, and how often they finished ahead. A pair at exactly 50% has no favourite."""
    fav = np.maximum(p, 1 - p)
    happened = np.where(p >= 0.5, y, 1 - y)
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        inside = (fav > lo if lo == 0.5 else fav >= lo) & ((fav < hi) | (hi == 1.0))
        n = int(inside.sum())
        rows.append((f"{lo:.0%}–{hi:.0%}", lo, hi, n, float(fav[inside].mean()) if n else None,
                     float(happened[inside].mean()) if n else None))
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
