"""The cleaning pipeline: propose a recipe from the data while applying it, step by step.

    from onelegion.skills.clean.pipeline import clean_frame, CleanOptions
    result = clean_frame(df, CleanOptions())
    result.df, result.recipe, result.changes, result.issues, result.duplicates, result.types

Order: text hygiene -> missing tokens -> type inference -> format normalisation per type ->
trailing-token splits -> value clusters / synonyms -> dependency repairs -> relation repairs ->
outliers (flagged) -> duplicates (flagged; removed only with ``dedupe``). The repair modules
are used when installed. A step below ``min_confidence`` goes into the recipe disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from onelegion.skills.clean import normalize, parse
from onelegion.skills.clean.recipe import Recipe, optional_module, step_enabled
from onelegion.skills.clean.split import propose_splits
from onelegion.skills.clean.steps_base import (
    Change,
    Issue,
    StepBase,
    change_schema,
    frame_to_changes,
)
from onelegion.skills.clean.types import NUMERIC, ColumnType, infer_types, value_counts

Progress = Callable[[int, int, str], None]


@dataclass
class CleanOptions:
    dedupe: bool = False
    min_confidence: float = 0.8
    synonyms: dict[str, dict[str, str]] | None = None
    repairs: bool = True
    extra_steps: list[StepBase] = field(default_factory=list)  # e.g. LLM-proposed mappings
    # called after format normalisation with (df, types): more steps to run (the LLM hook)
    propose_extra: Callable[[pl.DataFrame, dict[str, str]], list[StepBase]] | None = None
    progress: Progress | None = None
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class CleanResult:
    df: pl.DataFrame
    recipe: Recipe
    change_frame: pl.DataFrame
    issues: list[Issue]
    duplicates: list[Any]
    types: dict[str, str]
    type_info: dict[str, ColumnType]
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return frame_to_changes(self.change_frame)

    @property
    def cells_changed(self) -> int:
        return (
            self.change_frame.select(pl.struct("row", "column").n_unique()).item()
            if self.change_frame.height
            else 0
        )


class _Run:
    def __init__(self, df: pl.DataFrame, opts: CleanOptions) -> None:
        self.df = df
        self.opts = opts
        self.steps: list[StepBase] = []
        self.changes: list[pl.DataFrame] = []
        self.notes: list[str] = []

    def run(self, step: StepBase, *, force: bool = False) -> int:
        """Record ``step``; apply it when enabled and confident enough. Returns cells changed."""
        if step.confidence < self.opts.min_confidence and not force:
            step = step.model_copy(update={"enabled": False})
        self.steps.append(step)
        if not step_enabled(step):
            return 0
        self.df, ch = step.apply_frame(self.df)
        if ch.height:
            self.changes.append(ch)
            _add_evidence(step, ch)
        return ch.height


def _add_evidence(step: StepBase, ch: pl.DataFrame) -> None:
    """Record how many cells a step changed and a few distinct examples, in its evidence."""
    step.evidence.setdefault("cells_changed", ch.height)
    if "examples" not in step.evidence:
        ex = ch.unique(subset=["column", "before"], keep="first", maintain_order=True).head(5)
        multi = step.column is None
        step.evidence["examples"] = [
            (f"{r['column']}: " if multi else "")
            + f"{r['before']!s} → {r['after'] if r['after'] is not None else '(empty)'}"
            for r in ex.iter_rows(named=True)
        ]


def clean_frame(df: pl.DataFrame, opts: CleanOptions | None = None) -> CleanResult:
    opts = opts or CleanOptions()
    df = df.with_columns(pl.col(c).cast(pl.Utf8) for c in df.columns)
    r = _Run(df, opts)
    total = 8
    tick = opts.progress or (lambda done, total, msg: None)

    tick(0, total, "text hygiene")
    r.run(
        normalize.CleanText(
            column=None,
            description="trim, collapse spaces, drop zero-width, fix mojibake, full-width letters/digits to ASCII",
        )
    )
    tick(1, total, "missing tokens")
    for missing_step in propose_missing(r.df):
        r.run(missing_step)
    tick(2, total, "column types")
    info = infer_types(r.df)
    types = {c: t.type for c, t in info.items()}
    tick(3, total, "formats")
    for c, t in info.items():
        for step in propose_format(r.df.get_column(c), t):
            r.run(step)
    tick(4, total, "split columns")
    for split_step in propose_splits(r.df, types):
        r.run(split_step)
    extra = list(opts.extra_steps)
    if opts.propose_extra is not None:
        extra.extend(opts.propose_extra(r.df, types))
    for step in extra:
        r.run(step, force=not step.enabled)
    duplicates: list[Any] = []
    issues: list[Issue] = []
    if opts.repairs:
        tick(5, total, "repairs")
        _repairs(r, types, issues, duplicates)
    tick(7, total, "issues")
    issues.extend(invalid_values(r.df, info))
    plain = [
        st.column
        for st in r.steps
        if isinstance(st, normalize.NormalizeNumber)
        and st.mode == "plain"
        and st.enabled
        and st.column
    ]
    issues.extend(unconverted_units(r.df, plain))
    recipe = Recipe(source=opts.source, columns=list(df.columns), types=types, steps=r.steps)
    frame = pl.concat(r.changes) if r.changes else pl.DataFrame(schema=change_schema())
    tick(total, total, "done")
    return CleanResult(
        df=r.df,
        recipe=recipe,
        change_frame=frame,
        issues=issues,
        duplicates=duplicates,
        types=types,
        type_info=info,
        notes=r.notes,
    )


def _repairs(r: _Run, types: dict[str, str], issues: list[Issue], duplicates: list[Any]) -> None:
    clusters = optional_module("clusters")
    if clusters is not None:
        for step in clusters.propose_clusters(r.df, types, r.opts.synonyms):
            r.run(step)
    elif r.opts.synonyms:
        r.notes.append("synonyms were not applied: the clusters module is not installed")
    deps = optional_module("dependencies")
    if deps is not None:
        for step in deps.propose_fd_repairs(r.df, types):
            r.run(step)
    rel = optional_module("relations")
    if rel is not None:
        for step in rel.propose_relation_repairs(r.df, types):
            r.run(step)
    out = optional_module("outliers")
    if out is not None:
        issues.extend(out.find_outliers(r.df, types))
    dup = optional_module("duplicates")
    if dup is not None:
        duplicates.extend(dup.find_duplicates(r.df, types))
        if r.opts.dedupe and duplicates:
            step = _dedupe_step(dup, duplicates)
            if step is not None:
                r.run(step, force=True)
    elif r.opts.dedupe:
        r.notes.append("--dedupe had no effect: the duplicates module is not installed")


def _dedupe_step(dup: Any, clusters: list[Any]) -> StepBase | None:
    make = getattr(dup, "propose_dedupe", None)
    if callable(make):
        step = make(clusters)
        return step if isinstance(step, StepBase) else None
    cls = getattr(dup, "Dedupe", None)
    if cls is None:
        return None
    try:
        return cls(clusters=clusters)  # type: ignore[no-any-return]
    except Exception:
        return cls()  # type: ignore[no-any-return]


# --- proposals ------------------------------------------------------------------------------------
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


def propose_format(col: pl.Series, t: ColumnType) -> list[StepBase]:
    """The normalisation step for a column's type (with the parameters decided from its values)."""
    name = col.name
    conf = round(t.confidence, 4)
    ev: dict[str, Any] = {"type": t.type, **t.detail}
    if t.type in NUMERIC:
        step = _number_step(col, t, conf, ev)
        return [step] if step is not None else []
    if t.type in ("date", "datetime"):
        vals = col.drop_nulls().str.strip_chars()
        serials = bool(vals.str.contains(r"^\d{5}$").any())
        return [
            normalize.NormalizeDate(
                column=name,
                order=t.detail.get("order", "auto"),
                excel_serials=serials,
                confidence=conf,
                description=f"dates to ISO 8601 (order {t.detail.get('order', 'auto')})",
                evidence=ev,
            )
        ]
    if t.type == "time":
        return [
            normalize.NormalizeTime(
                column=name,
                seconds=bool(t.detail.get("seconds")),
                confidence=conf,
                description="times to 24-hour HH:MM",
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
                confidence=conf,
                description="e-mails trimmed and lower-cased",
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
                confidence=conf,
                description="URLs: scheme and host lower-case",
                evidence=ev,
            )
        ]
    return []


