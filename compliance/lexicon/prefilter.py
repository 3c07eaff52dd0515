"""Required literals of a pattern, for an Aho-Corasick prefilter.

Running a hundred regexes over every post is slow (measured: ~190 µs for 53 patterns over a
300-character caption; one big alternation was ~2 ms). Every pattern of ours contains words
that any match must contain. We extract a set of such literals per pattern ("a match contains
at least one of these"), feed all literals of a lexicon into one Aho-Corasick automaton, and run
a pattern only when one of its literals occurs in the lower-cased text.
"""

from __future__ import annotations

import re._constants as C  # noqa: N812
import re._parser as P  # noqa: N812
from typing import Any

MIN_LITERAL = 2


def _best(cands: list[set[str]]) -> set[str] | None:
    """The most selective candidate: the set whose shortest literal is longest."""
    usable = [{s.strip() or s for s in c} for c in cands]
    usable = [c for c in usable if c and min(len(s) for s in c) >= MIN_LITERAL]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(s) for s in c), -len(c)))


MAX_EXACT = 64


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


def _required(seq: Any) -> set[str] | None:
    """A set of literals one of which every match of `seq` contains (or None)."""
    cands: list[set[str]] = []
    run: set[str] = {""}

    def flush() -> None:
        nonlocal run
        if run != {""}:
            cands.append(run)
        run = {""}

    for item in seq:
        ex = _exact_item(item)
        if ex is not None:
            grown = {a + b for a in run for b in ex}
            if len(grown) <= MAX_EXACT:
                run = grown
                continue
            flush()
            run = ex
            continue
        flush()
        op, av = item
        if op is C.SUBPATTERN:
            sub = _required(av[-1])
            if sub:
                cands.append(sub)
        elif op is C.BRANCH:
            alts: set[str] = set()
            for branch in av[1]:
                r = _required(branch)
                if not r:
                    alts = set()
                    break
                alts |= r
            if alts:
                cands.append(alts)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _required(av[2])
            if sub:
                cands.append(sub)
    flush()
    return _best(cands)


def required_literals(pattern: str) -> set[str] | None:
    """Literals one of which every match of `pattern` (case-insensitive) contains.

    None means no such set could be proved; the caller must then always run the pattern.
    """
    try:
        parsed = P.parse(pattern, 0)
    except Exception:  # syntax of the `regex` module that `re` does not know, e.g. \\p{Lu}
        return None
    return _required(parsed)
