"""Proposals: which placeholder tokens become empty and which format step each column gets,
decided from the column's own values."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from onelegion.skills.clean import formats, normalize, parse
from onelegion.skills.clean.step import StepBase
from onelegion.skills.clean.types import NUMERIC, ColumnType, value_counts


def propose_missing(df: pl.DataFrame) -> list[normalize.MissingToEmpty]:
    """Placeholder tokens -> empty, decided from the table's evidence.

    Kept as they are: a column that holds nothing but the token (it is the column's literal
    value), and a table that has no empty cell at all and uses one single token everywhere
    (that token is the table's own convention for "no value", e.g. 'empty'), and a word token
    shaped like most of the column's values ('NA' among 'EU', 'AS'; '无' among '有').
    """
    tokens = set(normalize.MISSING_TOKENS)
    found: dict[str, dict[str, int]] = {}
    for c in df.columns:
        vals, w = value_counts(df.get_column(c), limit=None)
        low = vals.str.to_lowercase().str.strip_chars()
        hit = low.is_in(list(tokens))
        if not hit.any():
            continue
        hit = _not_regular_values(vals, w, hit)
        if not hit.any():
            continue
        counts: dict[str, int] = {}
        for v, n in zip(low.filter(hit).to_list(), w.filter(hit).to_list(), strict=True):
            counts[v] = counts.get(v, 0) + int(n)
        non_token = int(w.filter(~hit).sum())
        if non_token == 0:
            continue  # the token is the column's only value: leave it
        found[c] = counts
    if not found:
        return []
    has_nulls = any(df.get_column(c).null_count() for c in df.columns)
    all_tokens = {t for counts in found.values() for t in counts}
    if not has_nulls and len(all_tokens) == 1:
        return []  # the table's own convention
    steps = []
    for c, counts in found.items():
        n = sum(counts.values())
        steps.append(
            normalize.MissingToEmpty(
                column=c,
                tokens=sorted(counts),
                confidence=0.95,
                description=f"{n} placeholder value(s) ({', '.join(sorted(counts))}) become empty",
                evidence={"counts": counts},
            )
        )
    return steps


def _shape(s: pl.Series) -> pl.Series:
    return (
        s.str.replace_all(r"[A-Z]", "A")
        .str.replace_all(r"[a-z]", "a")
        .str.replace_all(r"\p{Han}", "汉")
        .str.replace_all(r"\d", "9")
    )


def _not_regular_values(vals: pl.Series, w: pl.Series, hit: pl.Series) -> pl.Series:
    """Drop from ``hit`` word tokens written like at least half of the column's other values."""
    shapes = _shape(vals)
    other = shapes.filter(~hit)
    other_w = w.filter(~hit)
    total = float(other_w.sum()) or 1.0
    share = pl.DataFrame({"s": other, "w": other_w}).group_by("s").agg(pl.col("w").sum() / total)
    lookup = dict(share.iter_rows())
    wordy = vals.str.contains(r"^(?:[A-Za-z]+|\p{Han}+)$")
    regular = [
        bool(h and wd and lookup.get(sh, 0.0) >= 0.5)
        for h, wd, sh in zip(hit.to_list(), wordy.to_list(), shapes.to_list(), strict=True)
    ]
    return hit & ~pl.Series(regular, dtype=pl.Boolean)


def propose_format(col: pl.Series, t: ColumnType, canonical: bool = False) -> list[StepBase]:
    """The normalisation step for a column's type (with the parameters decided from its values).

    By default dates, times and numbers keep the representation most of the column's values
    use and only deviating values are converted into it; ``canonical``: ISO dates, 24-hour
    times, minimal plain numbers."""
    name = col.name
    conf = round(t.confidence, 4)
    ev: dict[str, Any] = {"type": t.type, **t.detail}
    if t.type in NUMERIC:
        step = _number_step(col, t, conf, ev, canonical)
        return [step] if step is not None else []
    if t.type in ("date", "datetime"):
        vals = col.drop_nulls().str.strip_chars()
        serials = bool(vals.str.contains(r"^\d{5}$").any())
        order = t.detail.get("order", "auto")
        fmt = None if canonical else _dominant_date_format(col, order)
        if fmt == "":
            return []  # written in a form we cannot write back (month names): left alone
        guess = _order_unproven(col, fmt)
        if not guess and _order_unproven(col, None):
            order = "auto"  # a few 05/03/2024 among other forms: those few are left as they are
            conf = round(min(1.0, conf / float(t.detail.get("order_confidence") or 1.0)), 4)
        return [
            normalize.NormalizeDate(
                column=name,
                order=order,
                excel_serials=serials,
                format=fmt,
                # no value tells day from month: writing a date in that order would be a guess,
                # so the step is only proposed (enable it in the recipe to apply it)
                enabled=not guess,
                confidence=min(conf, 0.75) if guess else conf,
                description=f"dates to {'ISO 8601' if fmt is None else repr(fmt)} (order {order}"
                + (", not proven by any value: proposed only)" if guess else ")"),
                evidence=ev,
            )
        ]
    if t.type == "time":
        fmt = None if canonical else _dominant_time_format(col)
        if fmt == "":
            return []
        return [
            normalize.NormalizeTime(
                column=name,
                seconds=bool(t.detail.get("seconds")),
                format=fmt,
                confidence=conf,
                description="times to 24-hour HH:MM"
                if fmt is None
                else f"times to the column's form {fmt!r}",
                evidence=ev,
            )
        ]
    if t.type == "phone":
        form = str(t.detail.get("form", "digits"))
        return [
            normalize.NormalizePhone(
                column=name,
                form=form,
                lengths=common_phone_lengths(col),
                confidence=conf,
                description=f"phones to the column's dominant form ({form})",
                evidence=ev,
            )
        ]
    if t.type == "email":
        return [
            normalize.NormalizeEmail(
                column=name,
                lowercase=canonical or _mostly_lower(col, r"^[^@]*@?(.*)$", whole=True),
                confidence=conf,
                description="e-mails trimmed (lower-cased when the column writes them so)",
                evidence=ev,
            )
        ]
    if t.type == "boolean":
        tv, fv = t.detail["pair"]
        return [
            normalize.NormalizeBoolean(
                column=name,
                true_value=tv,
                false_value=fv,
                confidence=conf,
                description=f"yes/no values to {tv}/{fv}",
                evidence=ev,
            )
        ]
    if t.type == "cn_id":
        return [
            normalize.NormalizeCnId(
                column=name,
                confidence=conf,
                description="ID numbers: check letter upper-case",
                evidence=ev,
            )
        ]
    if t.type == "url":
        return [
            normalize.NormalizeUrl(
                column=name,
                lowercase=canonical or _mostly_lower(col, r"^(?i)((?:https?://)?[^/?#]+)"),
                confidence=conf,
                description="URLs: spaces removed (scheme and host lower-cased when the column "
                "writes them so)",
                evidence=ev,
            )
        ]
    return []


def _mostly(col: pl.Series, pattern: str) -> bool:
    """Whether most values match ``pattern``."""
    vals, w = value_counts(col)
    total = float(w.sum())
    hit = vals.str.strip_chars().str.contains(pattern)
    return bool(total) and float(w.filter(hit).sum()) > 0.5 * total


def _mostly_lower(col: pl.Series, part: str, whole: bool = False) -> bool:
    """Whether most values (or the part ``part`` captures) are written in lower case."""
    vals, w = value_counts(col)
    text = vals if whole else vals.str.extract(part, 1).fill_null("")
    low = text == text.str.to_lowercase()
    total = float(w.sum())
    return bool(total) and float(w.filter(low).sum()) >= 0.5 * total


def _dominant_date_format(col: pl.Series, order: str) -> str | None:
    """The column's own date format; '' when most values are in a form that cannot be written
    back (month names, compact digits)."""
    vals, w = value_counts(col)
    v = vals.str.normalize("NFKC").str.strip_chars()
    d = parse.parse_dates(v, order)
    pats = []
    for pat, a in zip(d["pattern"].to_list(), d["amb_a"].to_list(), strict=True):
        if pat == "abY":
            pats.append(order if order != "auto" else ("dmy" if (a or 0) > 12 else "mdy"))
        else:
            pats.append(pat or "")
    return formats.dominant_format(v.to_list(), w.to_list(), pats) or ""


def _order_unproven(col: pl.Series, fmt: str | None) -> bool:
    """The column writes day and month first (05/03/2024) and no value tells which is which, or
    its values could as well be a two-digit year first (24/03/05)."""
    if fmt is not None and not re.match(r"^%-?[md]", fmt):
        return False
    vals, _ = value_counts(col)
    d = parse.parse_dates(vals.str.normalize("NFKC").str.strip_chars())
    amb = d.filter(pl.col("amb_a").is_not_null())
    if amb.height == 0:
        return False
    if not bool(((amb["amb_a"] > 12) | (amb["amb_b"] > 12)).any()):
        return True
    # '24/03/05' proves day-first only if no value could be year-first (yy/mm/dd) instead
    year_first_possible = bool(
        ((amb["amb_c"] <= 31) & (amb["amb_b"] <= 12) & (amb["amb_a"] <= 31)).fill_null(False).all()
    )
    return year_first_possible


def _dominant_time_format(col: pl.Series) -> str | None:
    vals, w = value_counts(col)
    v = vals.str.normalize("NFKC").str.strip_chars()
    return formats.dominant_format(v.to_list(), w.to_list(), ["time"] * v.len()) or ""


def _number_step(
    col: pl.Series, t: ColumnType, conf: float, ev: dict[str, Any], canonical: bool = False
) -> normalize.NormalizeNumber | None:
    vals, w = value_counts(col)
    p = parse.parse_numbers(vals.str.normalize("NFKC").str.strip_chars()).with_columns(w=w)
    ok = p.filter(pl.col("ok") & ~pl.col("leading_zero"))
    if ok.height == 0:
        return None
    units = ok.group_by("unit").agg(pl.col("w").sum()).sort("w", descending=True)
    unit_w = {u: float(x) for u, x in units.iter_rows()}
    spellings = set(ok.filter(pl.col("unit_raw").is_not_null())["unit_raw"].to_list())
    bare_w = unit_w.get(None, 0.0)
    named = {u: x for u, x in unit_w.items() if u is not None}
    consistent = (
        bare_w == 0
        and len(spellings) == 1
        and not ok["has_mult"].any()
        and ok["extra"].null_count() == ok.height
    )
    if consistent:
        return None  # one unit, spelled one way everywhere: already consistent, leave it
    top = max(named, key=lambda u: named[u]) if named else None
    percent = t.type == "percent"
    if bare_w == 0 and top is not None and not ok["has_mult"].any():
        spell = ok.group_by("unit_raw").agg(pl.col("w").sum()).sort("w", descending=True)
        top_spell, top_spell_w = spell.row(0)
        if top_spell_w >= 0.8 * float(spell["w"].sum()):
            # one spelling almost everywhere: keep the unit, fix the odd ones to that spelling
            sample = ok.filter(pl.col("unit_raw") == top_spell)["value"][0]
            unit_text = sample[
                sample.find(top_spell)
                - (1 if sample[sample.find(top_spell) - 1 : sample.find(top_spell)] == " " else 0) :
            ]
            unit_text = unit_text if not sample.startswith(top_spell) else ""
            ref_nums = (
                ok.filter(pl.col("unit_raw") == top_spell)["num"]
                .cast(pl.Float64, strict=False)
                .abs()
            )
            if unit_text and ok["extra"].null_count() == ok.height:
                return normalize.NormalizeNumber(
                    column=col.name,
                    mode="keep_unit",
                    unit=top,
                    unit_text=unit_text,
                    accepted_units=[top],
                    ref_median=num(ref_nums.median()),
                    ref_lo=num(ref_nums.min()),
                    ref_hi=num(ref_nums.max()),
                    confidence=conf,
                    description=f"numbers in minimal form, unit kept as {unit_text.strip()!r}",
                    evidence=ev,
                )
    accepted: list[str] = []
    if percent:
        accepted = ["%"]
    elif top is not None and (
        named[top] >= 0.5 * (bare_w + sum(named.values()))
        or top in parse.CURRENCIES
        or bare_w >= named[top]
    ):
        accepted = [top]
        if top not in parse.CURRENCIES and named[top] < bare_w:
            accepted = []  # a rare unit in a bare-number column: judged value by value (stray)
    # reference range from the values in the column's dominant form
    if percent:
        ref = ok.filter(pl.col("unit") == "%")
    elif bare_w >= sum(named.values()) or not accepted:
        ref = ok.filter(pl.col("unit").is_null())
    else:
        ref = ok.filter(pl.col("unit").is_in(accepted) | pl.col("unit").is_null())
    nums = ref["num"].cast(pl.Float64, strict=False).abs()
    ref_w = ref["w"]
    med = lo = hi = None
    if nums.len():
        expanded = (
            nums.gather(pl.Series(range(nums.len())).repeat_by(ref_w.cast(pl.Int64)).explode())
            if nums.len() < 5000
            else nums
        )
        med = num(expanded.median())
        lo = num(expanded.quantile(0.01))
        hi = num(expanded.quantile(0.99))
    ev.update(
        {
            "unit_counts": {str(k): int(v) for k, v in unit_w.items()},
            "spellings": sorted(spellings)[:10],
        }
    )
    decimals, thousands, integral, trim = None, False, False, False
    scientific = _mostly(col, r"^[-+]?\d*\.?\d+[eE][-+]?\d+$")
    if not canonical and not scientific:
        styled = ok.filter(
            (pl.col("unit") == "%") if percent else (pl.col("unit").is_null() & ~pl.col("has_mult"))
        )
        raw = styled["value"].str.extract(r"(\d[\d,]*(?:\.\d+)?)", 1).fill_null("")
        decimals, thousands = formats.number_style(raw.to_list(), styled["w"].to_list())
        integral = formats.mostly_whole(raw.to_list(), styled["w"].to_list())
        trim = formats.mostly_minimal(raw.to_list(), styled["w"].to_list())
    unit_label = "%" if percent else (accepted[0] if accepted else None)
    desc = (
        "percentages as plain numbers with a %"
        if percent
        else f"numbers to plain minimal form{f' (unit {unit_label} recorded here)' if unit_label else ''}"
    )
    return normalize.NormalizeNumber(
        column=col.name,
        mode="percent" if percent else "plain",
        unit=unit_label,
        accepted_units=accepted,
        ref_median=med,
        ref_lo=lo,
        ref_hi=hi,
        decimals=decimals,
        thousands=thousands,
        keep_plain=not canonical,
        integral=integral,
        trim_zeros=trim,
        scientific=scientific,
        header_unit=normalize.header_unit(col.name),
        confidence=conf,
        description=desc,
        evidence=ev,
    )


def num(x: Any) -> float:
    """A polars scalar (or None) as a float."""
    return float(x) if x is not None else 0.0


def common_phone_lengths(col: pl.Series) -> list[int]:
    """Digit counts (without a +86/86 prefix) held by at least 5% of the column's phones."""
    digits = col.drop_nulls().str.normalize("NFKC").str.replace_all(r"[^\d]", "")
    local = digits.str.replace(r"^(?:0086|86)(1[3-9]\d{9})$", "$1").str.len_chars().rename("len")
    if local.len() == 0:
        return []
    vc = local.value_counts(name="n")
    return sorted(
        int(x)
        for x in vc.filter(pl.col("n") >= 0.05 * local.len()).get_column(local.name).to_list()
    )