def _number_step(
    col: pl.Series, t: ColumnType, conf: float, ev: dict[str, Any]
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
    local = digits.str.replace(r"^(?:0086|86)(1[3-9]\d{9})$", "$1").str.len_chars()
    if local.len() == 0:
        return []
    vc = local.value_counts(name="n")
    return sorted(
        int(x)
        for x in vc.filter(pl.col("n") >= 0.05 * local.len()).get_column(local.name).to_list()
    )


def _rare_length(v: pl.Series, col: pl.Series) -> pl.Series:
    """Phones whose digit count almost no other phone in the column has (a digit lost or added)."""
    lengths = col.drop_nulls().str.replace_all(r"[^\d]", "").str.len_chars()
    share = lengths.value_counts(name="n").with_columns(pl.col("n") / max(1, lengths.len()))
    common = share.filter(pl.col("n") >= 0.05).get_column(lengths.name)
    return ~v.str.replace_all(r"[^\d]", "").str.len_chars().is_in(common)


def unconverted_units(df: pl.DataFrame, columns: list[str]) -> list[Issue]:
    """Numbers left with a unit in a plain-number column (another currency, a unit that does
    not fit the column's range): flagged for a person to decide."""
    issues: list[Issue] = []
    for c in columns:
        col = df.get_column(c)
        vals = col.drop_nulls().unique()
        p = parse.parse_numbers(vals.str.normalize("NFKC").str.strip_chars())
        left = vals.filter(p["ok"] & p["unit"].is_not_null())
        if left.len() == 0:
            continue
        rows = pl.int_range(0, df.height, eager=True).filter(col.is_in(left))
        for i in rows.head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind="unit_not_converted",
                    detail="a unit or currency the rest of the column does not use; left as it is",
                )
            )
    return issues


