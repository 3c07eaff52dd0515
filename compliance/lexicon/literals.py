"""The literal index of a lexicon: which patterns can match a text, found in one pass.

Every pattern has up to three groups of literals (`prefilter.literal_groups`): a match contains
one literal of each group. The first group of each pattern, the one it is looked up by (its
most selective, or the literals every match starts with), goes into one Aho-Corasick automaton
per set of languages searched (English plus the post's language, or all); a search collects the
set of those literals present. A pattern looked up by one of them is a candidate when each of
its other groups has a literal in the text too. The rare literals of those groups are in the
automaton as well (they cost nothing there: they seldom occur); the common ones ("for", "the",
"in") are looked for by substring search, only for the few patterns looked up, where they are
usually found at once. (In the automaton, common words were four fifths of all hits, each a
Python object to build and a set entry to add.)

The automaton runs over the "word text": " " + the lower-case text with every character that
is not a letter or digit replaced by a space (same offsets, shifted by one; computed once per
surface). Literals are stored in the same form, and a literal that must begin a word gets a
leading space, so the automaton itself only reports it where a word begins. A literal made of
symbols only ("%", "$") has no word form: it is looked up in the lower-case text. Each form
finds at least every place the pattern can match, never fewer: the regex decides.
"""

from __future__ import annotations

from operator import itemgetter

import ahocorasick_rs

from compliance.lazy import Transient
from compliance.lexicon.prefilter import SYMBOLS, Literal, literal_cost
from compliance.text.surface import NON_WORD_CHAR

# A literal expected this often in a caption or more (prefilter's cost model: function words,
# two-letter strings) is looked for by substring search, not by the automaton
COMMON_COST = 0.3
# A key longer than this is cut to its first characters (the word-start space counted): a
# prefix of a literal occurs wherever the literal does, so the candidates stay a superset.
# Expanded alternations ("(hotel|viaje) (pagado|ofrecido) por ...") make thousands of long
# keys that differ only past this point; cut, they share one key. The all-language disclosure
# automaton has half the characters; a checker takes 30 MB less memory and 0.9 s less to
# prepare; on the benchmark's captions, 1% more disclosure candidates.
MAX_KEY_CHARS = 16
Group = tuple[frozenset[int], tuple[str, ...], tuple[str, ...]]
# One automaton: the literal id of each of its keys (a key shared by several literals is
# in it once per literal: all are reported), and the automaton (`literal_automaton`), or None when
# there are no keys
Automaton = tuple[tuple[int, ...], "ahocorasick_rs.AhoCorasick | None"]
_first = itemgetter(0)
# A search's automaton hits: (literal id by key index, [(key index, start, end), ...])
Hits = tuple[tuple[int, ...], list[tuple[int, int, int]]]


def _key(literal: str, word_start: bool) -> tuple[str, bool]:
    """(the literal's form in the word text, cut to MAX_KEY_CHARS; whether a word-start space
    was put before it); "" for a literal looked up as written in the lower-case text instead:
    symbols only, or a symbol with a letter or digit or two."""
    form = NON_WORD_CHAR.sub(" ", literal)
    bare = form.strip()
    if not bare or (len(bare) <= 2 and any(c in SYMBOLS for c in literal)):
        # symbols only, or a symbol with a letter or two ("*s", "#1"): as written, in the
        # lower-case text, where it is rarer than its word form (" s", " 1") is in the words
        return "", False
    if word_start and literal[:1].isalnum():
        return (" " + form)[:MAX_KEY_CHARS], True
    return form[:MAX_KEY_CHARS], False


