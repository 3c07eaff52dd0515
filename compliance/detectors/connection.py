"""Detector: evidence of a material connection when the campaign facts do not give one.

Signals come from the per-language signal lexicons (codes, "gifted", "partnered with", "my
brand" ...), from affiliate links, and from one combination rule: a tagged brand together with
praise or a call to action is an endorsement (16 CFR 255.0(b); REGULATIONS.md §1.1).
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from compliance.lexicon.store import Lexicons
from compliance.text.parse import ParsedPost
from compliance.text.surface import Item, Surface

STRENGTH_WEIGHT = {"strong": 0.8, "moderate": 0.4, "weak": 0.15}

# handles that look like a business rather than a person
_BRANDISH = regex.compile(
    r"(official|shop|store|beauty|skin|cosmetic|clothing|apparel|fashion|label|studio|brand|hq"
    r"|nutrition|fitness|wear|boutique|hair|tan|drinks?|foods?|coffee|tea|labs?|co$|_uk$|uk$"
    r"|_us$|usa$|\.co$|\.com$|ireland|london|paris|berlin|jakarta|indonesia|id$|official)",
    regex.IGNORECASE,
)
# words right before a handle that credit the product shown to it: "wearing @x", "dress from
# @x", "suited by @x", "les produits @x" (product tags, the endorsements of the 2017 FTC letters)
_CREDIT_BEFORE = regex.compile(
    r"(?:\bfrom|\bby|\bwearing|\bwears|\bc/o|\busing|\bvia|\bin|\bcourtesy of|\bproducts?"
    r"|\boutfit|\blook|\bdari|\bvon|\bde|\bdes|\bdu|\bchez|\bvan|\bfrån|\bdi|\bda"
    r"|\bproduits?|\bprodukte?|\bproductos?|\bprodutos?|\bprodotti|\bproduk)\s*:?\s*$",
    regex.IGNORECASE,
)
# ... but not a photo credit ("📸 by @jane", "shot by @jane")
_PHOTO_CREDIT = regex.compile(
    r"(?:📸|📷|🎥|photo|pic|shot|filmed|edited|video|captured|taken|styled|makeup|mua|hair)"
    r"[^\n]{0,12}$",
    regex.IGNORECASE,
)
CREDIT_WEIGHT = 0.5


class Signal(NamedTuple):
    kind: (
        str  # paid | free_product | affiliate | employee | owner | family | contest | event | other
    )
    strength: str
    weight: float
    detector: str
    pattern: str
    surface: str
    start: int
    end: int
    text: str
    source: str


def _brand_mentions(surface: Surface, brands: list[str]) -> tuple[list[Item], list[Item]]:
    """(handles credited with the product shown, other handles that look like brands)."""
    known = {b.lower().lstrip("@#") for b in brands}
    credited, brandish = [], []
    for m in surface.mentions:
        body = m.body.lower()
        before = surface.text[max(0, m.start - 24) : m.start]
        if _CREDIT_BEFORE.search(before) and not _PHOTO_CREDIT.search(before):
            credited.append(m)
        elif body in known or _BRANDISH.search(body):
            brandish.append(m)
    return credited, brandish


def _tag_signal(
    text: Surface, tag: Item, strength: str, weight: float, pattern: str, source: str
) -> Signal:
    """Evidence that a tagged account is endorsed (kind: paid, the usual deal)."""
    return Signal(
        "paid",
        strength,
        weight,
        "brand-endorsement",
        pattern,
        "text",
        tag.start,
        tag.end,
        text.text[tag.start : tag.end],
        source,
    )


def find_signals(
    parsed: ParsedPost, lexicons: Lexicons, timeouts: list[str], links_only: bool = False
) -> list[Signal]:
    """Connection evidence; `links_only` when the connection is declared (links still matter
    for where a commission disclosure must go)."""
    signals: list[Signal] = []
    lang = parsed.language[0]
    languages = None if lang == "und" else frozenset({"en", lang})
    for name in ("text", "title", "transcript", "on_screen_text"):
        surface = parsed.surfaces.get(name)
        if surface is None:
            continue
        hits = [] if links_only else lexicons.signals.find(surface, timeouts, languages)
        for hit in hits:
            e = hit.entry
            signals.append(
                Signal(
                    e.kind,
                    e.strength,
                    STRENGTH_WEIGHT[e.strength],
                    "signal-lexicon",
                    hit.pattern,
                    name,
                    hit.start,
                    hit.end,
                    hit.text,
                    e.source,
                )
            )
        for url in surface.urls:
            link = lexicons.affiliate.match(url.body)
            if link is not None:
                signals.append(
                    Signal(
                        "affiliate",
                        link.strength,
                        STRENGTH_WEIGHT[link.strength],
                        "affiliate-link",
                        f"{link.network}: {link.reason}",
                        name,
                        url.start,
                        url.end,
                        url.body,
                        link.source,
                    )
                )
    if links_only:
        return signals
    text = parsed.text
    credited, brandish = _brand_mentions(text, parsed.post.brands)
    praise = [s for s in signals if s.surface == "text" and s.strength in ("weak", "moderate")]
    tags = credited + brandish
    if credited:
        signals.append(
            _tag_signal(
                text,
                credited[0],
                "moderate",
                CREDIT_WEIGHT,
                "product credited to a tagged account",
                "REGULATIONS.md §1.1 FTC-255.0B-ENDORSEMENT-SCOPE (tags are "
                "endorsements); CASE-IG-LETTERS-APR-2017",
            )
        )
    if tags and praise:
        signals.append(
            _tag_signal(
                text,
                tags[0],
                "moderate",
                CREDIT_WEIGHT,
                "brand tag with praise or call to action",
                "REGULATIONS.md §1.1 FTC-255.0B-ENDORSEMENT-SCOPE (tags are endorsements)",
            )
        )
    elif brandish:
        signals.append(
            _tag_signal(
                text,
                brandish[0],
                "weak",
                STRENGTH_WEIGHT["weak"],
                "brand tag",
                "REGULATIONS.md §8.3 (brand signals)",
            )
        )
    return signals


def infer(signals: list[Signal]) -> tuple[float, list[str], list[Signal]]:
    """Noisy-OR of distinct signals: (confidence, connection kinds by weight, signals used)."""
    seen: set[tuple[str, str]] = set()
    used: list[Signal] = []
    miss = 1.0
    by_kind: dict[str, float] = {}
    for s in sorted(signals, key=lambda s: -s.weight):
        key = (s.pattern, s.text.lower())
        if key in seen:
            continue
        seen.add(key)
        used.append(s)
        miss *= 1.0 - s.weight
        by_kind[s.kind] = max(by_kind.get(s.kind, 0.0), s.weight)
    kinds = [k for k, _ in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
    return round(1.0 - miss, 3), kinds, used
