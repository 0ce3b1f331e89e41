"""Images: pictures drawn by a configured OpenAI-compatible images provider. AI 绘画

- ``image.gen``  a prompt → PNG files, through ``[image] url`` (never required by other skills)
"""

from __future__ import annotations

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.image.models import ImageGenIn, ImageGenOut


@skill(
    "image.gen",
    title="Generate an image",
    summary="Draw a picture with the configured OpenAI-compatible images endpoint ([image] url, model; key in LEGION_IMAGE_API_KEY).",
    version="1",
    cacheable=False,  # a provider draws a new picture each time
    examples=(
        'legion image gen "春日海边，清新插画风" -o pic.png',
        'legion image gen "产品平铺图，白底" --size 1024x1792 --n 2',
    ),
)
def image_gen(ctx: Context, params: ImageGenIn) -> ImageGenOut:
    """Sends one /images/generations request (b64_json), checks each answer is an image and
    writes PNGs atomically. Without image.url it refuses in one line naming the setting."""
    from onelegion.skills.image.gen import run_gen

    return run_gen(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [image_gen]
