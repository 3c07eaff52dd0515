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
    usable = [c for c in cands if c and min(len(s) for s in c) >= MIN_LITERAL]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(s) for s in c), -len(c)))


def _required(seq: Any) -> set[str] | None:
    cands: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append({"".join(run)})
            run.clear()

    for op, av in seq:
        if op is C.LITERAL:
            run.append(chr(av).lower())
            continue
        flush()
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
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _hi, item = av
            if lo >= 1:
                sub = _required(item)
                if sub:
                    cands.append(sub)
        elif op is C.IN:
            # a class of single literals such as [ns] or [ ] is a literal alternative set
            chars = [chr(v).lower() for o, v in av if o is C.LITERAL]
            if chars and len(chars) == len(av) and len(chars) <= 4:
                cands.append(set(chars))
        # anything else (assertions, categories, any) constrains nothing literal
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
