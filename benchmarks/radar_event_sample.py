"""Draw the event-labelling sample (run once; its output is committed and then labelled by hand).

Days are drawn at random: five from the trending-in-one January (Toutiao/Weibo/Zhihu), leaving out
the days the earlier pair labels used (01-05, 01-12, 01-19), and three from the justjavac
February–March archives (Weibo/Zhihu). Before any labelling, three of the eight (two January, one
February–March) are frozen as the hold-out. From each day 160 titles are drawn uniformly at random
from all of its titles (no similarity signal involved); every pair of them is then labelled through
an event id per title (same id = same event by the issue's definition; a title marked "?x" is
ambiguous with event x, and its pairs with x's titles are left out of the score).

Output: benchmarks/radar_events/DAY.tsv (index, platform, title, event), event column empty.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radar_event_days import ROOT, load_day

OUT = ROOT / "benchmarks" / "radar_events"
PER_DAY = 160


def second_holdout() -> None:
    """A second hold-out, drawn after the first one had been looked at (see RESULTS-radar.md):
    three more days (two January, one February–March) none of the earlier draws used."""
    rng = random.Random(2026120102)
    used = {line.split("\t")[0] for line in (OUT / "SPLITS.tsv").read_text("utf-8").splitlines()}
    jan = [f"2024-01-{d:02d}" for d in range(1, 32) if d not in (5, 12, 19)]
    febmar = [f"2024-02-{d:02d}" for d in range(1, 30)] + [f"2024-03-{d:02d}" for d in range(1, 32)]
    days = sorted(
        rng.sample([d for d in jan if d not in used], 2)
        + rng.sample([d for d in febmar if d not in used], 1)
    )
    lines = []
    for day in days:
        titles = load_day(day)
        pick = rng.sample(titles, min(PER_DAY, len(titles)))
        lines.append(f"{day}\tholdout2\t{len(titles)} titles, {len(pick)} drawn")
        body = "".join(f"{i}\t{p}\t{t}\t\n" for i, (p, t) in enumerate(pick))
        (OUT / f"{day}.tsv").write_text(body, encoding="utf-8")
    with (OUT / "SPLITS.tsv").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def third_holdout() -> None:
    """A third hold-out, frozen before the second round of tuning (see RESULTS-radar.md): eight
    days none of the earlier draws used (five January, three February–March), 80 titles each."""
    rng = random.Random(2026120103)
    used = {line.split("\t")[0] for line in (OUT / "SPLITS.tsv").read_text("utf-8").splitlines()}
    jan = [f"2024-01-{d:02d}" for d in range(1, 32) if d not in (5, 12, 19)]
    febmar = [f"2024-02-{d:02d}" for d in range(1, 30)] + [f"2024-03-{d:02d}" for d in range(1, 32)]
    days = sorted(
        rng.sample([d for d in jan if d not in used], 5)
        + rng.sample([d for d in febmar if d not in used], 3)
    )
    lines = []
    for day in days:
        titles = load_day(day)
        pick = rng.sample(titles, min(80, len(titles)))
        lines.append(f"{day}\tholdout3\t{len(titles)} titles, {len(pick)} drawn")
        body = "".join(f"{i}\t{p}\t{t}\t\n" for i, (p, t) in enumerate(pick))
        (OUT / f"{day}.tsv").write_text(body, encoding="utf-8")
    with (OUT / "SPLITS.tsv").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def fourth_holdout() -> None:
    """A fourth hold-out, frozen before the third round of tuning (see radar_events/HOLDOUT4.md):
    six days that no earlier label set used and that nobody read while tuning (2024-01-15 and
    2024-01-20 were read as unlabelled development days, so they are left out too): three January,
    three February–March; 100 titles drawn uniformly at random from each (no similarity signal)."""
    rng = random.Random(2026120104)
    used = {line.split("\t")[0] for line in (OUT / "SPLITS.tsv").read_text("utf-8").splitlines()}
    used |= {"2024-01-15", "2024-01-20"}
    # a day must have titles (trending-in-one holds nothing for 2024-01-01 in UTC+8)
    jan = [f"2024-01-{d:02d}" for d in range(1, 32) if d not in (5, 12, 19)]
    febmar = [f"2024-02-{d:02d}" for d in range(1, 30)] + [f"2024-03-{d:02d}" for d in range(1, 32)]
    days = sorted(
        rng.sample([d for d in jan if d not in used and load_day(d)], 3)
        + rng.sample([d for d in febmar if d not in used and load_day(d)], 3)
    )
    lines = []
    for day in days:
        titles = load_day(day)
        pick = rng.sample(titles, min(100, len(titles)))
        lines.append(f"{day}\tholdout4\t{len(titles)} titles, {len(pick)} drawn")
        body = "".join(f"{i}\t{p}\t{t}\t\n" for i, (p, t) in enumerate(pick))
        (OUT / f"{day}.tsv").write_text(body, encoding="utf-8")
    with (OUT / "SPLITS.tsv").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    if "--second-holdout" in sys.argv:
        second_holdout()
        return
    if "--third-holdout" in sys.argv:
        third_holdout()
        return
    if "--fourth-holdout" in sys.argv:
        fourth_holdout()
        return
    rng = random.Random(20261201)
    jan = [f"2024-01-{d:02d}" for d in range(1, 32) if d not in (5, 12, 19)]
    febmar = [f"2024-02-{d:02d}" for d in range(1, 30)] + [f"2024-03-{d:02d}" for d in range(1, 32)]
    jan_days = sorted(rng.sample(jan, 5))
    fm_days = sorted(rng.sample(febmar, 3))
    holdout = sorted(rng.sample(jan_days, 2) + rng.sample(fm_days, 1))
    OUT.mkdir(exist_ok=True)
    lines = []
    for day in sorted(jan_days + fm_days):
        titles = load_day(day)
        pick = rng.sample(titles, min(PER_DAY, len(titles)))
        split = "holdout" if day in holdout else "tuning"
        lines.append(f"{day}\t{split}\t{len(titles)} titles, {len(pick)} drawn")
        body = "".join(f"{i}\t{p}\t{t}\t\n" for i, (p, t) in enumerate(pick))
        (OUT / f"{day}.tsv").write_text(body, encoding="utf-8")
    (OUT / "SPLITS.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
