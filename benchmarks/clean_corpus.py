"""Seeded generator of an untuned development corpus for Clean, with ground truth.

Five kinds of table that the shared benchmarks (hospital, beers) and the market generator do not
cover, each written as clean.csv + dirty.csv (same shape and row order) into OUT/<kind>-<seed>/:

- ``sources``: many sources reporting the same entities (flight-status style): entity key, source
  name, a 12-hour scheduled time (AM, a.m. or 上午 style), an m/d/yy or yy/mm/dd date (years in the
  1990s or 2020s), a gate code, a two-decimal delay figure;
- ``biblio``: the same works listed by several databases (1-5 rows each): title, authors, venue
  code, year, pages ("123-130"), a DOI-like upper-case work code, a citation count, the database;
  errors: typos in titles, authors and venues, a venue's full name in a column of codes, blank or
  off-by-one years, title and authors swapped;
- ``census``: tax/census-like records: zip codes with leading zeros, city -> state, a money column
  with two decimals (values > 1000), a rate with a '%' sign, a bracket label with comparison signs
  ('<=50K', '>50K'), two-word place names;
- ``sensor``: several sensors reporting in turn, rows in time order: slowly moving temperature,
  humidity and battery voltage with fixed decimals, a units x unit price = revenue relation; errors:
  blanks, a lost decimal point (21.53 -> 2153), millivolts in a volts column, humidity one place
  off, x100 revenue slips;
- ``cnmarket``: Chinese exports from another generator: 2024年3月5日 dates, 门店 -> 城市 -> 省份
  (with or without 省), a 金额 column written with thousands separators and two decimals, 会员等级
  labels (金卡, 银卡); errors: cities swapped, 金 卡, traditional characters (萬達店, 廣州), 市
  added, full-width digits, amounts written in 万, 省 dropped or added.

What varies between seeds (so rules cannot lean on one layout): column order (shuffled), the
column names (picked from synonyms in both languages), one column dropped (30% of tables), the
row order (shuffled in half of the tables that are not time series), the number of rows, the
share of each error kind, and the representation of each column (date format, decimals, 12 h
style, case). Generator v2 (issue 8, second pass); figures of v1 are reproducible at commit
3d790e0.

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
from decimal import Decimal
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
    "province": ["省份", "所在省", "province"],
    "bsource": ["source", "db", "来源库"],
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


def _h12(h: int, m: int, style: str = "AM") -> str:
    if style == "上午":
        return f"{'上午' if h < 12 else '下午'}{(h % 12) or 12}:{m:02d}"
    am, pm = ("a.m.", "p.m.") if style == "a.m." else ("AM", "PM")
    return f"{(h % 12) or 12}:{m:02d} {am if h < 12 else pm}"


def _yymmdd(d: date) -> str:
    return f"{d.year % 100:02d}/{d.month:02d}/{d.day:02d}"


def gen_sources(rng: random.Random, n_ent: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    sources = [f"src{i:02d}" for i in range(rng.randint(8, 14))]
    bad = set(rng.sample(sources, 2))
    cols: dict[str, list[str]] = {
        k: [] for k in ("entity", "source", "sched", "day", "gate", "delay")
    }
    dirty: dict[str, list[str]] = {k: [] for k in cols}
    base = date(rng.choice([1996, 2023]), 1, 1)
    style = rng.choice(["AM", "a.m.", "上午"])
    day = rng.choice([_mdyy, _yymmdd])
    for e in range(n_ent):
        ent = f"{rng.choice(['AA', 'UA', 'DL'])}-{1000 + e}"
        h, m = rng.randint(5, 22), rng.choice(range(0, 60, 5))
        d = base + timedelta(days=rng.randint(0, 300))
        gate = f"{rng.choice('ABCDE')}{rng.randint(1, 40)}"
        delay = f"{rng.uniform(0, 5):.2f}"
        for s in rng.sample(sources, rng.randint(5, len(sources))):
            truth = [ent, s, _h12(h, m, style), day(d), gate, delay]
            noisy = list(truth)
            if s in bad and rng.random() < 0.5:  # an unreliable source: a conflicting time
                noisy[2] = _h12((h + 1) % 24, m, style)
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


VENUES = {
    "VLDB": "Very Large Data Bases",
    "SIGMOD": "Management of Data",
    "ICDE": "Data Engineering",
    "KDD": "Knowledge Discovery and Data Mining",
    "CIDR": "Innovative Data Systems Research",
}


def gen_biblio(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The same work listed by several databases (1-5 rows each), rows in a random order."""
    keys = ("title", "authors", "venue", "year", "pages", "code", "cites", "bsource")
    cols: dict[str, list[str]] = {k: [] for k in keys}
    works = []
    for i in range(max(1, n // rng.randint(2, 3))):
        start = rng.randint(1, 900)
        works.append(
            {
                "title": " ".join(rng.sample(WORDS, rng.randint(3, 6))).capitalize(),
                "authors": "; ".join(rng.sample(SURN, rng.randint(1, 3))),
                "venue": rng.choice(list(VENUES)),
                "year": str(rng.randint(1995, 2023)),
                "pages": f"{start}-{start + rng.randint(8, 14)}",
                "code": f"REF{rng.choice('ABCDEFGH')}{i:05d}",
                "cites": str(int(rng.paretovariate(1.2))),
            }
        )
    dbs = ["dblp", "acm", "scholar", "crossref", "semantic"]
    for w in works:
        for db in rng.sample(dbs, rng.randint(1, 5)):
            for k, v in w.items():
                cols[k].append(v)
            cols["bsource"].append(db)
    order = list(range(len(cols["title"])))
    rng.shuffle(order)
    cols = {k: [v[i] for i in order] for k, v in cols.items()}
    dirty = {k: list(v) for k, v in cols.items()}
    rate = rng.uniform(0.5, 1.5)
    for i in range(len(order)):
        if rng.random() < 0.03 * rate:
            dirty["venue"][i] = _typo(rng, dirty["venue"][i])
        if rng.random() < 0.02 * rate:
            dirty["venue"][i] = VENUES[cols["venue"][i]]  # the full name in a column of codes
        if rng.random() < 0.02 * rate:
            dirty["title"][i] = _typo(rng, dirty["title"][i])
        if rng.random() < 0.02 * rate:
            dirty["authors"][i] = _typo(rng, dirty["authors"][i])
        if rng.random() < 0.03 * rate:
            dirty["year"][i] = ""
        if rng.random() < 0.01 * rate:
            dirty["year"][i] = str(int(cols["year"][i]) + rng.choice([-1, 1]))
        if rng.random() < 0.01 * rate:  # title and authors swapped
            dirty["title"][i], dirty["authors"][i] = cols["authors"][i], cols["title"][i]
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
    """Several sensors reporting in turn (rows in time order): slowly moving readings, decimal
    slips (a point lost or moved), millivolts in a volts column, x100 revenue slips, blanks."""
    cols: dict[str, list[str]] = {
        k: [] for k in ("sensor", "ts", "temp", "hum", "volt", "units", "price", "revenue")
    }
    t0 = datetime(2024, 5, 1)
    names = [f"S-{k:03d}" for k in rng.sample(range(1, 60), rng.randint(3, 12))]
    state = {s: [rng.gauss(21, 3), rng.uniform(30, 70), rng.uniform(3.6, 4.2)] for s in names}
    step = rng.choice([1, 5, 7, 10])
    for i in range(n):
        sid = names[i % len(names)]
        st = state[sid]
        st[0] += rng.gauss(0, 0.15)
        st[1] = min(95.0, max(5.0, st[1] + rng.gauss(0, 0.4)))
        st[2] = max(3.0, st[2] - abs(rng.gauss(0, 0.002)))
        units = rng.randint(1, 40)
        price = rng.choice([2.5, 3.75, 12.0, 19.99, 7.2])
        cols["sensor"].append(sid)
        cols["ts"].append((t0 + timedelta(minutes=step * i)).strftime("%Y-%m-%d %H:%M"))
        cols["temp"].append(f"{st[0]:.2f}")
        cols["hum"].append(f"{st[1]:.1f}")
        cols["volt"].append(f"{st[2]:.3f}")
        cols["units"].append(str(units))
        cols["price"].append(f"{price:.2f}")
        cols["revenue"].append(f"{units * price:.2f}")
    dirty = {k: list(v) for k, v in cols.items()}
    rate = rng.uniform(0.5, 1.5)
    for i in range(n):
        if rng.random() < 0.01 * rate:
            dirty["revenue"][i] = f"{float(cols['revenue'][i]) * 100:.2f}"
        if rng.random() < 0.02 * rate:
            dirty["temp"][i] = ""
        if rng.random() < 0.01 * rate:  # the decimal point lost: 21.53 -> 2153
            dirty["temp"][i] = cols["temp"][i].replace(".", "")
        if rng.random() < 0.01 * rate:  # millivolts in a volts column
            dirty["volt"][i] = str(round(float(cols["volt"][i]) * 1000))
        if rng.random() < 0.01 * rate:  # the point one place off: 45.3 -> 453.0
            dirty["hum"][i] = f"{float(cols['hum'][i]) * 10:.1f}"
    return cols, {"dirty": dirty}


PROVINCE = {
    "上海": "上海",
    "北京": "北京",
    "广州": "广东",
    "杭州": "浙江",
    "成都": "四川",
    "重庆": "重庆",
    "武汉": "湖北",
    "南京": "江苏",
}
TRAD = str.maketrans("万达国贸广庆汉东苏兴卡银会员级", "萬達國貿廣慶漢東蘇興卡銀會員級")


def gen_cnmarket(rng: random.Random, n: int) -> tuple[dict[str, list[str]], dict[str, Any]]:
    keys = ("cndate", "store", "cncity", "province", "level", "cnamount")
    cols: dict[str, list[str]] = {k: [] for k in keys}
    base = date(2024, 1, 1)
    suffix = rng.random() < 0.5  # this export writes 广东省, or 广东
    for _ in range(n):
        d = base + timedelta(days=rng.randint(0, 360))
        st, city = rng.choice(CN_STORES)
        cols["cndate"].append(f"{d.year}年{d.month}月{d.day}日")
        cols["store"].append(st)
        cols["cncity"].append(city)
        prov = PROVINCE[city]
        cols["province"].append(
            prov + ("省" if suffix and prov not in ("上海", "北京", "重庆") else "")
        )
        cols["level"].append(rng.choice(["金卡", "银卡", "普通"]))
        cols["cnamount"].append(f"{rng.uniform(100, 30000):,.2f}")
    dirty = {k: list(v) for k, v in cols.items()}
    rate = rng.uniform(0.5, 1.5)
    fw = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
    for i in range(n):
        if rng.random() < 0.03 * rate:
            dirty["cncity"][i] = rng.choice([c for _, c in CN_STORES])
        if rng.random() < 0.02 * rate:
            dirty["level"][i] = dirty["level"][i][0] + " " + dirty["level"][i][1:]
        if rng.random() < 0.02 * rate:
            dirty["cnamount"][i] = ""
        if rng.random() < 0.015 * rate:  # traditional characters from another system
            k = rng.choice(["store", "cncity", "level"])
            dirty[k][i] = dirty[k][i].translate(TRAD)
        if rng.random() < 0.015 * rate:  # 市 added to a city
            dirty["cncity"][i] = dirty["cncity"][i] + "市"
        if rng.random() < 0.015 * rate:  # full-width digits typed by hand
            dirty["cnamount"][i] = dirty["cnamount"][i].translate(fw)
        if rng.random() < 0.01 * rate:  # written in 万
            wan = Decimal(cols["cnamount"][i].replace(",", "")) / 10000
            dirty["cnamount"][i] = f"{wan.normalize():f}万"
        if rng.random() < 0.01 * rate:  # the province's suffix dropped or added
            p = cols["province"][i]
            dirty["province"][i] = p[:-1] if p.endswith("省") else p + "省"
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
    if len(keys) > 4 and rng.random() < 0.3:  # an export without one of the columns
        keys.remove(rng.choice(keys[1:]))
    if kind != "sensor" and rng.random() < 0.5:  # rows in another order
        order = list(range(len(clean[keys[0]])))
        rng.shuffle(order)
        clean = {k: [v[i] for i in order] for k, v in clean.items()}
        dirty = {k: [v[i] for i in order] for k, v in dirty.items()}
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
