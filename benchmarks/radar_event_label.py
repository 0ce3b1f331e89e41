"""Write hand-written event groups into the sample's TSV files (the labelling notation).

A label file has one line per event or topic:
  A 0 10 12      titles 0, 10 and 12 are one event (A)
  A@hrb 3 4      one event that belongs to the topic "hrb"
  @hrb 5 6 7     titles of the topic "hrb", each its own event
  ?A 9           title 9 is ambiguous with event A (a reader could go either way)
  ?A@hrb 9       ambiguous with A, and of topic hrb
Every title not listed is its own event. Scoring (radar_event_eval.py): a pair is "same" when
both titles carry the same event; "ambiguous" (left out) when one is ?X and the other X or ?X, or
when both share a topic but not an event; "different" otherwise.

Run: python benchmarks/radar_event_label.py LABELS_DIR   (files named DAY.txt)
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "radar_events"


def main() -> None:
    src = Path(sys.argv[1])
    for f in sorted(src.glob("*.txt")):
        tsv = OUT / f"{f.stem}.tsv"
        rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
        tags: dict[int, str] = {}
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            tag, *idx = line.split()
            for i in idx:
                if int(i) in tags:
                    raise SystemExit(f"{f.name}: title {i} labelled twice")
                tags[int(i)] = tag
        body = "".join(f"{r[0]}\t{r[1]}\t{r[2]}\t{tags.get(int(r[0]), '')}\n" for r in rows)
        tsv.write_text(body, encoding="utf-8")
        print(f.stem, len(tags), "titles tagged")


if __name__ == "__main__":
    main()
