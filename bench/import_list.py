"""Benchmark `miler import` on a large World Athletics toplist, and the same file through --data.

    python bench/import_list.py                  # 100k rows, 3 timed runs each
    python bench/import_list.py --rows 1m --repeat 5

The list is synthetic and written once per size and seed into $MILER_BENCH_DIR (default
/tmp/miler-bench): kajchang/worldathletics-toplist-scraper's header and conventions
(`Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore`, CRLF, "Given FAMILY" names,
`08 SEP 2022` dates, positions like 1, 3h2, 2sf1, 1f2, venues "Stadium, City (NAT)"), 1500m
marks in place order within each race, a few blank positions (splits), hand times and rows
listed twice. Each command runs as its own process (miler as a user runs it), with a fresh
cache for "first run"; medians are reported with the target: importing 100k rows takes under
3 s. The table goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 3.0  # per 100k rows
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
GIVEN = ["Jakob", "Josh", "Yared", "Cole", "Timothy", "Jake", "Narve", "Abel", "Reynold", "Mohamed", "Stewart",
         "Oliver", "George", "Neil", "Elliot", "Ignacio", "Azeddine", "Niels", "Samuel", "Teddese", "Brian", "Hobbs"]
FAMILY = ["INGEBRIGTSEN", "KERR", "NUGUSE", "HOCKER", "CHERUIYOT", "WIGHTMAN", "GILJE NORDÅS", "KIPSANG", "KATIR",
          "MCSWEYN", "HOARE", "MILLS", "GOURLEY", "GILES", "FONTES", "HABZ", "LAROS", "ZELEKE", "LELISA", "KEMBOI",
          "KESSLER", "EL GUERROUJ", "O'HARE", "DA'VALL GRICE", "MÜLLER", "ØSTGÅRD", "ROZMYS", "GARCÍA"]
NATS = ["NOR", "GBR", "USA", "KEN", "ETH", "ESP", "AUS", "FRA", "NED", "POL", "GER", "MAR", "UGA", "SUI"]
VENUES = ["Letzigrund, Zürich (SUI)", "Hayward Field, Eugene, OR (USA)", "Stade Louis II, Monaco (MON)",
          "Bislett Stadion, Oslo (NOR)", "Stadion Śląski, Chorzów (POL)", "Stade de France, Paris (FRA)",
          "Olympiastadion, München (GER)", "Armory Track&Field Center, New York, NY (USA) (i)",
          "Friidrettsstadion, Jessheim (NOR)", "Alexander Stadium, Birmingham (GBR)"]


def parse_size(text: str) -> int:
    s = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def _letters(i: int) -> str:
    """A family name's second part in capitals, one per number: 'BA', 'CA', …"""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out += chr(ord("A") + r)
        if not i:
            return out + "SEN"


def generate(path: Path, rows: int, seed: int) -> None:
    """A World Athletics season list of about `rows` performances, as the scraper writes it."""
    rnd = random.Random(seed)
    athletes = [(f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}{'' if i < 28 else '-' + _letters(i)}", rnd.choice(NATS),
                 f"{rnd.randint(1, 28):02d} {rnd.choice(MONTHS)} {rnd.randint(1985, 2006)}") for i in range(20_000)]
    out = []
    venues = VENUES + [f"Stadium {i}, Town {i} ({rnd.choice(NATS)})" for i in range(2_000)]
    while len(out) < rows:
        year, month, day = rnd.randint(2015, 2025), rnd.randint(1, 12), rnd.randint(1, 28)
        date = f"{day:02d} {MONTHS[month - 1]} {year}"
        venue = rnd.choice(venues)
        rounds = rnd.choice([[""], ["f1", "f2"], ["h1", "h2", "h3", "sf1", "sf2", "f"]])
        for code in rounds:
            field = rnd.sample(athletes, rnd.randint(8, 16))
            mark = rnd.uniform(206.5, 240.0)
            for place, (name, nat, dob) in enumerate(field, start=1):
                mark = round(mark + rnd.uniform(0.01, 1.5), 2)
                if rnd.random() < 0.02:  # hand-timed: to the tenth above
                    tenths = -(-round(mark * 100) // 10)
                    text = f"{tenths // 600}:{tenths % 600 // 10:02d}.{tenths % 10}h"
                else:
                    hundredths = round(mark * 100)
                    text = f"{hundredths // 6000}:{hundredths % 6000 // 100:02d}.{hundredths % 100:02d}"
                pos = "" if rnd.random() < 0.01 else f"{place}{code}"
                row = [text, name, dob, nat, pos, "", f'"{venue}"', date, str(1300 - int(mark))]
                out.append(row)
                if rnd.random() < 0.01:
                    out.append(row)  # the same performance listed twice
    out = out[:rows]
    out.sort(key=lambda r: r[0].rstrip("h").zfill(8))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore\r\n")
        for rank, r in enumerate(out, start=1):
            f.write(f"{rank},{','.join(r)}\r\n")


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed (exit {p.returncode}): {p.stderr.strip()[:300]}")
    return wall


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", default="100k", help="rows in the list (default 100k)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per command (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MILER_BENCH_DIR", "/tmp/miler-bench")))
    p.add_argument("--miler", default=str(Path(sys.executable).with_name("miler")),
                   help="the miler executable (default: beside this Python)")
    args = p.parse_args(argv)
    rows = parse_size(args.rows)
    folder = args.data_dir / f"wa-list-{rows}-seed{args.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "1500-metres-men-list.csv"
    if not source.exists():
        print(f"writing {source} …", file=sys.stderr)
        generate(source, rows, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="miler-import-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "MILER_DATA"}
    try:
        results = {}
        out = scratch / "out.csv"
        walls = []
        for _ in range(args.repeat):
            cache = Path(tempfile.mkdtemp(dir=scratch))
            walls.append(timed([args.miler, "import", str(source), "-o", str(out), "--force"],
                               dict(env, MILER_CACHE_DIR=str(cache))))
        results["miler import LIST -o OUT.csv"] = walls
        kept = sum(1 for _ in open(out, encoding="utf-8")) - 1
        h2h = [args.miler, "h2h", "kerr", "ingebrigtsen", "--data", str(source)]
        cold = []
        for _ in range(args.repeat):
            cache = Path(tempfile.mkdtemp(dir=scratch))
            cold.append(timed(h2h, dict(env, MILER_CACHE_DIR=str(cache))))
        results["miler h2h … --data LIST (first run)"] = cold
        kept_cache = Path(tempfile.mkdtemp(dir=scratch))
        timed(h2h, dict(env, MILER_CACHE_DIR=str(kept_cache)))
        results["miler h2h … --data LIST (cached)"] = [timed(h2h, dict(env, MILER_CACHE_DIR=str(kept_cache)))
                                                       for _ in range(args.repeat)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    target = TARGET_SECONDS * rows / 100_000
    print(f"World Athletics list: {rows:,} rows ({source.stat().st_size / 1e6:.1f} MB), {kept:,} kept; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'command':45} {'median':>8} {'min':>8} {'max':>8}  rows/s")
    for label, walls in results.items():
        med = statistics.median(walls)
        print(f"{label:45} {med:7.2f}s {min(walls):7.2f}s {max(walls):7.2f}s  {rows / med:,.0f}")
    med = statistics.median(results["miler import LIST -o OUT.csv"])
    verdict = "met" if med <= target else "NOT met"
    print(f"target: import under {target:.1f} s for {rows:,} rows: {verdict} ({med:.2f} s)")
    return 0 if med <= target else 1


if __name__ == "__main__":
    sys.exit(main())
