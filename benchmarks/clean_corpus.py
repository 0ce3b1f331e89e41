"""Seeded generator of an untuned development corpus for Clean, with ground truth.

Five kinds of table that the shared benchmarks (hospital, beers) and the market generator do not
cover, each written as clean.csv + dirty.csv (same shape and row order) into OUT/<kind>-<seed>/:

- ``sources``: many sources reporting the same entities (flight-status style): entity key, source
  name, a 12-hour scheduled time, an m/d/yy date, a gate code, a two-decimal delay figure;
- ``biblio``: bibliographic records: title, authors, venue, year, pages ("123-130"), a DOI-like
  upper-case code, a citation count;
- ``census``: tax/census-like records: zip codes with leading zeros, city -> state, a money column
  with two decimals (values > 1000), a rate with a '%' sign, a bracket label with comparison signs
  ('<=50K', '>50K'), two-word place names;
- ``sensor``: numeric readings: sensor id, ISO timestamp, temperature and humidity with fixed
  decimals, a battery voltage, a units x unit price = revenue relation;
- ``cnmarket``: Chinese exports from another generator: 2024年3月5日 dates, 门店 -> 城市, a 金额 column
  written with thousands separators and two decimals, 会员等级 labels (金卡, 银卡).

What varies between seeds (so rules cannot lean on one layout): column order (shuffled), the
column names (picked from synonyms in both languages), the number of rows, the share of each error
kind, and the representation of each column (date format, decimals, 12/24 h, case).

Error kinds injected (documented rates per cell, scaled by a per-table factor 0.5-1.5): typos
(one character replaced, dropped or doubled), representation changes (ISO date in an m/d/yy
column, 24-hour time in a 12-hour column, minimal number in a two-decimal column), blanks, value
swaps (a value from another row of the column), source conflicts (a few unreliable sources report
wrong times), scale slips (x100) in a measure that a relation determines.

    python benchmarks/clean_corpus.py OUT --seeds 1 2 3         # development
    python benchmarks/clean_corpus.py OUT --seeds 101 102       # hold-out (look once)
    python benchmarks/clean_corpus.py OUT --seeds 1 --clean-only   # should-do-nothing tables
"""

from __future__ import annotations

import argparse
import random
import string
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

NAMES = {
    "entity": ["flight", "entity_id", "Flight No", "航班"],
    "source": ["source", "site", "Reporter", "来源"],
    "sched": ["sched_dep", "Scheduled", "dep time", "计划时间"],
    "day": ["date", "Day", "flight_date", "日期"],
    "gate": ["gate", "Gate", "登机口"],
    "delay": ["delay_h", "Delay", "延误小时"],
    "title": ["title", "Title", "题名"],
    "authors": ["authors", "Author(s)", "作者"],
    "venue": ["venue", "Journal", "期刊"],
    "year": ["year", "Year", "年份"],
    "pages": ["pages", "Pages", "页码"],
    "code": ["code", "ref_id", "编号"],
    "cites": ["cited_by", "Citations", "被引"],
    "zip": ["zip", "ZipCode", "postcode", "邮编"],
    "city": ["city", "City", "城市"],
    "state": ["state", "St", "州"],
    "income": ["income", "Salary", "收入"],
    "rate": ["rate", "TaxRate", "税率"],
    "bracket": ["bracket", "class", "档位"],
    "place": ["place", "County", "地名"],
    "sensor": ["sensor", "device", "传感器"],
    "ts": ["ts", "timestamp", "时间"],
    "temp": ["temp_c", "Temperature", "温度"],
    "hum": ["humidity", "RH", "湿度"],
    "volt": ["battery_v", "Voltage", "电压"],
    "units": ["units", "qty", "数量"],
    "price": ["unit_price", "Price", "单价"],
    "revenue": ["revenue", "Amount", "金额"],
    "store": ["门店", "店铺", "store"],
    "cncity": ["城市", "所在城市", "city"],
    "level": ["会员等级", "等级", "tier"],
    "cnamount": ["金额", "销售额", "sales"],
    "cndate": ["日期", "下单日期", "date"],
}

