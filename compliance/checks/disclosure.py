"""Check kinds about whether, how clearly and where a connection is disclosed in text."""

from __future__ import annotations

from compliance.checks.base import CheckContext, Draft, Edit
from compliance.detectors.disclosures import FoundDisclosure
from compliance.models.report import Severity
from compliance.rules.schema import Rule

UPFRONT_SURFACES = ("text", "title")
MIXED_LANGUAGE_EVIDENCE = 1.0
ATTEMPTS = ("clear", "uncertain", "ambiguous")


def _draft_at(ctx: CheckContext, rule: Rule, d: FoundDisclosure, **values: object) -> Draft:
    sev, conf, reasons = ctx.severity(rule)
    return Draft(
        surface=d.surface,
        start=d.start,
        end=d.end,
        start_s=d.start_s,
        end_s=d.end_s,
        values={"term": d.text, "language": d.language, "kind_key": d.kind, **values},
        evidence=[ctx.evidence_of(d)],
        confidence=conf,
        reasons=reasons,
        severity=sev,
    )


def connection_without_disclosure(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A connection exists (declared or inferred) and nothing at all discloses it."""
    if not ctx.connected or ctx.of(*ATTEMPTS):
        return []
    sev, conf, reasons = ctx.severity(rule)
    signals = [s for s in ctx.connection.signals if s.surface == "text"]
    kind = ctx.connection.kinds[0] if ctx.connection.kinds else "paid"
    draft = Draft(
        values={
            "connection": ctx.connection_words(),
            "status": ctx.connection.status,
            "signals": ", ".join(f"'{t}'" for t in list(dict.fromkeys(s.text for s in signals))[:3])
            or "none in the text",
            "label": ctx.label(kind),
            "kind_key": kind,
        },
        confidence=conf,
        reasons=reasons,
        severity=sev,
        edits=[ctx.insert_label(kind)],
    )
    if signals:
        first = min(signals, key=lambda s: s.start)
        draft.start, draft.end = first.start, first.end
        draft.evidence = [
            (s.detector, s.pattern, s.surface, s.start, s.end, s.source) for s in signals[:5]
        ]
    return [draft]


def disclosure_term_clarity(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Only unclear wording (param `clarity`: ambiguous | uncertain) and no clear disclosure."""
    clarity = rule.params.get("clarity", "ambiguous")
    if not ctx.connected or ctx.of("clear"):
        return []
    out = []
    for d in ctx.of(clarity)[:3]:
        draft = _draft_at(ctx, rule, d, label=ctx.label(d.kind))
        if d.replacement and d.surface == "text" and d.visible_upfront:
            draft.edits = [Edit(d.surface, d.start, d.end, d.replacement)]
        elif d.replacement and d.surface == "text":  # reword it and bring it to the front
            draft.edits = [
                Edit("text", 0, 0, ctx.as_prefix(d.replacement)),
                ctx.delete("text", d.start, d.end),
            ]
        else:
            draft.edits = [ctx.insert_label(d.kind)]
        out.append(draft)
    return out


def disclosure_placement(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A disclosure exists but not where people see it (param `zone`)."""
    zone = rule.params.get("zone", "fold")
    if not ctx.connected:
        return []
    cands = ctx.of("clear", "uncertain", surfaces=UPFRONT_SURFACES)
    if not cands or any(d.surface == "title" for d in cands):
        return []
    if zone == "story_end":
        return _story_end(ctx, rule, cands)
    if any(d.visible_upfront for d in cands):
        return []
    any_above = any(d.above_fold for d in cands)
    if zone == "fold":
        target = None if any_above else cands[0]
        values = {"fold": ctx.parsed.text.fold_end, "position": cands[0].start}
    elif zone == "hashtag_block":
        target = next((d for d in cands if d.in_hashtag_block), None)
        values = {"position": target.start if target else 0}
    elif zone == "end_of_text":
        target = next((d for d in cands if d.at_end), None)
        values = {"position": target.start if target else 0, "length": len(ctx.parsed.text)}
    else:
        raise ValueError(f"unknown zone {zone!r}")
    if target is None:
        return []
    draft = _draft_at(ctx, rule, target, **values)
    draft.edits = _move_to_front(ctx, target)
    return [draft]


def _move_to_front(ctx: CheckContext, d: FoundDisclosure) -> list[Edit]:
    moved = d.text if not d.obfuscated else (d.replacement or d.text)
    end = d.end
    if ":label:" in d.pattern:  # "Ad: ..." -> move the label with its separator
        text = ctx.parsed.text.text
        while end < len(text) and text[end] in " :|-–—":
            end += 1
        moved += ":"
    return [Edit("text", 0, 0, moved + " "), ctx.delete("text", d.start, end)]


def _story_end(ctx: CheckContext, rule: Rule, cands: list[FoundDisclosure]) -> list[Draft]:
    """On a story frame the label comes last, after everything else people read."""
    text = ctx.parsed.text
    min_words = int(rule.params.get("min_words_before", 5))
    if any(text.prose_words(0, d.start, at_most=min_words) < min_words for d in cands):
        return []
    last = cands[-1]
    if text.prose_words(last.end, len(text), at_most=1) > 0:
        return []
    draft = _draft_at(ctx, rule, last, position=last.start)
    draft.edits = _move_to_front(ctx, last)
    return [draft]


def disclosure_language(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Disclosures exist, but none in the language of the post."""
    lang = ctx.language
    if lang == "und" or lang not in ctx.lexicons.labels or not ctx.connected:
        return []
    cands = ctx.of("clear", "uncertain")
    if not cands or any(d.language == lang for d in cands):
        return []
    # a post written in two languages may disclose in either of them
    if any(ctx.parsed.language_evidence(d.language) >= MIXED_LANGUAGE_EVIDENCE for d in cands):
        return []
    d = cands[0]
    draft = _draft_at(ctx, rule, d, post_language=lang, label=ctx.label("ad", lang))
    draft.confidence = round(draft.confidence * ctx.parsed.language[1], 3)
    draft.reasons.append(
        f"post language '{lang}' ({ctx.parsed.language[2]}, confidence "
        f"{ctx.parsed.language[1]:.2f})"
    )
    draft.edits = [ctx.insert_label("ad", lang)]
    return [draft]


def disclosure_contradicted(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """The post says it is not an ad / not sponsored while a connection exists."""
    if not ctx.connected:
        return []
    out = []
    for d in ctx.of("contradiction")[:2]:
        draft = _draft_at(ctx, rule, d)
        if d.surface == "text":
            draft.edits = [ctx.delete("text", d.start, d.end)]
            if not ctx.of("clear"):
                draft.edits.insert(0, ctx.insert_label())
        out.append(draft)
    return out


def disclosure_obfuscated(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A disclosure written so that it may not read as one: styled letters, hidden characters,
    spaced or dotted letters."""
    out = []
    for d in ctx.disclosures:
        if not d.obfuscated or d.clarity not in ("clear", "uncertain"):
            continue
        plain = d.text
        if d.obfuscated == "spaced_letters":
            plain = "#" + "".join(ch for ch in d.text if ch.isalnum())
        draft = _draft_at(ctx, rule, d, how=d.obfuscated.replace("_", " "), plain=plain)
        draft.severity = rule.severity
        if d.surface == "text":
            draft.edits = [Edit("text", d.start, d.end, plain)]
        out.append(draft)
    return out


def connection_nature(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """A paid deal disclosed only as a gift / trip / loan under-discloses it."""
    declared = set(ctx.connection.kinds) if ctx.connection.status == "declared" else set()
    if "paid" not in declared:
        return []
    cands = ctx.of("clear", "uncertain")
    if not cands or any(d.kind not in ("gift", "event", "loan") for d in cands):
        return []
    draft = _draft_at(ctx, rule, cands[0])
    draft.severity = rule.severity
    draft.edits = [ctx.insert_label("paid")]
    return [draft]


def affiliate_link_position(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Commission disclosure must come before, or right next to, the first affiliate link."""
    links = sorted(
        (
            s
            for s in ctx.connection.signals
            if s.detector == "affiliate-link" and s.surface == "text"
        ),
        key=lambda s: s.start,
    )
    discl = ctx.of("clear", "uncertain", surfaces=("text",))
    if not links or not discl:
        return []
    link = links[0]
    first = min(discl, key=lambda d: d.start)
    text = ctx.parsed.text
    if first.start <= link.start or first.start - link.end <= ctx.settings.adjacent_chars:
        return []
    if text.line_of(first.start) == text.line_of(link.start):
        return []
    sev, conf, reasons = ctx.severity(rule)
    draft = Draft(
        surface="text",
        start=first.start,
        end=first.end,
        values={"term": first.text, "link": link.text, "network": link.pattern},
        evidence=[
            ctx.evidence_of(first),
            (link.detector, link.pattern, "text", link.start, link.end, link.source),
        ],
        confidence=conf,
        reasons=reasons,
        severity=sev,
        edits=[ctx.insert_label("affiliate")],
    )
    return [draft]


def amazon_associates_statement(ctx: CheckContext, rule: Rule) -> list[Draft]:
    """Amazon affiliate links: the Associates statement belongs on the account (PLAT)."""
    amazon = [
        s
        for s in ctx.connection.signals
        if s.detector == "affiliate-link" and "amazon" in s.pattern.lower()
    ]
    if not amazon:
        return []
    if any("amazon associate" in d.pattern.lower() for d in ctx.disclosures):
        return []
    s = amazon[0]
    return [
        Draft(
            surface=s.surface,
            start=s.start,
            end=s.end,
            values={"link": s.text},
            evidence=[(s.detector, s.pattern, s.surface, s.start, s.end, s.source)],
            confidence=0.9,
            reasons=["Amazon affiliate link found"],
            severity=Severity.info,
        )
    ]
