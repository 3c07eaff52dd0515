"""Required literals of a pattern, for an Aho-Corasick prefilter.

Running a hundred regexes over every post is slow (measured: ~190 µs for 53 patterns over a
300-character caption; one big alternation was ~2 ms). Every pattern of ours contains words
that any match must contain. We extract a set of such literals per pattern ("a match contains
at least one of these"), feed all literals of a lexicon into one Aho-Corasick automaton, and run
a pattern only when one of its literals occurs in the lower-cased text.
"""

from __future__ import annotations

import re._constants as C
import re._parser as P
from functools import lru_cache
from typing import Any

MIN_LITERAL = 2
DIGITS = "0123456789"
# Single characters that are literals in their own right: rare in captions, so a pattern that
# needs "%" or "€" is tried only on the posts that have one. Cost: expected hits per caption.
SYMBOLS = {
    "%": 0.1,
    "$": 0.1,
    "€": 0.1,
    "£": 0.1,
    "¥": 0.1,
    "⭐": 0.1,
    "+": 0.3,
    "=": 0.3,
    "&": 0.5,
    "*": 0.5,
    "@": 1.0,
    "#": 1.5,
}


Literal = tuple[str, bool]  # (text, whether it begins at a word start in every match)


def _usable(cands: list[tuple[set[str], bool]]) -> list[set[Literal]]:
    """Candidate sets that can prefilter: no empty literal, none shorter than MIN_LITERAL."""
    usable: list[set[Literal]] = []
    for lits, word_start in cands:
        if not lits or any(not s.strip() for s in lits):
            continue  # some match may contain none of these characters
        clean = {(s.strip(), word_start or s[:1].isspace()) for s in lits}
        if all(len(t) >= MIN_LITERAL or t in SYMBOLS for t, _ in clean):
            usable.append(clean)
    return usable


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from compliance.text.langid import LANGUAGES, _stop_words

    return frozenset(w.lower() for lang in LANGUAGES for w in _stop_words(lang))


def literal_cost(text: str, word_start: bool) -> float:
    """Rough expected occurrences of a literal in a caption. A function word ("in", "for",
    "de") or a short string that also occurs inside words ("re", "en") is found in most posts
    and prefilters nothing; longer, rarer strings are what make the automaton selective."""
    if text in SYMBOLS:
        return SYMBOLS[text]
    symbols = [SYMBOLS[c] for c in text if c in SYMBOLS]
    if symbols and len(text) <= 3:  # "#1", "*s": no commoner than its symbol, usually rarer
        return min(symbols) / 2
    if any(c in DIGITS for c in text):  # "5k", "f4f", "100": numbers are rarer than words
        return 0.02 if any(c.isalpha() for c in text) else (0.3 if len(text) <= 2 else 0.1)
    words = text.split()
    if all(w in _function_words() for w in words):
        return 1.0 if len(words) == 1 else 0.3
    n = len(text)
    if n <= 2:
        return 1.0 if not word_start else 0.4
    if n == 3:
        return 0.4 if not word_start else 0.1
    return 0.05 / (n - 3)


def group_cost(group: set[Literal]) -> float:
    """Expected prefilter hits of a group: the sum over its literals."""
    return sum(literal_cost(t, w) for t, w in group)


def _best(cands: list[tuple[set[str], bool]]) -> set[Literal] | None:
    """The most selective candidate: the lowest expected number of hits."""
    usable = _usable(cands)
    if not usable:
        return None
    return min(usable, key=group_cost)


MAX_EXACT = 256


def _exact_seq(seq: Any) -> set[str] | None:
    """All strings a literal-only sequence can match, or None if it is not finite and small."""
    out = {""}
    for item in seq:
        ex = _exact_item(item)
        if ex is None:
            return None
        out = {a + b for a in out for b in ex}
        if len(out) > MAX_EXACT:
            return None
    return out


def _exact_item(item: Any) -> set[str] | None:
    op, av = item
    if op is C.LITERAL:
        return {chr(av).lower()}
    if op is C.SUBPATTERN:
        return _exact_seq(av[-1])
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            ex = _exact_seq(branch)
            if ex is None:
                return None
            out |= ex
        return out if len(out) <= MAX_EXACT else None
    if op is C.IN:
        if av == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return set(DIGITS)  # \d: the word text writes every decimal digit in ASCII
        chars = [chr(v).lower() for o, v in av if o is C.LITERAL]
        return set(chars) if chars and len(chars) == len(av) else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        if hi > 3:
            return None
        ex = _exact_seq(sub)
        if ex is None:
            return None
        out = set()
        for n in range(lo, hi + 1):
            prods = {""}
            for _ in range(n):
                prods = {a + b for a in prods for b in ex}
            out |= prods
        return out if len(out) <= MAX_EXACT else None
    if op is C.AT:
        return {""}  # \b, ^, $: match no characters
    return None


_WS_CATEGORIES = frozenset({C.CATEGORY_SPACE})


