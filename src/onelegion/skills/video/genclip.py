"""AI video clips for scenes marked ``generate: <prompt>``, from a configured provider through
``ctx.http``. The API shape is OpenAI's Videos API (also served by OpenAI-compatible gateways):

    POST {clip_url}/videos               multipart: model, prompt, seconds, size [, input_reference]
                                         -> {"id": "video_…", "object": "video", "status": "queued", …}
    GET  {clip_url}/videos/{id}          -> status queued | in_progress | completed | failed
                                            (+ "progress" 0..100, "error": {"code", "message"})
    GET  {clip_url}/videos/{id}/content  -> the MP4

A scene that also names an image sends it as ``input_reference`` (image to video). The job is
polled every ``clip_poll`` seconds until ``clip_timeout``; the download is checked to be a video
ffmpeg can read. No endpoint configured: :func:`require_provider` refuses in one line; a clip is
never made up."""

from __future__ import annotations

import mimetypes
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.media.ffmpeg import probe

if TYPE_CHECKING:
    import httpx2

MAX_CLIP_BYTES = 512 << 20  # a few seconds of provider video is tens of MB
HINT = (
    "legion config set video.clip_url http://host:port/v1 (OpenAI Videos API shape; key in "
    "LEGION_VIDEO_API_KEY), or remove the scenes' 'generate:' lines"
)


class ClipFailed(Exception):
    """The provider did not deliver this clip (the scene falls back; the run goes on)."""


@dataclass
class ClipProvider:
    url: str
    model: str
    size: str
    lengths: list[int]
    timeout: float
    poll: float

    @property
    def where(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def require_provider(ctx: Context, ratio: str, scenes: list[str]) -> ClipProvider:
    """The configured provider, or a one-line refusal naming the scenes that asked for one."""
    sec = ctx.config.section("video")
    url = sec.get("clip_url")
    if not url:
        named = ", ".join(repr(s) for s in scenes[:3]) + (" …" if len(scenes) > 3 else "")
        raise UserError(
            f"scene {named} asks for a generated clip but no video provider is configured",
            hint=HINT,
        )
    lengths = sec.get("clip_seconds") or [4, 8, 12]
    return ClipProvider(
        url=str(url).rstrip("/"),
        model=str(sec.get("clip_model") or "sora-2"),
        size=str(sec.get("clip_size") or ("720x1280" if ratio == "9:16" else "1280x720")),
        lengths=sorted(int(x) for x in lengths),
        timeout=float(sec.get("clip_timeout") or 600),
        poll=float(sec.get("clip_poll") or 5),
    )


def seconds_for(lengths: list[int], duration: float) -> int:
    """The shortest accepted clip length that covers ``duration`` (else the longest)."""
    for n in lengths:
        if n >= duration:
            return n
    return lengths[-1]


def _error(r: object) -> str:
    try:
        body = r.json()  # type: ignore[attr-defined]
        return str((body.get("error") or {}).get("message") or "")[:200]
    except Exception:
        return str(getattr(r, "text", ""))[:200]


def _download(c: httpx2.Client, url: str, headers: dict[str, str], out: Path) -> None:
    """Stream the finished clip into ``out``, at most MAX_CLIP_BYTES."""
    size = 0
    try:
        with c.stream("GET", url, headers=headers) as got:
            if got.status_code != 200:
                raise ClipFailed(f"could not download the generated clip: HTTP {got.status_code}")
            with out.open("wb") as f:
                for chunk in got.iter_bytes():
                    size += len(chunk)
                    if size > MAX_CLIP_BYTES:
                        raise ClipFailed(
                            f"the generated clip is larger than {MAX_CLIP_BYTES:,} bytes; not used"
                        )
                    f.write(chunk)
    except ClipFailed:
        out.unlink(missing_ok=True)
        raise
    except Exception as e:  # any transport error
        out.unlink(missing_ok=True)
        raise ClipFailed(f"could not download the generated clip ({type(e).__name__})") from None


def generate_clip(
    ctx: Context,
    prov: ClipProvider,
    ffmpeg: str,
    prompt: str,
    duration: float,
    reference: Path | None,
    out: Path,
    label: str,
) -> str:
    """Submit, poll and download one clip into ``out``; returns the job id. Raises ClipFailed."""
    headers = {}
    key = os.environ.get("LEGION_VIDEO_API_KEY")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    form: dict[str, tuple[str | None, bytes | str, str] | tuple[None, str]] = {
        "model": (None, prov.model),
        "prompt": (None, prompt),
        "seconds": (None, str(seconds_for(prov.lengths, duration))),
        "size": (None, prov.size),
    }
    if reference is not None:
        mime = mimetypes.guess_type(reference.name)[0] or "application/octet-stream"
        form["input_reference"] = (reference.name, reference.read_bytes(), mime)
    deadline = time.monotonic() + prov.timeout
    # one request waits at most 120 s (at least 10); the whole job at most clip_timeout
    with ctx.http.client(retries=1, timeout=max(10.0, min(prov.timeout, 120.0))) as c:
        try:
            r = c.post(f"{prov.url}/videos", files=form, headers=headers)
        except Exception as e:  # any transport error: this scene falls back
            raise ClipFailed(
                f"the video provider at {prov.where} did not answer ({type(e).__name__})"
            ) from None
        if r.status_code not in (200, 201, 202):
            raise ClipFailed(
                f"the video provider answered HTTP {r.status_code}: {_error(r)}".rstrip(": ")
            )
        try:
            job = r.json()
            vid = str(job["id"])
        except (ValueError, KeyError, TypeError):
            raise ClipFailed("the video provider's answer has no job id") from None
        status = str(job.get("status") or "queued")
        path = f"{prov.url}/videos/{quote(vid, safe='')}"
        while status != "completed":
            if status == "failed":
                err = job.get("error") or {}
                msg = err.get("message") if isinstance(err, dict) else str(err)
                raise ClipFailed(
                    f"the video provider's job {vid} failed: {msg or 'no reason given'}"
                )
            if status not in ("queued", "in_progress"):
                raise ClipFailed(f"the video provider's job {vid} is {status!r}")
            if time.monotonic() >= deadline:
                raise ClipFailed(
                    f"the video provider's job {vid} was not done after {prov.timeout:g} s (video.clip_timeout)"
                )
            pct = job.get("progress")
            ctx.progress(
                float(pct) if isinstance(pct, int | float) else 0.0,
                100.0,
                f"{label}: generating ({status})",
            )
            ctx.sleep(min(prov.poll, max(0.0, deadline - time.monotonic())))
            try:
                r = c.get(path, headers=headers)
                job = r.json() if r.status_code == 200 else {}
            except Exception as e:
                raise ClipFailed(
                    f"lost the video provider while polling ({type(e).__name__})"
                ) from None
            if r.status_code != 200:
                raise ClipFailed(
                    f"the video provider answered HTTP {r.status_code} while polling: {_error(r)}".rstrip(
                        ": "
                    )
                )
            status = str(job.get("status") or "")
        _download(c, f"{path}/content", headers, out)
    try:
        pr = probe(ffmpeg, out, need_video=False)
    except UserError:
        pr = None
    if pr is None or not pr.has_video:
        out.unlink(missing_ok=True)
        raise ClipFailed("the video provider's download is not a video ffmpeg can read")
    return vid
