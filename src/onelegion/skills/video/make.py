"""Assemble a short video from a script: scenes (clips, Ken Burns on stills, or a colour field),
narration (tts.py), captions burned with libass (captions.py), an optional title card (the cover)
and background music ducked under the voice. Each scene is encoded once into a segment with the
same parameters; the segments are joined without re-encoding (straight cuts) or, with a
transition, in one xfade/acrossfade pass; music is a final audio-only pass. The output is written
beside its target and renamed when complete."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.media.ffmpeg import (
    Font,
    filter_path,
    find_ffmpeg,
    find_font,
    font_file,
    probe,
    run_ffmpeg,
)
from onelegion.skills.video.captions import chars_per_line, scene_ass, split_lines
from onelegion.skills.video.cover import render_cover
from onelegion.skills.video.genclip import ClipFailed, ClipProvider, generate_clip, require_provider
from onelegion.skills.video.models import SceneOut, VideoMakeIn, VideoMakeOut
from onelegion.skills.video.script import Scene, parse_script, resolve_media
from onelegion.skills.video.tts import choose, speak

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
TITLE_S = 2.0
MIN_SCENE_S = 2.0
CHARS_PER_S = 4.5  # reading speed of a silent scene's captions
AR = "44100"


@dataclass
class Plan:
    scene: Scene
    visual: str  # clip | generated | image | title | colour
    media: Path | None
    wav: Path | None
    voice: str
    duration: float
    lines: list[str]
    generated: str | None = None  # the provider, model and job of a generated clip


def frame_size(ratio: str, height: int | None) -> tuple[int, int]:
    """(width, height): 9:16 is height*9/16 wide (default 1080x1920), 16:9 height*16/9 (default 1920x1080)."""
    h = height or (1920 if ratio == "9:16" else 1080)
    h -= h % 2
    w = round(h * 9 / 16) if ratio == "9:16" else round(h * 16 / 9)
    return w - w % 2, h


def _classify(
    ctx: Context, ffmpeg: str, path: Path | None, notes: list[str], scene: Scene
) -> tuple[str, Path | None]:
    if path is None:
        return "colour", None
    ext = path.suffix.lower()
    if ext in IMAGE_EXT:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as im:
                im.verify()
        except (UnidentifiedImageError, OSError):
            notes.append(
                f"scene {scene.name!r}: {path.name} is not an image; shown as a colour field"
            )
            return "colour", None
        return "image", path
    try:
        pr = probe(ffmpeg, path, need_video=False)
    except UserError:
        pr = None
    if pr is None or not pr.has_video:
        notes.append(
            f"scene {scene.name!r}: {path.name} has no video stream ffmpeg can read; shown as a colour field"
        )
        return "colour", None
    if pr.duration_s > 600:
        notes.append(
            f"scene {scene.name!r}: {path.name} is {pr.duration_s / 60:.0f} min long; only its first seconds are used"
        )
    return "clip", path


def _segment_cmd(
    ffmpeg: str,
    k: int,
    still: Path | None,
    pl: Plan,
    w: int,
    h: int,
    p: VideoMakeIn,
    ass: Path | None,
    font: Font,
    cover: Path | None,
    out: Path,
    length: float,
) -> list[str]:
    """One scene's segment, ``length`` seconds long (its duration, plus the transition's overlap
    for every scene but the last)."""
    fps = p.fps
    d = f"{length:.3f}"
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    if pl.visual in ("clip", "generated"):
        assert pl.media is not None
        cmd += ["-stream_loop", "-1", "-t", d, "-i", str(pl.media)]
        vf = f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1,fps={fps}"
    elif pl.visual in ("image", "title"):
        src = still if pl.visual == "image" else cover
        assert src is not None
        # decoded once and repeated in memory (``-loop 1`` would decode the file for every frame)
        cmd += ["-framerate", str(fps), "-i", str(src)]
        rep = f"loop=loop=-1:size=1:start=0,setpts=N/{fps}/TB,"
        if pl.visual == "image":
            # Ken Burns as a slow diagonal pan over the still, pre-scaled once to 112% of the frame
            # (a per-frame crop is nearly free; per-frame zooming would cost more than the encode)
            dx = "(iw-ow)*t/{D}" if k % 2 == 0 else "(iw-ow)*(1-t/{D})"
            x = dx.format(D=d)
            y = f"(ih-oh)*(0.25+0.5*t/{d})"
            vf = f"{rep}crop={w}:{h}:x='{x}':y='{y}',setsar=1"
        else:
            vf = f"{rep}scale={w}:{h},setsar=1"
    else:
        cmd += ["-f", "lavfi", "-t", d, "-i", f"color=c=0x1f2a44:s={w}x{h}:r={fps}"]
        vf = "setsar=1"
    if ass is not None:
        vf += f",subtitles=filename={filter_path(ass)}"
        if font.directory is not None:
            vf += f":fontsdir={filter_path(font.directory)}"
    vf += ",format=yuv420p"
    if pl.wav is not None:
        cmd += ["-i", str(pl.wav)]
    else:
        cmd += ["-f", "lavfi", "-t", d, "-i", f"anullsrc=r={AR}:cl=stereo"]
    cmd += ["-map", "0:v:0", "-map", "1:a:0", "-vf", vf]
    cmd += ["-af", f"aresample={AR},aformat=channel_layouts=stereo,apad", "-t", d]
    cmd += [
        "-c:v",
        "libx264",
        "-preset",
        p.preset,
        "-crf",
        str(p.crf),
        "-r",
        str(fps),
        "-g",
        str(fps * 2),
    ]
    cmd += ["-c:a", "aac", "-b:a", "128k", "-ar", AR, "-ac", "2", "-video_track_timescale", "90000"]
    cmd += ["-progress", "pipe:1", "-nostats", str(out)]
    return cmd


def xfade_offsets(durations: list[float]) -> list[float]:
    """Where each transition starts in the output. Every segment but the last is rendered one
    transition longer than its scene, so transition k starts exactly where scene k ends and the
    output keeps the scenes' total length."""
    out: list[float] = []
    t = 0.0
    for d in durations[:-1]:
        t += d
        out.append(round(t, 3))
    return out


