"""Detector: misleading claims, with the context they need, negation and hedging.

A claim pattern is a candidate; it becomes a claim when the contexts it requires occur in the
same sentence near it (a cure claim needs a disease: "cured meats" is not a health claim), it is
not negated just before ("this won't cure anything"), and a hedge ("may help") lowers an error
to a warning and the confidence (a hedged claim still needs substantiation). Lemma entries have been expanded to every word form (lexicon/lemmas.py).
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

from compliance.lexicon.claims import LanguageClaims
from compliance.lexicon.matcher import Hit, bounded_search
from compliance.lexicon.store import Lexicons
from compliance.text.parse import ParsedPost
from compliance.text.surface import Surface

MAX_CLAIM_HITS = 200  # per surface: enough for any real post, bounded for hostile input

SEVERITY_ORDER = ("info", "warning", "error")
NEGATION_WORDS_BEFORE = 5
SURFACES = ("title", "text", "transcript", "on_screen_text")


class FoundClaim(NamedTuple):
    surface: str
    start: int
    end: int
    text: str
    category: str
    subtype: str
    severity: str
    language: str
    pattern: str
    source: str
    hedged: bool
    contexts: tuple[str, ...]
    detector: str = "claim-lexicon"
    start_s: float | None = None
    end_s: float | None = None


def lower_severity(severity: str) -> str:
    """One step down, but a claim stays at least a warning: "may help" still needs proof."""
    i = SEVERITY_ORDER.index(severity)
    return SEVERITY_ORDER[max(1, i - 1)] if i >= 1 else severity


def raise_to(severity: str, other: str) -> str:
    return max(severity, other, key=SEVERITY_ORDER.index)


def sentence_of(surface: Surface, start: int, end: int) -> tuple[int, int]:
    breaks = surface.sentence_breaks
    i = bisect.bisect_right(breaks, start)
    s = breaks[i - 1] if i else 0
    j = bisect.bisect_right(breaks, end)
    e = breaks[j] if j < len(breaks) else len(surface.text)
    return s, e


def word_window(
    spans: tuple[list[int], list[int]], sent: tuple[int, int], start: int, end: int, words: int
) -> tuple[int, int, int, range]:
    """(window start, window end, start of the few words just before the claim, the window's
    words as indices into `spans`), within the claim's sentence `sent`; `spans`: the starts and
    ends of that sentence's words (`Surface.words_between`), the only words looked at."""
    starts, ends = spans
    before = bisect.bisect_left(starts, start)  # words [0, before) precede the claim
    after = bisect.bisect_left(starts, end)
    last = len(starts)  # words [after, last) follow it
    w_start = starts[before - words] if before - words >= 0 else sent[0]
    w_end = ends[after + words - 1] if after + words - 1 < last else sent[1]
    k = before - NEGATION_WORDS_BEFORE
    neg_start = starts[k] if k >= 0 else sent[0]
    return w_start, w_end, neg_start, range(max(before - words, 0), min(after + words, last))


def _resolve(claims: list[FoundClaim]) -> list[FoundClaim]:
    """Of overlapping claims of one category keep the most severe, then the longest."""
    if len(claims) < 2:
        return claims
    ranked = sorted(
        claims, key=lambda c: (-SEVERITY_ORDER.index(c.severity), -(c.end - c.start), c.start)
    )
    kept: list[FoundClaim] = []
    for c in ranked:
        if all(
            c.category != k.category
            or c.surface != k.surface
            or c.end <= k.start
            or c.start >= k.end
            for k in kept
        ):
            kept.append(c)
    return sorted(kept, key=lambda c: (SURFACES.index(c.surface), c.start, c.category))


def _qualify(
    surface: Surface, hit: Hit, lc: LanguageClaims, timeouts: list[str]
) -> FoundClaim | None:
    e = hit.entry
    sent = sentence_of(surface, hit.start, hit.end)
    starts, ends = spans = surface.words_between(*sent)
    w_start, w_end, neg_start, indices = word_window(spans, sent, hit.start, hit.end, e.window)
    needed = set(e.requires) | set(e.escalate)
    present: tuple[str, ...] = ()
    if needed:
        low = surface.lower
        window = low[w_start:w_end]
        # the window's words: read from its sentence's word spans, not found again
        words = {low[starts[i] : ends[i]] for i in indices}
        present = tuple(
            sorted(
                n
                for n in needed
                if n in lc.contexts
                and lc.contexts[n].search(window, words, timeouts, f"claims/{hit.language}: {n}")
            )
        )
    if any(r not in present for r in e.requires):
        return None
    before = surface.text[neg_start : hit.start]
    if lc.negation is not None and bounded_search(
        lc.negation, before, f"claims/{hit.language}: negation", timeouts
    ):
        return None
    severity = e.severity
    for name, sev in e.escalate.items():
        if name in present:
            severity = raise_to(severity, sev)
    hedged = lc.hedge is not None and (
        bounded_search(lc.hedge, before, f"claims/{hit.language}: hedge", timeouts) is not None
    )
    if hedged:
        severity = lower_severity(severity)
    seg_i = surface.segment_at(hit.start)
    start_s = end_s = None
    if seg_i is not None and surface.segments:
        start_s, end_s = surface.segments[seg_i].start_s, surface.segments[seg_i].end_s
    return FoundClaim(
        surface=surface.name,
        start=hit.start,
        end=hit.end,
        text=hit.text,
        category=e.category,
        subtype=e.subtype,
        severity=severity,
        language=hit.language,
        pattern=hit.pattern,
        source=e.source,
        hedged=hedged,
        contexts=present,
        start_s=start_s,
        end_s=end_s,
    )


def find_claims(parsed: ParsedPost, lexicons: Lexicons, timeouts: list[str]) -> list[FoundClaim]:
    if not lexicons.claims.patterns:
        return []
    lang = parsed.language[0]
    languages = None if lang == "und" else frozenset({"en", lang})
    out: list[FoundClaim] = []
    for name in SURFACES:
        surface = parsed.surfaces.get(name)
        if surface is None:
            continue
        for hit in lexicons.claims.find(surface, timeouts, languages)[:MAX_CLAIM_HITS]:
            lc = lexicons.claim_languages.get(hit.language)
            if lc is None:
                continue
            claim = _qualify(surface, hit, lc, timeouts)
            if claim is not None:
                out.append(claim)
    return _resolve(out)


def has_phrase(
    parsed: ParsedPost, lexicons: Lexicons, which: str, timeouts: list[str]
) -> str | None:
    """The first `typical` / `typical_results` qualifier found in the post, if any."""
    lang = parsed.language[0]
    for code in dict.fromkeys((lang, "en")):
        lc = lexicons.claim_languages.get(code)
        pattern = getattr(lc, which, None) if lc else None
        if pattern is None:
            continue
        for name in SURFACES:
            surface = parsed.surfaces.get(name)
            if surface is not None:
                m = bounded_search(pattern, surface.text, f"claims/{code}: {which}", timeouts)
                if m:
                    return m.group(0)
    return None
