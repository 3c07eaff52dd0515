"""Load every lexicon under a rules directory once, compiled, validated."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from compliance.lexicon.affiliate import AffiliateMatcher
from compliance.lexicon.claims import LanguageClaims, compile_claims
from compliance.lexicon.matcher import CompiledLexicon
from compliance.lexicon.schema import (
    AffiliateLexicon,
    ClaimLexicon,
    DisclosureEntry,
    DisclosureLexicon,
    SignalEntry,
    SignalLexicon,
    load_yaml_model,
)


@dataclass(frozen=True)
class Lexicons:
    disclosures: CompiledLexicon
    signals: CompiledLexicon
    affiliate: AffiliateMatcher
    claims: CompiledLexicon
    claim_languages: dict[str, LanguageClaims]
    labels: dict[str, dict[str, str]]  # language -> connection kind -> wording for fixes
    languages: tuple[str, ...]
    sizes: dict[str, int]


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


@lru_cache(maxsize=8)
def load_lexicons(rules_dir: Path) -> Lexicons:
    lex_dir = rules_dir / "lexicons"
    disclosure_entries: list[tuple[str, DisclosureEntry]] = []
    labels: dict[str, dict[str, str]] = {}
    for path in _files(lex_dir / "disclosure"):
        lex: DisclosureLexicon = load_yaml_model(path, DisclosureLexicon)
        labels[lex.language] = dict(lex.labels)
        disclosure_entries.extend((lex.language, e) for e in lex.entries)
    signal_entries: list[tuple[str, SignalEntry]] = []
    for path in _files(lex_dir / "signals"):
        sig: SignalLexicon = load_yaml_model(path, SignalLexicon)
        signal_entries.extend((sig.language, e) for e in sig.signals)
    claim_lexicons = [load_yaml_model(path, ClaimLexicon) for path in _files(lex_dir / "claims")]
    claims, claim_languages = compile_claims(claim_lexicons)
    aff_path = lex_dir / "affiliate.yaml"
    affiliate = (
        load_yaml_model(aff_path, AffiliateLexicon)
        if aff_path.exists()
        else AffiliateLexicon(hosts=[], params=[])
    )
    return Lexicons(
        disclosures=CompiledLexicon(disclosure_entries, "disclosure"),
        signals=CompiledLexicon(signal_entries, "signals"),
        claims=claims,
        claim_languages=claim_languages,
        affiliate=AffiliateMatcher(affiliate),
        labels=labels,
        languages=tuple(sorted(labels)),
        sizes={
            "disclosure_terms": len(disclosure_entries),
            "signal_terms": len(signal_entries),
            "affiliate_hosts": len(affiliate.hosts),
            "affiliate_params": len(affiliate.params),
            "claim_terms": len(claims.patterns),
        },
    )