class LiteralIndex:
    """Literal ids, their automata, and each pattern's groups of ids."""

    def __init__(self) -> None:
        # (language, key, symbol, key has a word-start space) -> id
        self._ids: dict[tuple[str, str, str, bool], int] = {}
        self.shift: list[int] = []  # word-text end offset - this = lower-case start offset
        self.primary_of: dict[int, list[int]] = {}  # literal id -> patterns looked up by it
        # pattern -> its other groups, each as (ids of its rare literals, word-text keys and
        # symbols of its common ones): one of them must occur
        self.groups: dict[int, tuple[Group, ...]] = {}
        self.lead_ids: dict[int, frozenset[int]] = {}  # pattern -> ids of its leading literals
        self._keys: dict[str, dict[str, list[int]]] = {}  # language -> key -> ids
        self._symbols: dict[str, dict[str, list[int]]] = {}  # language -> symbol -> ids
        # the automata do not pickle: a checker read back from the audit cache or a Spark
        # broadcast builds them again on first use (tens of milliseconds)
        self._automata: dict[frozenset[str] | None, Automaton] = Transient()
        self._symbol_sets: dict[frozenset[str] | None, tuple[tuple[str, list[int]], ...]] = {}
        # literal id -> the patterns looked up by it (empty for the others), as a list
        self.primary_by_id: list[tuple[int, ...]] = []
        self.known: frozenset[str] = frozenset()  # languages with literals
        self.leading_ids: frozenset[int] = frozenset()

    def _id(self, lang: str, literal: str, word_start: bool) -> int:
        key, prefixed = _key(literal, word_start)
        symbol = literal if not key else ""
        ident = self._ids.get((lang, key, symbol, prefixed))
        if ident is None:
            ident = len(self.shift)
            self._ids[(lang, key, symbol, prefixed)] = ident
            # a word key (" cure") ends just before word-text offset e: the word starts at
            # e - len in the lower-case text; any other key starts at e - len - 1 there
            self.shift.append(len(key) if prefixed else len(key) + 1)
            if key:
                self._keys.setdefault(lang, {}).setdefault(key, []).append(ident)
            else:
                self._symbols.setdefault(lang, {}).setdefault(symbol, []).append(ident)
        return ident

    def add(self, idx: int, lang: str, groups: list[set[Literal]], from_lead: bool = False) -> None:
        """Pattern `idx` of `lang` needs one literal of each group; the first group is the
        one it is looked up by (its leading literals when `from_lead`)."""
        primary = frozenset(self._id(lang, t, w) for t, w in groups[0])
        for ident in primary:
            self.primary_of.setdefault(ident, []).append(idx)
        self.groups[idx] = tuple(self._group(lang, g) for g in groups[1:])
        if from_lead:
            self.lead_ids[idx] = primary

    def _group(self, lang: str, group: set[Literal]) -> Group:
        rare = set()
        keys = set()
        symbols = set()
        for literal, word_start in group:
            if literal_cost(literal, word_start) < COMMON_COST:
                rare.add(self._id(lang, literal, word_start))
                continue
            key, _prefixed = _key(literal, word_start)
            if key:
                keys.add(key)
            else:
                symbols.add(literal)
        return frozenset(rare), tuple(sorted(keys)), tuple(sorted(symbols))

    def build(self) -> None:
        """The id sets; the automata are built on first use (`search`) or all at once with
        `build_automata`."""
        self.known = frozenset(self._keys.keys() | self._symbols.keys())
        self._automata.clear()
        self._symbol_sets.clear()
        self.primary_by_id = [tuple(self.primary_of.get(i, ())) for i in range(len(self.shift))]
        self.leading_ids = frozenset(i for ids in self.lead_ids.values() for i in ids)

    def build_automata(self) -> None:
        """The automata for every language with English, and for all languages at once (a
        server builds them before it takes traffic)."""
        self._prepare(None)
        self._prepare(frozenset({"en"}) & self.known)
        for lang in sorted(self.known):
            self._prepare(frozenset({"en", lang}))

    def _prepare(self, languages: frozenset[str] | None) -> None:
        chosen = [
            lang
            for lang in sorted(self._keys.keys() | self._symbols.keys())
            if languages is None or lang in languages
        ]
        keys: dict[str, list[int]] = {}
        symbols: dict[str, list[int]] = {}
        for lang in chosen:
            for key, ids in self._keys.get(lang, {}).items():
                keys.setdefault(key, []).extend(ids)
            for symbol, ids in self._symbols.get(lang, {}).items():
                symbols.setdefault(symbol, []).extend(ids)
        self._automata[languages] = _automaton(keys)
        self._symbol_sets[languages] = tuple(symbols.items())

    def search(
        self, low: str, words: str, languages: frozenset[str] | None
    ) -> tuple[set[int], Hits]:
        """The candidate patterns, and the automaton hits (for leading offsets)."""
        got = self._automata.get(languages)
        if got is None:
            if languages is not None:
                # a language with no literals of its own (any code a post may declare): the
                # automata of the languages it does have, so their number stays bounded
                languages = languages & self.known
            if languages not in self._automata:
                self._prepare(languages)
            got = self._automata[languages]
        ids_of, automaton = got
        matches = (
            automaton.find_matches_as_indexes(words, overlapping=True)
            if automaton is not None
            else []
        )
        pairs = (ids_of, matches)
        found = set(map(ids_of.__getitem__, map(_first, matches)))
        for symbol, ids in self._symbol_sets[languages]:
            if symbol in low:
                found.update(ids)
        if not found:
            return set(), pairs
        hit: set[int] = set().union(*map(self.primary_by_id.__getitem__, found))
        groups = self.groups
        out = set()
        for idx in hit:
            for rare, keys, symbols in groups[idx]:
                if (
                    rare.isdisjoint(found)
                    and not (keys and any(map(words.__contains__, keys)))
                    and not (symbols and any(map(low.__contains__, symbols)))
                ):
                    break  # a group with none of its literals in the text
            else:
                out.add(idx)
        return out, pairs

    def occurrences(self, pairs: Hits) -> dict[int, list[int]]:
        """Leading literal id -> the word-text offsets just past its ends (one pass per
        search)."""
        occ: dict[int, list[int]] = {}
        leading = self.leading_ids
        ids_of, matches = pairs
        for k, _start, end in matches:
            i = ids_of[k]
            if i in leading:
                occ.setdefault(i, []).append(end)
        return occ

    def lead_offsets(self, idx: int, occ: dict[int, list[int]]) -> list[int] | None:
        """Offsets in the lower-case text where pattern `idx`'s leading literals begin, or
        None when the literals it is looked up by are not leading ones."""
        lead = self.lead_ids.get(idx)
        if lead is None:
            return None
        shift = self.shift
        return sorted({end - shift[i] for i in lead if i in occ for end in occ[i]})


def _automaton(keys: dict[str, list[int]]) -> Automaton:
    if not keys:
        return (), None
    pairs = [(key, ident) for key, ids in keys.items() for ident in ids]
    return tuple(ident for _key, ident in pairs), literal_automaton([key for key, _ident in pairs])


def literal_automaton(keys: list[str] | tuple[str, ...]) -> ahocorasick_rs.AhoCorasick:
    """An automaton reporting every key at every place it occurs (overlapping searches), as
    the Rust `aho-corasick` crate's contiguous NFA. Its DFA takes fewer steps per character
    but stores a full row of transitions per state: a prepared checker of the bundled
    lexicons holds 155 MB with DFAs and 86 MB with contiguous NFAs (RSS), and checks
    captions as fast either way (one process, switched between the two every 2,000
    captions, 16 runs each: median ratio 1.00). Both read about one state per character
    from tables larger than a core's cache, and those reads are what a walk waits for."""
    return ahocorasick_rs.AhoCorasick(
        keys,
        matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
        implementation=ahocorasick_rs.Implementation.ContiguousNFA,
    )
