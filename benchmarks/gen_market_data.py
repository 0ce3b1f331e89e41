"""Seeded generator of messy Chinese market (orders) data WITH ground truth.

Writes clean.csv and dirty.csv (same shape, same row order; cells compared positionally) and
truth.json (the error kind of every dirty cell, and the duplicate rows) into OUT_DIR:

    python benchmarks/gen_market_data.py OUT_DIR --rows 30000 --seed 7

16 columns: 订单号 日期 商品 品类 品牌 城市 省份 单价 数量 金额 电话 邮箱 是否会员 渠道 店铺 备注.
Clean values use the canonical forms a cleaner should produce: ISO dates, plain numbers
(no currency, no thousands separators, no trailing zeros), 11-digit mobile numbers, 是/否,
simplified city names without 市 and full province names (浙江省).

Dependencies that hold in the clean data: 商品 -> 品类, 品牌, 单价; 店铺 -> 城市; 城市 -> 省份;
金额 = 单价 x 数量. Error kinds injected into the dirty copy (rates per cell of the column):
whitespace and full-width characters, placeholder tokens (N/A, -, null, 无), date formats,
currency/thousands/元/万 in money, phone forms (+86, dashes, spaces), boolean variants
(Y/N, yes/no, 1/0, √/×), spelling variants (traditional characters, 市/省 suffixes, brand
case and company suffixes, same-pinyin typos), wrong provinces for the city, x10/x100 and /10
slips in 金额, and duplicated orders (a later row repeating an earlier order, with format noise).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl

COLUMNS = [
    "订单号",
    "日期",
    "商品",
    "品类",
    "品牌",
    "城市",
    "省份",
    "单价",
    "数量",
    "金额",
    "电话",
    "邮箱",
    "是否会员",
    "渠道",
    "店铺",
    "备注",
]

# (product, category, brand, unit price)
PRODUCTS = [
    ("iPhone 15 128G", "手机", "Apple", "5999"),
    ("iPhone 15 Pro 256G", "手机", "Apple", "8999"),
    ("AirPods Pro 2", "耳机", "Apple", "1899"),
    ("MacBook Air 13", "电脑", "Apple", "7999"),
    ("华为 Mate 60 Pro", "手机", "华为", "6999"),
    ("华为 nova 12", "手机", "华为", "2699"),
    ("华为 FreeBuds 5i", "耳机", "华为", "649"),
    ("华为 MateBook 14", "电脑", "华为", "5299"),
    ("小米 14", "手机", "小米", "3999"),
    ("Redmi K70", "手机", "小米", "2499"),
    ("小米手环 8", "穿戴", "小米", "239"),
    ("小米电饭煲 4L", "厨电", "小米", "299"),
    ("美的电饭煲 MB-FB40", "厨电", "美的", "399"),
    ("美的空气炸锅 5L", "厨电", "美的", "329.9"),
    ("美的电热水壶", "厨电", "美的", "89.9"),
    ("格力空调 1.5匹", "家电", "格力", "3299"),
    ("海尔冰箱 470L", "家电", "海尔", "3999"),
    ("海尔洗衣机 10kg", "家电", "海尔", "2199"),
    ("九阳豆浆机", "厨电", "九阳", "459"),
    ("苏泊尔炒锅 32cm", "厨具", "苏泊尔", "199"),
    ("李宁跑鞋 赤兔6", "运动", "李宁", "499"),
    ("安踏篮球鞋 KT9", "运动", "安踏", "1299"),
    ("安踏运动T恤", "服装", "安踏", "99"),
    ("优衣库 摇粒绒外套", "服装", "优衣库", "199"),
    ("三只松鼠 坚果礼盒", "食品", "三只松鼠", "128.8"),
    ("良品铺子 肉脯", "食品", "良品铺子", "35.9"),
    ("农夫山泉 24瓶", "食品", "农夫山泉", "39.6"),
    ("蒙牛纯牛奶 24盒", "食品", "蒙牛", "62.5"),
    ("百雀羚 水乳套装", "美妆", "百雀羚", "268"),
    ("完美日记 口红", "美妆", "完美日记", "79.9"),
]
# (city, province, traditional spelling, a same-pinyin typo)
CITIES = [
    ("杭州", "浙江省", "杭州", "航州"),
    ("宁波", "浙江省", "寧波", "宁泊"),
    ("温州", "浙江省", "溫州", "温洲"),
    ("广州", "广东省", "廣州", "广洲"),
    ("深圳", "广东省", "深圳", "深镇"),
    ("东莞", "广东省", "東莞", "东筦"),
    ("南京", "江苏省", "南京", "南靖"),
    ("苏州", "江苏省", "蘇州", "苏洲"),
    ("无锡", "江苏省", "無錫", "无息"),
    ("成都", "四川省", "成都", "城都"),
    ("武汉", "湖北省", "武漢", "武汗"),
    ("长沙", "湖南省", "長沙", "长纱"),
    ("郑州", "河南省", "鄭州", "郑洲"),
    ("西安", "陕西省", "西安", "西按"),
    ("济南", "山东省", "濟南", "济楠"),
    ("青岛", "山东省", "青島", "清岛"),
    ("厦门", "福建省", "廈門", "厦们"),
    ("福州", "福建省", "福州", "福洲"),
    ("合肥", "安徽省", "合肥", "和肥"),
    ("南宁", "广西壮族自治区", "南寧", "南凝"),
    ("昆明", "云南省", "昆明", "昆名"),
    ("沈阳", "辽宁省", "瀋陽", "沈杨"),
    ("哈尔滨", "黑龙江省", "哈爾濱", "哈尔宾"),
    ("乌鲁木齐", "新疆维吾尔自治区", "烏魯木齊", "乌鲁木其"),
]
CHANNELS = ["天猫", "京东", "拼多多", "抖音直播", "门店", "小程序"]
STORE_TAGS = ["万达店", "银泰店", "旗舰店", "中心店"]
NOTES = ["请尽快发货", "送货上门", "需要发票", "周末送达", "礼品包装", "电话联系"]
MISSING = ["N/A", "-", "null", "无", "NaN"]
BRAND_VARIANTS = {
    "Apple": ["apple", "APPLE", "苹果"],
    "华为": ["华为技术有限公司", "華為", "HUAWEI"],
    "小米": ["小米科技", "小米公司"],
    "美的": ["美的集团", "美的公司"],
    "格力": ["格力电器", "格力有限公司"],
    "海尔": ["海爾", "海尔集团"],
}


def _money(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s)


def generate_clean(rows: int, rnd: random.Random) -> list[dict[str, str]]:
    stores = [
        (f"{city}{tag}", city, prov)
        for city, prov, _, _ in CITIES
        for tag in rnd.sample(STORE_TAGS, 2)
    ]
    start = date(2024, 1, 1)
    out: list[dict[str, str]] = []
    for i in range(rows):
        name, cat, brand, price = rnd.choice(PRODUCTS)
        store, city, prov = rnd.choice(stores)
        qty = rnd.choices([1, 2, 3, 4, 5, 10], weights=[50, 20, 10, 8, 7, 5])[0]
        amount = Decimal(price) * qty
        phone = (
            rnd.choice(["138", "139", "150", "186", "177", "135"]) + f"{rnd.randrange(10**8):08d}"
        )
        out.append(
            {
                "订单号": f"SO{20240000000 + i * 7 + rnd.randrange(7):011d}",
                "日期": (start + timedelta(days=rnd.randrange(366))).isoformat(),
                "商品": name,
                "品类": cat,
                "品牌": brand,
                "城市": city,
                "省份": prov,
                "单价": _money(Decimal(price)),
                "数量": str(qty),
                "金额": _money(amount),
                "电话": phone,
                "邮箱": f"user{rnd.randrange(10**6):06d}@{rnd.choice(['qq.com', '163.com', 'gmail.com', 'foxmail.com'])}",
                "是否会员": rnd.choice(["是", "否"]),
                "渠道": rnd.choice(CHANNELS),
                "店铺": store,
                "备注": rnd.choice(NOTES) if rnd.random() < 0.15 else "",
            }
        )
    return out


def _dirty_cell(
    col: str, v: str, row: dict[str, str], rnd: random.Random
) -> tuple[str, str] | None:
    """A corrupted version of one clean cell and the error kind, or None to keep it."""
    p = rnd.random()
    city_info = {c[0]: c for c in CITIES}
    if col == "日期" and p < 0.15:
        y, m, d = v.split("-")
        forms = [
            f"{y}/{int(m)}/{int(d)}",
            f"{y}年{int(m)}月{int(d)}日",
            f"{y}.{int(m)}.{int(d)}",
            f"{y}{m}{d}",
            f"{y}/{m}/{d}",
        ]
        return rnd.choice(forms), "date_format"
    if col in ("单价", "金额") and p < 0.12:
        d = Decimal(v)
        forms = [f"¥{v}", f"{d:,.2f}", f"{v}元", f"￥{d:,.2f}", f"{v} 元"]
        if d >= 1000:
            forms.append(f"{_money(d / 10000)}万")
        return rnd.choice(forms), "money_format"
    if col == "金额" and 0.12 <= p < 0.14:
        factor = rnd.choice([Decimal(10), Decimal(100), Decimal("0.1")])
        return _money(Decimal(v) * factor), "decimal_slip"
    if col == "电话" and p < 0.2:
        forms = [
            f"{v[:3]}-{v[3:7]}-{v[7:]}",
            f"+86 {v[:3]} {v[3:7]} {v[7:]}",
            f"(+86){v}",
            f"{v[:3]} {v[3:7]} {v[7:]}",
            _fullwidth(v),
        ]
        return rnd.choice(forms), "phone_format"
    if col == "是否会员" and p < 0.2:
        forms = {
            "是": ["Y", "yes", "1", "√", "true", "是的"],
            "否": ["N", "no", "0", "×", "false", "不是"],
        }[v]
        return rnd.choice(forms), "boolean_variant"
    if col == "城市" and p < 0.1:
        _, _, trad, typo = city_info[v]
        forms = [
            (f"{v}市", "suffix_variant"),
            (trad, "traditional"),
            (f"{trad}市", "traditional"),
            (typo, "pinyin_typo"),
        ]
        forms = [f for f in forms if f[0] != v]
        return rnd.choice(forms)
    if col == "省份":
        if p < 0.03:
            others = sorted({c[1] for c in CITIES} - {v})
            return rnd.choice(others), "fd_violation"
        if p < 0.08:
            short = v.replace("维吾尔自治区", "").replace("壮族自治区", "").removesuffix("省")
            return short, "suffix_variant"
        if p < 0.1:
            return rnd.choice(MISSING), "missing"
    if col == "品牌" and p < 0.08 and v in BRAND_VARIANTS:
        return rnd.choice(BRAND_VARIANTS[v]), "brand_variant"
    if col == "品类" and p < 0.02:
        return rnd.choice(MISSING), "missing"
    if col == "备注" and v == "" and p < 0.05:
        return rnd.choice(MISSING), "missing_token"
    if col in ("商品", "店铺", "渠道", "邮箱") and p < 0.04:
        return rnd.choice([f" {v}", f"{v} ", f"  {v}  ", v.replace(" ", "  ")]), "whitespace"
    if col == "数量" and p < 0.03:
        return _fullwidth(v), "fullwidth"
    return None


def generate(
    rows: int, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, object]]:
    rnd = random.Random(seed)
    clean = generate_clean(rows, rnd)
    # duplicated orders: a later row repeats an earlier order (~1%)
    dups: list[tuple[int, int]] = []
    for _ in range(rows // 100):
        src = rnd.randrange(rows // 2)
        dst = rnd.randrange(rows // 2, rows)
        clean[dst] = dict(clean[src])
        dups.append((src, dst))
    dirty: list[dict[str, str]] = []
    kinds: dict[str, int] = {}
    cells: list[tuple[int, str, str]] = []
    for r, row in enumerate(clean):
        d = dict(row)
        for col in COLUMNS:
            hit = _dirty_cell(col, row[col], row, rnd)
            if hit is not None and hit[0] != row[col]:
                d[col] = hit[0]
                kinds[hit[1]] = kinds.get(hit[1], 0) + 1
                if len(cells) < 200:
                    cells.append((r, col, hit[1]))
        dirty.append(d)
    truth: dict[str, object] = {
        "rows": rows,
        "seed": seed,
        "error_kinds": dict(sorted(kinds.items())),
        "duplicates": sorted(dups),
        "examples": cells,
    }
    return clean, dirty, truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    clean, dirty, truth = generate(args.rows, args.seed)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    schema = dict.fromkeys(COLUMNS, pl.Utf8)
    pl.DataFrame(clean, schema=schema).write_csv(args.out_dir / "clean.csv")
    pl.DataFrame(dirty, schema=schema).write_csv(args.out_dir / "dirty.csv")
    (args.out_dir / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"{args.rows} rows -> {args.out_dir} ; errors: {truth['error_kinds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
