"""write.check recall and false positives on generated corpora, and speed.

    .venv/bin/python benchmarks/write_check.py

Corpus "planted": 2,000 posts built from clean sentence templates (topics × openings × tips ×
closings), each with 1–3 terms drawn from the maintained 广告法 list planted at random sentence
positions; the planted (term, offset) pairs are known. Recall = planted terms found at their exact
offset (a longer listed term covering the planted one, e.g. 全网最 over 最, counts as found).
Corpus "clean": 2,000 posts from the same templates, nothing planted, including the allowed
compounds (最近, 最后, 第一次, 第一步…) — every finding there is a false positive.
Speed: median of 5 passes over the 2,000 planted posts; baseline in the same run: the same posts
scanned by one compiled regex of every term (what the matching alone costs).
"""

from __future__ import annotations

import random
import re
import statistics
import time

from onelegion.skills.write.check import ad_law_terms, check_text

TOPICS = [
    "春季防晒",
    "通勤穿搭",
    "早餐食谱",
    "新手养猫",
    "居家收纳",
    "露营装备",
    "考研复习",
    "跑步入门",
]
OPEN = [
    "今天聊聊{t}。",
    "{t}这件事，很多人做错了。",
    "关于{t}，我整理了一些经验。",
    "最近很多朋友问我{t}。",
]
TIPS = [
    "第一步先想清楚自己的需求。",
    "每天坚持十分钟就有变化。",
    "预算有限的话可以先从基础款开始。",
    "第一次尝试时别贪多。",
    "记得看清楚成分表和说明。",
    "最后别忘了定期整理和复盘。",
    "选择适合自己的节奏更重要。",
    "这个方法我用了三个月，感觉不错。",
]
CLOSE = ["有问题评论区见。", "希望对你有帮助。", "下次继续分享。", "你们平时怎么做？"]


def post(rng: random.Random) -> str:
    t = rng.choice(TOPICS)
    return rng.choice(OPEN).format(t=t) + "".join(rng.sample(TIPS, 3)) + rng.choice(CLOSE)


def planted(rng: random.Random, terms: list[str]) -> tuple[str, list[tuple[str, int]]]:
    sentences = re.split(r"(?<=。)", post(rng))
    sentences = [s for s in sentences if s]
    marks: list[tuple[str, int]] = []
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(sentences))
        term = rng.choice(terms)
        sentences[i] = f"这款{term}产品，" + sentences[i]
    text = "".join(sentences)
    pos = 0
    for s in sentences:
        for m in re.finditer(r"这款(.+?)产品，", s):
            marks.append((m.group(1), pos + m.start(1)))
        pos += len(s)
    return text, marks


def main() -> None:
    rng = random.Random(15)
    terms = [t.term for t in ad_law_terms()]
    corpus = [planted(rng, terms) for _ in range(2000)]
    clean = [post(rng) for _ in range(2000)]
    found = total = 0
    missed: list[str] = []
    for text, marks in corpus:
        spans = [
            (f.offset, f.offset + f.length) for f in check_text(text, None)[0] if f.offset >= 0
        ]
        for term, off in marks:
            total += 1
            if any(a <= off and off + len(term) <= b for a, b in spans):
                found += 1
            else:
                missed.append(term)
    fp = sum(len(check_text(t, None)[0]) for t in clean)
    rx = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    texts = [t for t, _ in corpus]

    def ours() -> float:
        t0 = time.perf_counter()
        for t in texts:
            check_text(t, None)
        return time.perf_counter() - t0

    def base() -> float:
        t0 = time.perf_counter()
        for t in texts:
            list(rx.finditer(t))
        return time.perf_counter() - t0

    o = statistics.median(ours() for _ in range(5))
    b = statistics.median(base() for _ in range(5))
    print(
        f"terms in list: {len(terms)}; planted: {total}; found: {found}; recall: {found / total:.4f}"
    )
    print(f"missed: {sorted(set(missed))}")
    print(f"clean posts: {len(clean)}; findings on them: {fp}")
    print(
        f"2,000 posts: check {o * 1000:.1f} ms (median of 5), one-regex baseline {b * 1000:.1f} ms, ratio {o / b:.1f}"
    )


if __name__ == "__main__":
    main()
