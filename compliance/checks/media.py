"""Check kinds about the medium: in-video, audio and visual, timing, livestreams, platform tools."""

from __future__ import annotations

from compliance.checks.base import CheckContext, Draft
from compliance.rules.schema import Rule

IN_VIDEO = ("transcript", "on_screen_text")
GOOD = ("clear", "uncertain")


def _media_given(ctx: CheckContext) -> list[str]:
    return [name for name in IN_VIDEO if name in ctx.parsed.surfaces]


def disclosure_channel(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Param `mode`: in_video | unverifiable | both_channels | timing | livestream | platform_tool."""
    mode = rule.params.get("mode", "in_video")
    if not ctx.connected:
        return []
    if mode != "platform_tool" and "video" not in ctx.parsed.media:
        return []  # every other mode is about a video (the common case: a caption)
    sev, conf, reasons = ctx.severity(rule)
    given = _media_given(ctx)
    in_video = ctx.of(*GOOD, surfaces=IN_VIDEO)
    anywhere = ctx.of(*GOOD)

    def draft(**values: object) -> Draft:
        return Draft(values=values, confidence=conf, reasons=list(reasons), severity=sev)

    if mode == "platform_tool":
        if ctx.post.platform_disclosure_tool and not anywhere:
            return [draft(platform=ctx.post.platform.value)]
        return []
    if mode == "unverifiable":
        return [draft()] if not given else []
    if not given:
        return []
    if mode == "in_video":
        if in_video:
            return []
        where = (
            "in the description only"
            if ctx.of(*GOOD, surfaces=("text", "title"))
            else "nowhere at all"
        )
        return [draft(where=where, media=" and ".join(given))]
    if mode == "both_channels":
        if len(given) < 2 or not in_video:
            return []
        have = {d.surface for d in in_video}
        missing = [m for m in IN_VIDEO if m not in have]
        if not missing:
            return []
        words = {"transcript": "said aloud", "on_screen_text": "shown on screen"}
        return [draft(missing=words[missing[0]], present=words[next(iter(have))])]
    if mode == "timing":
        if not in_video or ctx.post.is_livestream:
            return []
        first = min(in_video, key=lambda d: d.start_s or 0.0)
        limit = float(rule.params.get("within_s", ctx.settings.video_first_disclosure_s))
        if (first.start_s or 0.0) <= limit:
            return []
        d = draft(first_s=round(first.start_s or 0.0, 1), limit_s=limit, term=first.text)
        d.surface, d.start, d.end = first.surface, first.start, first.end
        d.start_s, d.end_s = first.start_s, first.end_s
        d.evidence = [ctx.evidence_of(first)]
        return [d]
    if mode == "livestream":
        if not ctx.post.is_livestream or not in_video:
            return []
        interval = float(rule.params.get("interval_s", ctx.settings.livestream_interval_s))
        duration = ctx.post.duration_s or max((d.end_s or 0.0) for d in in_video)
        covered = sorted(
            (d.start_s or 0.0, max(d.end_s or 0.0, d.start_s or 0.0)) for d in in_video
        )
        gaps, reach = [], 0.0
        for start, end in covered:
            if start > reach:
                gaps.append((reach, start))
            reach = max(reach, end)
        if duration > reach:
            gaps.append((reach, duration))
        worst = max(gaps, key=lambda g: g[1] - g[0], default=(0.0, 0.0))
        if worst[1] - worst[0] <= interval:
            return []
        times = covered
        d = draft(
            gap_min=round((worst[1] - worst[0]) / 60, 1),
            interval_min=round(interval / 60, 1),
            from_s=worst[0],
            to_s=worst[1],
            count=len(times),
        )
        d.start_s, d.end_s = worst[0], worst[1]
        d.surface = "transcript" if "transcript" in given else given[0]
        return [d]
    raise ValueError(f"unknown mode {mode!r}")
