"""With ``--llm``: a short explanation of the top hits grounded in the computed numbers, and five
title drafts that follow the mined patterns. One call through the gateway (recorded, cached,
budgeted like every LLM call); no model configured -> one actionable line (NoModelConfigured).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.skills.accounts.models import Element, Hit, Pattern

SYSTEM = (
    "You are a careful content analyst for a solo creator. Use only the numbers given; never invent "
    "figures, accounts or facts. Answer in the language of the titles."
)


class Drafts(BaseModel):
    explanation: str = Field(
        description="At most 4 sentences: why the top hits over-performed, citing the given ratios, "
        "elements (with their effect and interval) and patterns; say where evidence is thin."
    )
    titles: list[str] = Field(
        description="Exactly five new title drafts that follow the mined patterns."
    )


def prompt_for(hits: list[Hit], elements: list[Element], patterns: list[Pattern]) -> str:
    lines = ["Top hits (ratio to the account's own baseline at the same age):"]
    lines += [f"- [{h.account}] {h.title} — {h.why}" for h in hits[:8]] or ["- none"]
    lines.append(
        "Elements significant after false-discovery control (effect = multiplier on the count, 95% interval):"
    )
    sig = [e for e in elements if e.significant]
    lines += [
        f"- {e.label}: effect {e.effect:.2f}x [{e.effect_ci[0]:.2f}, {e.effect_ci[1]:.2f}], "
        f"hit rate {e.hit_rate:.1%} vs {e.base_rate:.1%} without, {e.posts} posts"
        for e in sig
    ] or ["- none (too little evidence)"]
    lines.append("Title patterns frequent among hits ({N} = a number):")
    lines += [
        f"- {p.template}: {p.hits} hits of {p.posts} posts, lift {p.lift:.1f}; e.g. {' / '.join(p.examples[:2])}"
        for p in patterns[:8]
    ] or ["- none"]
    lines.append(
        "Explain briefly why these hits worked, grounded in the numbers above, and write five new "
        "titles that use the significant elements and the patterns."
    )
    return "\n".join(lines)


def draft(
    ctx: Context, hits: list[Hit], elements: list[Element], patterns: list[Pattern]
) -> Drafts:
    out = ctx.llm.ask(prompt_for(hits, elements, patterns), output_type=Drafts, system=SYSTEM)
    out.titles = [t.strip() for t in out.titles if t.strip()][:5]
    return out