def _ends_word(item: Any) -> bool:
    """After this item, the next character begins a word (whitespace or a boundary)."""
    op, av = item
    if op is C.LITERAL:
        return chr(av).isspace()
    if op is C.AT:
        return True
    if op is C.IN:
        return any(o is C.CATEGORY and v in _WS_CATEGORIES for o, v in av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        # an optional separator ("[\s-]?") may be absent: then no word boundary follows
        return av[0] >= 1 and bool(len(av[2])) and _ends_word(av[2][-1])
    return False


def _required(
    seq: Any, word_start: bool = True, groups: list[set[Literal]] | None = None
) -> set[Literal] | None:
    """Literals one of which every match of `seq` contains, and whether they start words."""
    cands: list[tuple[set[str], bool]] = []
    run: set[str] = {""}
    run_start = word_start
    at_start = word_start

    def flush() -> None:
        nonlocal run
        if run != {""}:
            cands.append((run, run_start))
        run = {""}

    for item in seq:
        ex = _exact_item(item)
        if ex is not None:
            if run == {""}:
                run_start = at_start
            grown = {a + b for a in run for b in ex}
            if len(grown) <= MAX_EXACT:
                run = grown
            else:
                flush()
                run, run_start = ex, at_start
            at_start = _ends_word(item) or (at_start and ex == {""})
            continue
        flush()
        op, av = item
        sub: set[Literal] | None = None
        tail: set[str] | None = None
        if op is C.SUBPATTERN:
            sub = _required(av[-1], at_start)
        elif op is C.BRANCH:
            alts: set[Literal] = set()
            for branch in av[1]:
                r = _required(branch, at_start)
                if not r:
                    alts = set()
                    break
                alts |= r
            sub = alts or None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _required(av[2], at_start)
            unit = _exact_seq(av[2])
            if unit is not None and 1 < len(unit) <= len(DIGITS) and all(len(u) == 1 for u in unit):
                tail = unit  # "\d+k": what follows comes right after one of these characters
        if sub:
            starts = {w for _, w in sub}
            cands.append(({t for t, _ in sub}, starts == {True}))
        at_start = _ends_word(item)
        if tail is not None:
            run, run_start = tail, False
    flush()
    if groups is not None:
        groups.extend(_usable(cands))
    return _best(cands)


def required_literals(pattern: str) -> set[Literal] | None:
    """Literals one of which every match of `pattern` (case-insensitive) contains.

    None means no such set could be proved; the caller must then always run the pattern.
    """
    try:
        parsed = P.parse(pattern, 0)
    except Exception:  # syntax of the `regex` module that `re` does not know, e.g. \\p{Lu}
        return None
    return _required(parsed)


def _parse(pattern: str) -> Any:
    """`re`'s parse tree of `pattern`, or None for syntax only the `regex` module knows
    (e.g. \\p{Lu}): such a pattern is then always run. Memoised: literal_groups and
    leading_literals look at the same patterns."""
    try:
        return _parse_cached(pattern)
    except Exception:
        return None


@lru_cache(maxsize=256)
def _parse_cached(pattern: str) -> Any:
    return P.parse(pattern, 0)


def literal_groups(pattern: str) -> list[set[Literal]]:
    """Every set of literals that a match must contain one of, in pattern order: a pattern
    needs a hit from each group (an AND of ORs), which is far more selective than one group."""
    parsed = _parse(pattern)
    if parsed is None:
        return []
    groups: list[set[Literal]] = []
    _required(parsed, True, groups)
    # most selective first; three groups are plenty to rule a pattern out
    groups.sort(key=group_cost)
    return groups[:3]


_ZERO_WIDTH_OPS = frozenset({C.AT, C.ASSERT, C.ASSERT_NOT})


def _prefix(seq: Any) -> set[str] | None:
    """Literals every match of `seq` starts with (zero-width assertions skipped), or None."""
    run: set[str] = {""}
    started = False
    for item in seq:
        op, av = item
        if not started and op in _ZERO_WIDTH_OPS:
            continue
        started = True
        ex = _exact_item(item)
        if ex is not None:
            grown = {a + b for a in run for b in ex}
            if len(grown) > MAX_EXACT:
                break
            run = grown
            continue
        sub: set[str] | None = None
        if op is C.SUBPATTERN:
            sub = _prefix(av[-1])
        elif op is C.BRANCH:
            sub = set()
            for branch in av[1]:
                b = _prefix(branch)
                if not b:
                    sub = None
                    break
                sub |= b
        if sub:
            grown = {a + b for a in run for b in sub}
            if len(grown) <= MAX_EXACT:
                run = grown
        break
    return None if run == {""} else run


def leading_literals(pattern: str) -> set[str] | None:
    """The literals every match *starts* with (after zero-width assertions), or None.

    With them a pattern need not scan the text: it is tried only at the offsets where one of
    them occurs (`pattern.match(text, pos)`), which is what makes large lexicons cheap."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    run = _prefix(parsed)
    if not run:
        return None
    lits = {s.rstrip() for s in run}
    if any(len(s) < MIN_LITERAL or s[:1].isspace() for s in lits):
        return None
    return lits