def _xfade_graph(durations: list[float], kind: str, d: float) -> str:
    """The filter graph joining n segments with ``kind`` transitions (video xfade, audio acrossfade)."""
    offsets = xfade_offsets(durations)
    parts: list[str] = []
    v, a = "[0:v]", "[0:a]"
    for k, off in enumerate(offsets, start=1):
        last = k == len(offsets)
        vo, ao = ("[v]", "[a]") if last else (f"[v{k}]", f"[a{k}]")
        parts.append(f"{v}[{k}:v]xfade=transition={kind}:duration={d:.3f}:offset={off:.3f}{vo}")
        parts.append(f"{a}[{k}:a]acrossfade=d={d:.3f}:c1=tri:c2=tri{ao}")
        v, a = vo, ao
    return ";".join(parts)


def _prescale(image: Path | None, w: int, h: int, out: Path) -> Path:
    """The still cropped to fill 112% of the frame (EXIF rotation applied), once, with Pillow."""
    from PIL import Image, ImageOps

    assert image is not None
    bw, bh = int(w * 1.12) // 2 * 2, int(h * 1.12) // 2 * 2
    with Image.open(image) as im:
        pic = ImageOps.exif_transpose(im).convert("RGB")
    ImageOps.fit(pic, (bw, bh), Image.Resampling.LANCZOS).save(out, compress_level=1)
    return out


