"""Compiled claim lexicons: claim patterns (lemma entries expanded to all word forms),
contexts a claim may require, and the qualifiers (negation, hedging, typical results)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from compliance.lexicon.lemmas import lemma_forms
from compliance.lexicon.matcher import (
    CompiledLexicon,
    bounded_search,
    phrase_to_regex,
    split_alternatives,
)
from compliance.lexicon.prefilter import Literal
from compliance.lexicon.schema import ClaimEntry, ClaimLexicon, Qualifiers


def lemma_to_regex(term: str, known: dict[str, list[str]]) -> str:
    """'lose weight' -> '(?:losing|loses|lost|lose)\\s+(?:weights|weight)' (`known`: lemma ->
    its forms, from `lemma_forms`)."""
    parts = []
    for lemma in term.split():
        alts = "|".join(regex.escape(f) for f in known[lemma.lower()])
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


# not frozen: the compiled build (mypyc) unpickles a class by setting its attributes
@dataclass
class Context:
    """Words of a context (every lemma form), multi-word phrases, and `re:` patterns."""

    words: frozenset[str]
    phrases: tuple[str, ...]
    pattern: regex.Pattern[str] | None

    def literals(self) -> set[Literal] | None:
        """Strings one of which a text holds wherever this context is found in it (a word is
        a substring too): a prefilter group. None when a `re:` pattern makes that unknowable."""
        if self.pattern is not None or not (self.words or self.phrases):
            return None
        return {(item, False) for item in (*self.words, *self.phrases)}

    def search(
        self, window_lower: str, window_words: set[str], timeouts: list[str], where: str
    ) -> bool:
        """Does the context occur in the window (its words, phrases, or `re:` patterns, the
        last within the time bound: `where` names them in a timeout note)?"""
        if not self.words.isdisjoint(window_words):
            return True
        if any(p in window_lower for p in self.phrases):
            return True
        return bool(
            self.pattern is not None
            and bounded_search(self.pattern, window_lower, where, timeouts) is not None
        )


def _item_kind(item: str) -> str:
    """How a (stripped, lower-case) context item matches: a `re:` pattern, a phrase found as
    written, or a single word found in any of its lemma forms."""
    if item.startswith("re:"):
        return "re"
    if " " in item or not item.replace("-", "").replace("'", "").isalnum():
        return "phrase"
    return "word"


_ANY_WORD_CHARS = "\\w*"


def _occurrence_form(pattern: str) -> str:
    r"""`pattern` without a `\w*` at either end of a top-level alternative ("\w*covid\w*" ->
    "covid"). A context is only searched for, and such a pattern occurs in a text exactly
    where the rest of it does; a leading `\w*` made the search quadratic in the length of a
    word (8.7 s of CPU time for a post with a 32,000-letter word)."""
    out = []
    for alt in split_alternatives(pattern):
        core = alt
        while core.startswith(_ANY_WORD_CHARS):
            core = core[len(_ANY_WORD_CHARS) :]
        while core.endswith(_ANY_WORD_CHARS) and not core.endswith("\\" + _ANY_WORD_CHARS):
            core = core[: -len(_ANY_WORD_CHARS)]
        out.append(core or alt)
    return "|".join(out)


def compile_context(items: list[str], known: dict[str, list[str]]) -> Context:
    words: set[str] = set()
    phrases: list[str] = []
    patterns: list[str] = []
    for item in items:
        item = item.strip()
        if item.startswith("re:"):  # as written: lower-casing "\W" or "\S" would change it
            patterns.append(_occurrence_form(item[3:]))
            continue
        item = item.lower()
        if not item:
            continue
        kind = _item_kind(item)
        if kind == "phrase":
            phrases.append(item)
        else:
            words.update(known[item])
    pattern = None
    if patterns:
        pattern = regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)
    return Context(frozenset(words), tuple(phrases), pattern)


def _lemmas_of(lex: ClaimLexicon) -> tuple[str, ...]:
    """Every word of `lex` whose forms are needed: context words and lemma entries."""
    words = {
        item
        for items in lex.contexts.values()
        for item in (i.strip().lower() for i in items)
        if item and _item_kind(item) == "word"
    }
    words.update(w.lower() for e in lex.claims if e.match == "lemma" for w in e.term.split())
    return tuple(sorted(words))


@dataclass  # not frozen, as Context
class LanguageClaims:
    contexts: dict[str, Context]
    negation: regex.Pattern[str] | None
    hedge: regex.Pattern[str] | None
    typical: regex.Pattern[str] | None
    typical_results: regex.Pattern[str] | None


def compile_language(lex: ClaimLexicon, known: dict[str, list[str]]) -> LanguageClaims:
    q: Qualifiers = lex.qualifiers
    contexts = {name: compile_context(items, known) for name, items in lex.contexts.items()}
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

    def required_contexts(lang: str, entry: ClaimEntry) -> list[set[Literal]]:
        """A claim is only found with the contexts it requires in its sentence: its patterns
        need not be tried in a text that has none of a required context's words."""
        contexts = languages[lang].contexts
        groups = [contexts[name].literals() for name in entry.requires if name in contexts]
        return [g for g in groups if g]

    for lex in lexicons:
        known = lemma_forms(lex.language, _lemmas_of(lex))  # one pass over spaCy's table
        languages[lex.language] = compile_language(lex, known)
        for e in lex.claims:
            if e.match == "lemma":
                e = e.model_copy(
                    update={
                        "term": lemma_to_regex(e.term, known),
                        "match": "regex",
                        "note": f"lemma: {e.term}",
                    }
                )
            entries.append((lex.language, e))
    return CompiledLexicon(entries, "claims", required_contexts), languages