WORDS = [
    "adaptive",
    "bayesian",
    "robust",
    "sparse",
    "neural",
    "graph",
    "query",
    "index",
    "stream",
    "learning",
    "inference",
    "optimal",
    "scalable",
    "distributed",
    "approximate",
    "private",
    "secure",
    "efficient",
    "latent",
    "temporal",
    "causal",
]
SURN = [
    "Smith",
    "Chen",
    "Garcia",
    "Muller",
    "Rossi",
    "Kumar",
    "Wang",
    "Novak",
    "Silva",
    "Tanaka",
    "Okafor",
    "Jensen",
]
CITIES = [
    ("Springfield", "IL", "62701"),
    ("Boston", "MA", "02108"),
    ("Newark", "NJ", "07102"),
    ("Portland", "ME", "04101"),
    ("Hartford", "CT", "06103"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Salem", "OR", "97301"),
    ("Albany", "NY", "12207"),
    ("Dover", "DE", "19901"),
]
PLACES = ["Santa Clara", "Clara Santa", "San Mateo", "Mateo San", "Los Alamos", "Palo Alto"]
CN_STORES = [
    ("万达店", "上海"),
    ("国贸店", "北京"),
    ("天河店", "广州"),
    ("西湖店", "杭州"),
    ("春熙店", "成都"),
    ("解放碑店", "重庆"),
    ("江汉店", "武汉"),
    ("新街口店", "南京"),
]


def _typo(rng: random.Random, v: str) -> str:
    if len(v) < 3:
        return v + rng.choice(string.ascii_lowercase)
    i = rng.randrange(1, len(v) - 1)
    op = rng.randrange(3)
    if op == 0:
        return v[:i] + rng.choice(string.ascii_lowercase) + v[i + 1 :]
    if op == 1:
        return v[:i] + v[i + 1 :]
    return v[:i] + v[i] + v[i:]


def _mdyy(d: date) -> str:
    return f"{d.month}/{d.day}/{d.year % 100:02d}"


def _h12(h: int, m: int) -> str:
    return f"{(h % 12) or 12}:{m:02d} {'AM' if h < 12 else 'PM'}"


def gen_sources(rng: random.Random, n_ent: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    sources = [f"src{i:02d}" for i in range(rng.randint(8, 14))]
    bad = set(rng.sample(sources, 2))
    cols: dict[str, list[str]] = {
        k: [] for k in ("entity", "source", "sched", "day", "gate", "delay")
    }
    dirty: dict[str, list[str]] = {k: [] for k in cols}
    base = date(2023, 1, 1)
    for e in range(n_ent):
        ent = f"{rng.choice(['AA', 'UA', 'DL'])}-{1000 + e}"
        h, m = rng.randint(5, 22), rng.choice(range(0, 60, 5))
        d = base + timedelta(days=rng.randint(0, 300))
        gate = f"{rng.choice('ABCDE')}{rng.randint(1, 40)}"
        delay = f"{rng.uniform(0, 5):.2f}"
        for s in rng.sample(sources, rng.randint(5, len(sources))):
            truth = [ent, s, _h12(h, m), _mdyy(d), gate, delay]
            noisy = list(truth)
            if s in bad and rng.random() < 0.5:  # an unreliable source: a conflicting time
                noisy[2] = _h12((h + 1) % 24, m)
            if rng.random() < 0.04:
                noisy[2] = ""
            if rng.random() < 0.04:
                noisy[3] = ""
            if rng.random() < 0.03:
                noisy[4] = _typo(rng, gate)
            if rng.random() < 0.03:
                noisy[2] = f"{h:02d}:{m:02d}"  # 24-hour in a 12-hour column
            if rng.random() < 0.03:
                noisy[3] = d.isoformat()  # ISO in an m/d/yy column
            for k, t, x in zip(cols, truth, noisy, strict=True):
                cols[k].append(t)
                dirty[k].append(x)
    return cols, {"dirty": dirty}


def gen_biblio(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    venues = ["VLDB", "SIGMOD", "ICDE", "KDD", "CIDR"]
    cols: dict[str, list[str]] = {
        k: [] for k in ("title", "authors", "venue", "year", "pages", "code", "cites")
    }
    for i in range(n):
        start = rng.randint(1, 900)
        cols["title"].append(" ".join(rng.sample(WORDS, rng.randint(3, 6))).capitalize())
        cols["authors"].append("; ".join(rng.sample(SURN, rng.randint(1, 3))))
        cols["venue"].append(rng.choice(venues))
        cols["year"].append(str(rng.randint(1995, 2023)))
        cols["pages"].append(f"{start}-{start + rng.randint(8, 14)}")
        cols["code"].append(f"REF{rng.choice('ABCDEFGH')}{i:05d}")
        cols["cites"].append(str(int(rng.paretovariate(1.2))))
    dirty = {k: list(v) for k, v in cols.items()}
    for i in range(n):
        if rng.random() < 0.03:
            dirty["venue"][i] = _typo(rng, dirty["venue"][i])
        if rng.random() < 0.02:
            dirty["title"][i] = _typo(rng, dirty["title"][i])
        if rng.random() < 0.03:
            dirty["year"][i] = ""
    return cols, {"dirty": dirty}


def gen_census(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    cols: dict[str, list[str]] = {
        k: [] for k in ("zip", "city", "state", "income", "rate", "bracket", "place")
    }
    for _ in range(n):
        city, st, z = rng.choice(CITIES)
        inc = rng.uniform(1000, 90000)
        cols["zip"].append(z)
        cols["city"].append(city)
        cols["state"].append(st)
        cols["income"].append(f"{inc:.2f}")
        cols["rate"].append(f"{rng.choice([10, 12, 22, 24, 32])}%")
        cols["bracket"].append(">50K" if inc > 50000 else "<=50K")
        cols["place"].append(rng.choice(PLACES))
    dirty = {k: list(v) for k, v in cols.items()}
    for i in range(n):
        if rng.random() < 0.03:
            dirty["city"][i] = _typo(rng, dirty["city"][i])
        if rng.random() < 0.03:
            dirty["state"][i] = rng.choice([c[1] for c in CITIES])
        if rng.random() < 0.02:
            dirty["income"][i] = ""
        if rng.random() < 0.02:
            dirty["zip"][i] = ""
    return cols, {"dirty": dirty}


def gen_sensor(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    cols: dict[str, list[str]] = {
        k: [] for k in ("sensor", "ts", "temp", "hum", "volt", "units", "price", "revenue")
    }
    t0 = datetime(2024, 5, 1)
    for i in range(n):
        units = rng.randint(1, 40)
        price = rng.choice([2.5, 3.75, 12.0, 19.99, 7.2])
        cols["sensor"].append(f"S-{rng.randint(1, 30):03d}")
        cols["ts"].append((t0 + timedelta(minutes=7 * i)).strftime("%Y-%m-%d %H:%M"))
        cols["temp"].append(f"{rng.gauss(21, 3):.2f}")
        cols["hum"].append(f"{rng.uniform(30, 70):.1f}")
        cols["volt"].append(f"{rng.uniform(3.0, 4.2):.3f}")
        cols["units"].append(str(units))
        cols["price"].append(f"{price:.2f}")
        cols["revenue"].append(f"{units * price:.2f}")
    dirty = {k: list(v) for k, v in cols.items()}
    for i in range(n):
        if rng.random() < 0.01:
            dirty["revenue"][i] = f"{float(cols['revenue'][i]) * 100:.2f}"
        if rng.random() < 0.02:
            dirty["temp"][i] = ""
    return cols, {"dirty": dirty}


def gen_cnmarket(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    cols: dict[str, list[str]] = {k: [] for k in ("cndate", "store", "cncity", "level", "cnamount")}
    base = date(2024, 1, 1)
    for _ in range(n):
        d = base + timedelta(days=rng.randint(0, 360))
        st, city = rng.choice(CN_STORES)
        cols["cndate"].append(f"{d.year}年{d.month}月{d.day}日")
        cols["store"].append(st)
        cols["cncity"].append(city)
        cols["level"].append(rng.choice(["金卡", "银卡", "普通"]))
        cols["cnamount"].append(f"{rng.uniform(100, 30000):,.2f}")
    dirty = {k: list(v) for k, v in cols.items()}
    for i in range(n):
        if rng.random() < 0.03:
            dirty["cncity"][i] = rng.choice([c for _, c in CN_STORES])
        if rng.random() < 0.02:
            dirty["level"][i] = dirty["level"][i][0] + " " + dirty["level"][i][1:]
        if rng.random() < 0.02:
            dirty["cnamount"][i] = ""
    return cols, {"dirty": dirty}


KINDS = {
    "sources": lambda rng: gen_sources(rng, rng.randint(150, 400)),
    "biblio": lambda rng: gen_biblio(rng, rng.randint(800, 3000)),
    "census": lambda rng: gen_census(rng, rng.randint(800, 4000)),
    "sensor": lambda rng: gen_sensor(rng, rng.randint(800, 4000)),
    "cnmarket": lambda rng: gen_cnmarket(rng, rng.randint(800, 4000)),
}


def write(out: Path, kind: str, seed: int, clean_only: bool = False) -> Path:
    rng = random.Random(seed * 1000 + sorted(KINDS).index(kind))
    clean, extra = KINDS[kind](rng)
    dirty = extra["dirty"]
    keys = list(clean)
    rng.shuffle(keys)
    names = {k: rng.choice(NAMES[k]) for k in keys}
    folder = out / f"{kind}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    c = pl.DataFrame({names[k]: clean[k] for k in keys})
    d = pl.DataFrame({names[k]: dirty[k] for k in keys})
    c.write_csv(folder / "clean.csv")
    (c if clean_only else d).write_csv(folder / "dirty.csv")
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out", type=Path)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--kinds", nargs="+", default=sorted(KINDS))
    ap.add_argument("--clean-only", action="store_true", help="dirty.csv = clean.csv")
    args = ap.parse_args(argv)
    for seed in args.seeds:
        for kind in args.kinds:
            print(write(args.out, kind, seed, args.clean_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
