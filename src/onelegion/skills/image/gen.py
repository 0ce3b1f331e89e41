"""image.gen: one call to an OpenAI-compatible ``/images/generations`` endpoint through ``ctx.http``
(base64 answers, or URLs fetched the same way); every answer checked to be an image before it is
written atomically. No provider configured: a plain refusal naming the setting."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.files import write_bytes
from onelegion.skills.image.models import ImageGenIn, ImageGenOut

HINT = "legion config set image.url http://host:port/v1 (and image.model); the key goes in LEGION_IMAGE_API_KEY"


def _png(data: bytes, i: int) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            out = io.BytesIO()
            im.save(out, format="PNG")
    except (UnidentifiedImageError, OSError):
        raise UserError(
            f"the image provider's answer {i + 1} is not an image",
            hint="check image.model and the endpoint",
        ) from None
    return out.getvalue()


def run_gen(ctx: Context, p: ImageGenIn) -> ImageGenOut:
    sec = ctx.config.section("image")
    url = sec.get("url")
    if not url:
        raise UserError("no image provider configured", hint=HINT)
    model = str(sec.get("model") or "dall-e-3")
    timeout = float(sec.get("timeout") or 120)
    headers = {}
    key = os.environ.get("LEGION_IMAGE_API_KEY")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = {
        "model": model,
        "prompt": p.prompt,
        "n": p.n,
        "size": p.size,
        "response_format": "b64_json",
    }
    endpoint = str(url).rstrip("/") + "/images/generations"
    parts = urlsplit(endpoint)
    where = f"{parts.scheme}://{parts.netloc}"
    ctx.progress(0, p.n, "drawing")
    with ctx.http.client(timeout=timeout) as c:
        try:
            r = c.post(endpoint, json=body, headers=headers)
        except Exception as e:  # network errors of any transport: one line, not a traceback
            raise UserError(
                f"the image provider at {where} did not answer ({type(e).__name__})", hint=HINT
            ) from None
        if r.status_code != 200:
            msg = ""
            try:
                msg = str(r.json().get("error", {}).get("message", ""))[:200]
            except Exception:
                msg = r.text[:200]
            raise UserError(
                f"the image provider answered HTTP {r.status_code}: {msg}".rstrip(": "),
                hint="check image.url, image.model and LEGION_IMAGE_API_KEY",
            )
        try:
            items = r.json()["data"]
        except (ValueError, KeyError, TypeError):
            raise UserError(
                "the image provider's answer has no 'data' list",
                hint="is image.url an OpenAI-compatible images API?",
            ) from None
        images: list[bytes] = []
        revised = None
        for i, it in enumerate(items[: p.n]):
            if it.get("b64_json"):
                try:
                    raw = base64.b64decode(it["b64_json"], validate=True)
                except ValueError:
                    raise UserError(
                        f"the image provider's answer {i + 1} is not valid base64"
                    ) from None
            elif it.get("url"):
                got = c.get(it["url"])
                if got.status_code != 200:
                    raise UserError(f"could not download image {i + 1}: HTTP {got.status_code}")
                raw = got.content
            else:
                raise UserError(f"the image provider's answer {i + 1} has neither b64_json nor url")
            images.append(_png(raw, i))
            revised = revised or it.get("revised_prompt")
            ctx.progress(i + 1, p.n, "drawing")
    if not images:
        raise UserError("the image provider returned no image", hint="try another prompt or model")
    base = p.output or ctx.path("image.png")
    files: list[Path] = []
    for i, data in enumerate(images):
        target = (
            base
            if len(images) == 1
            else base.with_name(f"{base.stem}-{i + 1}{base.suffix or '.png'}")
        )
        write_bytes(target, data)
        ctx.artifact(target.name, target, description="Generated image")
        files.append(target)
    return ImageGenOut(files=files, model=model, endpoint=where, revised_prompt=revised)
