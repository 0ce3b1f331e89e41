"""Shop quality: generated months of six marketplaces, on seeds and variants the tests do not
use, compared with the simulated ground truth (every P&L cell, to the cent).

    python benchmarks/shop_truth.py --seeds 1000-1004 --variants 0-7
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from onelegion.skills.shop.dataset import load_paths  # noqa: E402
from onelegion.skills.shop.profit import build_facts  # noqa: E402
from onelegion.skills.shop.reconcile import run_checks  # noqa: E402
from onelegion.skills.shop.samples import generate  # noqa: E402

SIGN = {
    k: -1
    for k in (
        "refunds",
        "promotions",
        "ads",
        "cogs",
        "referral_fee",
        "fulfilment_fee",
        "storage_fee",
        "subscription_fee",
        "other_fee",
        "shipping_fee",
    )
}


def span(s: str) -> list[int]:
    a, _, b = s.partition("-")
    return list(range(int(a), int(b or a) + 1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1000-1004")
    ap.add_argument("--variants", default="0-7")
    ap.add_argument("--orders", type=int, default=150)
    a = ap.parse_args()
    cells = exact = files = recognised = settlements = settled_ok = 0
    wrong: list[str] = []
    t = time.perf_counter()
    for seed in span(a.seeds):
        for variant in span(a.variants):
            out = Path(tempfile.mkdtemp()) / "x"
            truth = generate(out, seed=seed, orders=a.orders, variant=variant)
            ds = load_paths([out], currency_of={"lazada": "PHP", "walmart": "USD"})
            files += len(ds.files)
            recognised += sum(1 for f in ds.files if f.layout)
            p = build_facts(ds, ds.t("cogs"))
            got = {(r["marketplace"], r["sku"], r["month"]): r for r in p.pnl.iter_rows(named=True)}
            for key, lines in truth.cells.items():
                row = got.get(key)
                for line, v in lines.items():
                    cells += 1
                    want: object = (
                        int(v) if line in ("units", "refunded_units") else v * SIGN.get(line, 1)
                    )
                    if row is not None and row[line] == want:
                        exact += 1
                    else:
                        wrong.append(f"seed {seed} variant {variant} {key} {line}")
                cells += 1
                c = sum(
                    (v for k, v in lines.items() if k not in ("units", "refunded_units")),
                    Decimal(0),
                )
                if row is not None and row["contribution"] == c:
                    exact += 1
                else:
                    wrong.append(f"seed {seed} variant {variant} {key} contribution")
            checks, _ = run_checks(ds, p)
            sums = [c for c in checks if c.name.startswith("settlement ")]
            settlements += len(truth.settlements)
            settled_ok += sum(1 for c in sums if c.status == "ok")
    print(
        json.dumps(
            {
                "seeds": a.seeds,
                "variants": a.variants,
                "files": files,
                "recognised": recognised,
                "pnl_cells": cells,
                "exact_to_the_cent": exact,
                "settlements": settlements,
                "settlements_sum_ok": settled_ok,
                "wrong": wrong[:20],
                "seconds": round(time.perf_counter() - t, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
