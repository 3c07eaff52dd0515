"""Compiled claim lexicons: claim patterns (lemma entries expanded to all word forms),
contexts a claim may require, and the qualifiers (negation, hedging, typical results)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from compliance.lexicon.lemmas import forms, lemma_forms
from compliance.lexicon.matcher import CompiledLexicon, phrase_to_regex
from compliance.lexicon.schema import ClaimEntry, ClaimLexicon, Qualifiers


def lemma_to_regex(lang: str, term: str, known: dict[str, list[str]] | None = None) -> str:
    """'lose weight' -> '(?:losing|loses|lost|lose)\\s+(?:weights|weight)'."""
    parts = []
    for lemma in term.split():
        found = (known or {}).get(lemma.lower()) or forms(lang, lemma)
        alts = "|".join(regex.escape(f) for f in found)
        parts.append(f"(?:{alts})")
    return r"\s+".join(parts)


def _phrases_regex(items: list[str]) -> regex.Pattern[str] | None:
    alts = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        if item.startswith("re:"):
            alts.append(item[3:])
        else:
            alts.append(phrase_to_regex(item))
    if not alts:
        return None
    body = "|".join(f"(?:{a})" for a in alts)
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}_])(?:{body})(?![\p{{L}}\p{{N}}_])", regex.IGNORECASE | regex.VERSION0
    )


@dataclass(frozen=True)
class Context:
    """Words of a context (every lemma form), multi-word phrases, and `re:` patterns."""

    words: frozenset[str]
    phrases: tuple[str, ...]
    pattern: regex.Pattern[str] | None

    def search(self, window_lower: str, window_words: set[str]) -> bool:
        if not self.words.isdisjoint(window_words):
            return True
        if any(p in window_lower for p in self.phrases):
            return True
        return bool(self.pattern is not None and self.pattern.search(window_lower))


def _context_words(items: list[str]) -> list[str]:
    """The single words of a context list (the items whose lemma forms are looked up)."""
    out = []
    for item in items:
        item = item.strip().lower()
        plain = item.replace("-", "").replace("'", "")
        if item and not item.startswith("re:") and " " not in item and plain.isalnum():
            out.append(item)
    return out


def compile_context(
    items: list[str], lang: str, known: dict[str, list[str]] | None = None
) -> Context:
    words: set[str] = set()
    phrases: list[str] = []
    patterns: list[str] = []
    for item in items:
        item = item.strip().lower()
        if not item:
            continue
        if item.startswith("re:"):
            patterns.append(item[3:])
        elif " " in item or not item.replace("-", "").replace("'", "").isalnum():
            phrases.append(item)
        else:
            words.update((known or {}).get(item) or forms(lang, item))
    pattern = None
    if patterns:
        pattern = regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)
    return Context(frozenset(words), tuple(phrases), pattern)


def _lemmas_of(lex: ClaimLexicon) -> tuple[str, ...]:
    """Every word of `lex` whose forms are needed: context words and lemma entries."""
    words = {w for items in lex.contexts.values() for w in _context_words(items)}
    words.update(w.lower() for e in lex.claims if e.match == "lemma" for w in e.term.split())
    return tuple(sorted(words))


@dataclass(frozen=True)
class LanguageClaims:
    contexts: dict[str, Context]
    negation: regex.Pattern[str] | None
    hedge: regex.Pattern[str] | None
    typical: regex.Pattern[str] | None
    typical_results: regex.Pattern[str] | None


def compile_language(lex: ClaimLexicon) -> LanguageClaims:
    q: Qualifiers = lex.qualifiers
    lang = lex.language
    known = lemma_forms(lang, _lemmas_of(lex))
    contexts = {name: compile_context(items, lang, known) for name, items in lex.contexts.items()}
    return LanguageClaims(
        contexts=contexts,
        negation=_phrases_regex(q.negation),
        hedge=_phrases_regex(q.hedge),
        typical=_phrases_regex(q.typical),
        typical_results=_phrases_regex(q.typical_results),
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
                        "term": lemma_to_regex(
                            lex.language, e.term, lemma_forms(lex.language, _lemmas_of(lex))
                        ),
                        "match": "regex",
                        "note": f"lemma: {e.term}",
                    }
                )
            entries.append((lex.language, e))
    return CompiledLexicon(entries, "claims"), languages
