"""The literal index of a lexicon: which patterns can match a text, found in one pass.

Every pattern has up to three groups of literals (`prefilter.literal_groups`): a match contains
one literal of each group. All literals of all groups go into Aho-Corasick automata, one per
language; a search collects the set of literals present, and a pattern is a candidate when
each of its groups has one of them (set operations, no per-literal Python work).

Literals that must begin a word are looked up in the "word text": the lower-case text with
every character that is not a letter or digit replaced by a space, after one leading space
(same offsets, computed once per surface). Such a literal is stored as " " + its word form, so
the automaton itself only reports it where a word begins. Other literals (symbols such as "%",
or literals that may begin inside a word) are looked up in the lower-case text as they are.
Both forms only ever find more than the pattern can match, never less: the regex decides.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from compliance.lexicon.prefilter import Literal
from compliance.text.surface import NON_WORD_CHAR


def _word_form(literal: str) -> str:
    return " " + NON_WORD_CHAR.sub(" ", literal)


class LiteralIndex:
    """Literal ids, their automata per language, and each pattern's groups of ids."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, bool, str], int] = {}  # (language, word form?, key) -> id
        self.length: list[int] = []  # length of the stored key, for start offsets
        self.primary_of: dict[int, list[int]] = {}  # literal id -> patterns it can start
        self.groups: dict[int, tuple[frozenset[int], ...]] = {}  # pattern -> other groups
        self.lead_ids: dict[int, frozenset[int]] = {}  # pattern -> ids of its leading literals
        self._keys: dict[str, dict[tuple[bool, str], list[int]]] = {}  # language -> key -> ids
        self.word: dict[str, ahocorasick.Automaton] = {}
        self.raw: dict[str, ahocorasick.Automaton] = {}
        self.word_all: ahocorasick.Automaton | None = None
        self.raw_all: ahocorasick.Automaton | None = None

    def _id(self, lang: str, literal: str, word_start: bool) -> int:
        as_word = word_start and literal[:1].isalnum()
        key = _word_form(literal) if as_word else literal
        ident = self._ids.get((lang, as_word, key))
        if ident is None:
            ident = len(self.length)
            self._ids[(lang, as_word, key)] = ident
            self.length.append(len(key))
            self._keys.setdefault(lang, {}).setdefault((as_word, key), []).append(ident)
        return ident

    def add(self, idx: int, lang: str, groups: list[set[Literal]], from_lead: bool = False) -> None:
        """Pattern `idx` of `lang` needs one literal of each group; the first group is the
        one it is looked up by (its leading literals when `from_lead`)."""
        ids = [frozenset(self._id(lang, t, w) for t, w in g) for g in groups]
        for ident in ids[0]:
            self.primary_of.setdefault(ident, []).append(idx)
        self.groups[idx] = tuple(ids[1:])
        if from_lead:
            self.lead_ids[idx] = ids[0]

    def build(self) -> None:
        merged_word: dict[str, list[int]] = {}
        merged_raw: dict[str, list[int]] = {}
        for lang, keys in self._keys.items():
            word: dict[str, list[int]] = {}
            raw: dict[str, list[int]] = {}
            for (as_word, key), ids in keys.items():
                (word if as_word else raw).setdefault(key, []).extend(ids)
                (merged_word if as_word else merged_raw).setdefault(key, []).extend(ids)
            if word:
                self.word[lang] = _automaton(word)
            if raw:
                self.raw[lang] = _automaton(raw)
        self.word_all = _automaton(merged_word) if merged_word else None
        self.raw_all = _automaton(merged_raw) if merged_raw else None

    def search(
        self, low: str, words: str, languages: frozenset[str] | None
    ) -> tuple[set[int], list[tuple[int, tuple[int, ...]]]]:
        """The candidate patterns, and the raw automaton hits (for leading offsets)."""
        if languages is None:
            pairs = list(self.word_all.iter(words)) if self.word_all is not None else []
            if self.raw_all is not None:
                pairs.extend(self.raw_all.iter(low))
        else:
            pairs = []
            for lang in languages:
                w = self.word.get(lang)
                if w is not None:
                    pairs.extend(w.iter(words))
                r = self.raw.get(lang)
                if r is not None:
                    pairs.extend(r.iter(low))
        if not pairs:
            return set(), pairs
        found = {i for _end, ids in pairs for i in ids}
        hit: set[int] = set()
        primary_of = self.primary_of
        for ident in found:
            starts = primary_of.get(ident)
            if starts:
                hit.update(starts)
        groups = self.groups
        return {idx for idx in hit if all(not g.isdisjoint(found) for g in groups[idx])}, pairs

    def lead_offsets(
        self, idx: int, pairs: Iterable[tuple[int, tuple[int, ...]]]
    ) -> list[int] | None:
        """Offsets in the lower-case text where pattern `idx`'s leading literals begin, or
        None when its automaton literals are not leading ones."""
        lead = self.lead_ids.get(idx)
        if lead is None:
            return None
        length = self.length
        return sorted({end - length[i] + 1 for end, ids in pairs for i in ids if i in lead})


def _automaton(keys: dict[str, list[int]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, ids in keys.items():
        automaton.add_word(key, tuple(ids))
    automaton.make_automaton()
    return automaton