def invalid_values(df: pl.DataFrame, info: dict[str, ColumnType]) -> list[Issue]:
    """Values that still do not fit their column's type after normalisation (flagged, kept)."""
    issues: list[Issue] = []
    for c, t in info.items():
        if t.type not in NUMERIC | {
            "date",
            "datetime",
            "time",
            "email",
            "phone",
            "cn_id",
            "boolean",
        }:
            continue
        col = df.get_column(c)
        vals = col.drop_nulls().unique()
        if vals.len() == 0:
            continue
        v = vals.str.normalize("NFKC").str.strip_chars()
        if t.type in NUMERIC:
            bad = ~parse.parse_numbers(v)["ok"]
        elif t.type in ("date", "datetime"):
            bad = ~parse.parse_dates(v, t.detail.get("order", "auto"))["ok"] & ~v.str.contains(
                r"^\d{5}$"
            )
        elif t.type == "time":
            bad = ~parse.parse_times(v)["ok"]
        elif t.type == "email":
            bad = ~v.str.contains(parse.EMAIL_RE)
        elif t.type == "phone":
            bad = ~v.str.contains(parse.PHONE_RE) | _rare_length(v, col)
        elif t.type == "boolean":
            bad = v.to_frame("v").select(parse.bool_value(pl.col("v"))).to_series().is_null()
        else:
            bad = pl.Series([not parse.cn_id_valid(x) for x in v.to_list()])
        bad_vals = vals.filter(bad)
        if bad_vals.len() == 0:
            continue
        rows = pl.int_range(0, df.height, eager=True).filter(col.is_in(bad_vals))
        kind = "invalid_" + t.type
        for i in rows.head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind=kind,
                    detail=f"not a valid {t.type}; left as it is",
                )
            )
    return issues
