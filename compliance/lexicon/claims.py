"""Compiled claim lexicons: claim patterns (lemma entries expanded to all word forms),
contexts a claim may require, and the qualifiers (negation, hedging, typical results)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from compliance.lexicon.lemmas import forms
from compliance.lexicon.matcher import CompiledLexicon, phrase_to_regex
from compliance.lexicon.schema import ClaimEntry, ClaimLexicon, Qualifiers


def lemma_to_regex(lang: str, term: str) -> str:
    """'lose weight' -> '(?:losing|loses|lost|lose)\\s+(?:weights|weight)'."""
    parts = []
    for lemma in term.split():
        alts = "|".join(regex.escape(f) for f in forms(lang, lemma))
        parts.append(f"(?:{alts})")
    return r"\s+".join(parts)


def _phrases_regex(items: list[str], lang: str, expand: bool) -> regex.Pattern[str] | None:
    alts = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        if item.startswith("re:"):
            alts.append(item[3:])
        elif expand and " " not in item:
            alts.append("|".join(regex.escape(f) for f in forms(lang, item)))
        else:
            alts.append(phrase_to_regex(item))
    if not alts:
        return None
    body = "|".join(f"(?:{a})" for a in alts)
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}_])(?:{body})(?![\p{{L}}\p{{N}}_])", regex.IGNORECASE | regex.VERSION0
    )


@dataclass(frozen=True)
class LanguageClaims:
    contexts: dict[str, regex.Pattern[str]]
    negation: regex.Pattern[str] | None
    hedge: regex.Pattern[str] | None
    typical: regex.Pattern[str] | None
    typical_results: regex.Pattern[str] | None


def compile_language(lex: ClaimLexicon) -> LanguageClaims:
    q: Qualifiers = lex.qualifiers
    lang = lex.language
    contexts = {}
    for name, items in lex.contexts.items():
        pattern = _phrases_regex(items, lang, expand=True)
        if pattern is not None:
            contexts[name] = pattern
    return LanguageClaims(
        contexts=contexts,
        negation=_phrases_regex(q.negation, lang, expand=False),
        hedge=_phrases_regex(q.hedge, lang, expand=False),
        typical=_phrases_regex(q.typical, lang, expand=False),
        typical_results=_phrases_regex(q.typical_results, lang, expand=False),
    )


def compile_claims(
    lexicons: list[ClaimLexicon],
) -> tuple[CompiledLexicon, dict[str, LanguageClaims]]:
    entries: list[tuple[str, ClaimEntry]] = []
    languages: dict[str, LanguageClaims] = {}
    for lex in lexicons:
        languages[lex.language] = compile_language(lex)
        for e in lex.claims:
            if e.match == "lemma":
                e = e.model_copy(
                    update={
                        "term": lemma_to_regex(lex.language, e.term),
                        "match": "regex",
                        "note": f"lemma: {e.term}",
                    }
                )
            entries.append((lex.language, e))
    return CompiledLexicon(entries, "claims"), languages