def run_make(ctx: Context, p: VideoMakeIn) -> VideoMakeOut:
    t0 = time.perf_counter()
    try:
        text = p.script.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{p.script.name} is not UTF-8 text", hint="save the script as UTF-8 Markdown"
        ) from None
    output = p.output or p.script.with_suffix(".mp4")
    inputs = {p.script.resolve(), *((p.music.resolve(),) if p.music else ())}
    if output.resolve() in inputs:
        raise UserError(
            f"the output {output.name} is an input file; inputs are never overwritten",
            hint="choose another -o",
        )
    if output.suffix.lower() not in (".mp4", ".mov", ".m4v"):
        raise UserError(f"the output {output.name} must end in .mp4", hint="-o out.mp4")
    script = parse_script(text)
    asking = [sc.name for sc in script.scenes if sc.prompt]
    provider: ClipProvider | None = require_provider(ctx, p.ratio, asking) if asking else None
    ffmpeg = find_ffmpeg("make a video")
    font = font_file(p.font) if p.title_card else find_font(p.font)
    w, h = frame_size(p.ratio, p.height)
    roots = [p.media] if p.media else []
    roots.append(p.script.parent)
    chain, voice_note = choose(ctx, p.voice)
    notes: list[str] = [voice_note] if voice_note else []
    work = ctx.path("scenes")
    work.mkdir(exist_ok=True)

    plans: list[Plan] = []
    cover_png: Path | None = None
    if p.title_card and script.title:
        cover_img, _ = render_cover(script.title, "", None, w, h, font)
        cover_png = work / "title.png"
        cover_img.save(cover_png)
        plans.append(Plan(Scene("title", "", None), "title", None, None, "silent", TITLE_S, []))
    voices_used: set[str] = set()
    generated: dict[int, str] = {}  # scene number -> what generated its clip
    for i, sc in enumerate(ctx.track(script.scenes, message="voicing")):
        media = None
        if sc.media:
            media = resolve_media(sc.media, roots)
            if media is None:
                notes.append(
                    f"scene {sc.name!r}: media {sc.media} not found; shown as a colour field"
                )
        visual, media = _classify(ctx, ffmpeg, media, notes, sc)
        wav = work / f"voice-{i + 1:03d}.wav"
        used, secs, failure = speak(ctx, chain, sc.narration, wav)
        if failure:
            notes.append(f"scene {sc.name!r}: {failure}; used {used}")
        voices_used.add(used)
        if used == "silent":
            wav.unlink(missing_ok=True)
            dur = max(MIN_SCENE_S, len(sc.narration) / CHARS_PER_S)
            if visual == "clip" and media is not None and not sc.narration:
                dur = min(probe(ffmpeg, media).duration_s or MIN_SCENE_S, 10.0)
        else:
            dur = max(MIN_SCENE_S, secs + 0.35)
        if sc.prompt and provider is not None:
            clip = work / f"generated-{i + 1:03d}.mp4"
            ref = media if visual == "image" else None
            try:
                job = generate_clip(
                    ctx, provider, ffmpeg, sc.prompt, dur, ref, clip, f"scene {sc.name}"
                )
            except ClipFailed as e:
                shown = {"image": "the given image", "clip": "the given clip"}.get(
                    visual, "a colour field"
                )
                notes.append(f"scene {sc.name!r}: {e}; shown as {shown}")
            else:
                generated[i] = f"{provider.model} @ {provider.where}, job {job}" + (
                    f", from {ref.name}" if ref else ""
                )
                visual, media = "generated", clip
                if used == "silent" and not sc.narration:
                    dur = min(probe(ffmpeg, clip).duration_s or MIN_SCENE_S, 10.0)
        lines = split_lines(sc.narration, chars_per_line(w, h)) if p.captions else []
        plans.append(
            Plan(
                sc,
                visual,
                media,
                None if used == "silent" else wav,
                used,
                round(dur, 3),
                lines,
                generated.get(i),
            )
        )

    total = sum(pl.duration for pl in plans)
    transition = p.transition if len(plans) > 1 else "none"
    overlap = p.transition_s if transition != "none" else 0.0
    segs: list[Path] = []
    done = 0.0
    for k, pl in enumerate(plans):
        ass_path = None
        if pl.lines:
            ass_path = work / f"captions-{k:03d}.ass"
            scene_ass(pl.lines, pl.duration - (0.35 if pl.wav else 0.0), w, h, font).save(
                str(ass_path)
            )
        seg = work / f"seg-{k:03d}.mp4"
        still = (
            _prescale(pl.media, w, h, work / f"still-{k:03d}.png") if pl.visual == "image" else None
        )
        length = pl.duration + (overlap if k < len(plans) - 1 else 0.0)
        cmd = _segment_cmd(ffmpeg, k, still, pl, w, h, p, ass_path, font, cover_png, seg, length)
        run_ffmpeg(
            ctx,
            cmd,
            length,
            message=f"scene {k + 1}/{len(plans)}",
            what=f"ffmpeg could not render scene {pl.scene.name!r}",
            offset=done,
            total=total,
        )
        done += pl.duration
        segs.append(seg)

    listing = work / "concat.txt"
    write_text(listing, "".join(f"file '{s.name}'\n" for s in segs))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.part.mp4")
    joined = work / "joined.mp4"
    try:
        base = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
        if transition == "none":
            join = ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy"]
        else:
            join = [a for s in segs for a in ("-i", str(s))]
            join += [
                "-filter_complex",
                _xfade_graph([pl.duration for pl in plans], transition, overlap),
            ]
            join += ["-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", p.preset]
            join += [
                "-crf",
                str(p.crf),
                "-r",
                str(p.fps),
                "-g",
                str(p.fps * 2),
                "-pix_fmt",
                "yuv420p",
            ]
            join += ["-c:a", "aac", "-b:a", "128k", "-ar", AR, "-ac", "2"]
        run_ffmpeg(
            ctx if transition != "none" else None,
            [
                *base,
                *join,
                "-movflags",
                "+faststart",
                "-progress",
                "pipe:1",
                "-nostats",
                str(joined if p.music else tmp),
            ],
            total,
            message=f"transitions ({transition})",
            what="ffmpeg could not join the scenes",
        )
        if p.music:
            mix = (
                f"[1:a]aresample={AR},aformat=channel_layouts=stereo,volume={p.music_volume}[m];"
                "[0:a]asplit=2[v1][v2];"
                "[m][v1]sidechaincompress=threshold=0.02:ratio=10:attack=15:release=350[ducked];"
                "[v2][ducked]amix=inputs=2:duration=first:normalize=0[a]"
            )
            run_ffmpeg(
                None,
                [
                    *base,
                    "-i",
                    str(joined),
                    "-stream_loop",
                    "-1",
                    "-i",
                    str(p.music),
                    "-filter_complex",
                    mix,
                    "-map",
                    "0:v",
                    "-map",
                    "[a]",
                    "-c:v",
                    "copy",
                    "-c:a",
                    "aac",
                    "-b:a",
                    "160k",
                    "-t",
                    f"{total:.3f}",
                    "-movflags",
                    "+faststart",
                    "-progress",
                    "pipe:1",
                    "-nostats",
                    str(tmp),
                ],
                total,
                what="ffmpeg could not mix the music",
            )
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
        for f in [*segs, joined]:
            f.unlink(
                missing_ok=True
            )  # intermediate video; voices, captions and the title card stay
    final = probe(ffmpeg, output)
    ctx.artifact("video", output, description="The assembled video")
    if cover_png is not None:
        ctx.artifact("title.png", cover_png, description="The title card")
    for pl in plans:
        if pl.generated and pl.media is not None:
            ctx.artifact(pl.media.name, pl.media, description=f"Generated clip ({pl.generated})")
    scenes = [
        SceneOut(
            index=k if plans[0].visual == "title" else k + 1,
            name=pl.scene.name,
            visual={"title": "title card", "generated": "generated clip"}.get(pl.visual, pl.visual),
            media=str(pl.media) if pl.media else None,
            prompt=pl.scene.prompt,
            generated_by=pl.generated,
            narration=pl.scene.narration,
            voice=pl.voice,
            duration_s=pl.duration,
            captions=len(pl.lines),
            caption_lines=pl.lines,
        )
        for k, pl in enumerate(plans)
    ]
    spoken = sorted(v for v in voices_used if v != "silent")
    voice = (
        ", ".join({"openai": "OpenAI-compatible TTS", "espeak": "espeak-ng"}[v] for v in spoken)
        or "silent"
    )
    result = VideoMakeOut(
        output=output,
        width=final.width,
        height=final.height,
        duration_s=round(final.duration_s, 2),
        scenes=scenes,
        voice=voice,
        transition=transition,
        font=f"{font.family} ({font.origin})",
        notes=notes,
        seconds_to_render=round(time.perf_counter() - t0, 2),
    )
    from onelegion.skills.video.report import thumbnails, video_report

    ctx.progress(total, total, "report")
    rep = ctx.path("report.html")
    write_text(rep, video_report(result, thumbnails(ffmpeg, result), p.music, p.music_volume))
    ctx.artifact("report.html", rep, description="Scenes, thumbnails, sources and audio (HTML)")
    result.report = rep
    return result
