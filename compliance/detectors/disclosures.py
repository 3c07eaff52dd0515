"""Detector: disclosure expressions in every surface, with kind, clarity and placement."""

from __future__ import annotations

from typing import NamedTuple

import regex

from compliance.lexicon.matcher import Hit
from compliance.lexicon.store import Lexicons
from compliance.rules.schema import PackSettings
from compliance.text.parse import ParsedPost
from compliance.text.surface import Surface, hashtag_key

CLARITY_RANK = {"contradiction": 4, "clear": 3, "uncertain": 2, "ambiguous": 1}

# '# ad', '#a.d', '#a d', '#s-p-o-n-s-o-r-e-d': a hashtag spelled so that it no longer reads as one
_SPACED_TAG = regex.compile(
    r"(?<![\p{L}\p{N}_#&])#(?:[^\S\n]+\p{L}+|\p{L}(?:[.·•_\-][^\S\n]?\p{L}|[^\S\n]\p{L}(?!\p{L})){1,20})"
)
_TAG_SPACING = regex.compile(r"[\s.·•_\-]")  # what `_SPACED_TAG` lets stand between the letters


class FoundDisclosure(NamedTuple):
    surface: str
    start: int  # normalised offsets within the surface
    end: int
    text: str
    kind: str
    clarity: str
    language: str
    pattern: str
    source: str
    replacement: str | None
    obfuscated: str | None
    above_fold: bool
    in_hashtag_block: bool
    at_end: bool
    start_s: float | None = None
    end_s: float | None = None

    @property
    def visible_upfront(self) -> bool:
        return self.above_fold and not self.in_hashtag_block and not self.at_end


def _spaced_hits(surface: Surface, lexicons: Lexicons) -> list[Hit]:
    if "#" not in surface.text:
        return []
    out = []
    for m in _SPACED_TAG.finditer(surface.text):
        key = hashtag_key(_TAG_SPACING.sub("", m.group(0)[1:]))
        for lang, entry in lexicons.disclosures.hashtags.get(key, ()):
            if entry.clarity == "clear":
                out.append(
                    Hit(
                        entry,
                        m.start(),
                        m.end(),
                        m.group(0),
                        f"{lang}:spaced:{entry.term}",
                        lang,
                        "spaced_letters",
                    )
                )
                break
    return out


def _resolve_overlaps(hits: list[Hit], post_lang: str = "und") -> list[Hit]:
    """Of hits that overlap, keep the most telling: contradiction > clear > ... then longest.
    The same words listed in several languages ("#ambassador") are read in the post's
    language first, then English."""
    if len(hits) < 2:
        return hits  # nothing to choose between (most posts)
    by_span: dict[tuple[int, int], Hit] = {}
    for h in hits:
        key = (h.start, h.end)
        best = by_span.get(key)
        if best is None or _lang_pref(h, post_lang) > _lang_pref(best, post_lang):
            by_span[key] = h
    ranked = sorted(
        by_span.values(),
        key=lambda h: (
            h.language != post_lang,
            h.language != "en",
            -CLARITY_RANK[h.entry.clarity],
            -(h.end - h.start),
            h.start,
        ),
    )
    kept: list[Hit] = []
    for h in ranked:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end))


def _lang_pref(h: Hit, post_lang: str) -> tuple[bool, bool, int]:
    return (h.language == post_lang, h.language == "en", CLARITY_RANK[h.entry.clarity])


def _placement(surface: Surface, hit: Hit, settings: PackSettings) -> tuple[bool, bool, bool]:
    above = surface.above_fold(hit.start, hit.end)
    block = surface.block_of(hit.start)
    in_block = bool(
        block and block[2][0].start != hit.start and surface.prose_words(0, block[0], at_most=1) > 0
    )
    # at the end of a long text: in its last stretch, with the endorsement all before it
    at_end = (
        len(surface) >= settings.end_of_text_min_chars
        and hit.start >= 0.6 * len(surface)
        and surface.prose_words(hit.end, len(surface), at_most=7) <= 6
        and surface.prose_words(0, hit.start, at_most=15) >= 15
    )
    return above, in_block, at_end


def find_disclosures(
    parsed: ParsedPost, lexicons: Lexicons, settings: PackSettings, timeouts: list[str]
) -> list[FoundDisclosure]:
    out: list[FoundDisclosure] = []
    for name, surface in parsed.surfaces.items():
        hits = lexicons.disclosures.find(surface, timeouts)
        hits.extend(_spaced_hits(surface, lexicons))
        for hit in _resolve_overlaps(hits, parsed.language[0]):
            above, in_block, at_end = _placement(surface, hit, settings)
            start_s = end_s = None
            seg_i = surface.segment_at(hit.start)
            if seg_i is not None and surface.segments:
                start_s = surface.segments[seg_i].start_s
                end_s = surface.segments[seg_i].end_s
            out.append(
                FoundDisclosure(
                    surface=name,
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    kind=hit.entry.kind,
                    clarity=hit.entry.clarity,
                    language=hit.language,
                    pattern=hit.pattern,
                    source=hit.entry.source,
                    replacement=getattr(hit.entry, "replacement", None),
                    obfuscated=hit.obfuscated,
                    above_fold=above,
                    in_hashtag_block=in_block,
                    at_end=at_end,
                    start_s=start_s,
                    end_s=end_s,
                )
            )
    return out
