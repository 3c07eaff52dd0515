"""Compiled lexicons: find terms of a lexicon in a surface, fast and time-bounded.

One compiled lexicon holds hashtag look-ups (a dict), stand-alone labels (two regexes), and
phrase / regex entries behind an Aho-Corasick prefilter (see `prefilter.py`). Every regex is
compiled once with the `regex` module and every call is time-bounded (`watchdog.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

import ahocorasick_rs
import regex

from compliance.errors import ComplianceError
from compliance.lazy import Transient
from compliance.lexicon.literals import LiteralIndex, literal_automaton
from compliance.lexicon.prefilter import Literal, group_cost, leading_literals, literal_groups
from compliance.lexicon.watchdog import REGEX_TIMEOUT_S, call_timeout, note_call, note_idle
from compliance.text.surface import Surface, hashtag_key, split_camel

_T = TypeVar("_T")

MAX_LEADS = 64  # more leading literals than this: search the text instead of finding them
MAX_ANCHORED = 8  # more offsets to try than this: one scan from the first

# A brand reference: @handle, #tag, or one to four capitalised words / words with digits.
_NOT_BRANDS = (
    r"(?!(?:mum|mom|mommy|mummy|dad|daddy|mama|papa|babe|baby|bae|hubby|wifey|guys|everyone"
    r"|everybody|all|you|god|team|friends?|family|grandma|grandpa|nan|nana)(?![\p{L}\p{N}]))"
)
BRAND_RE = (
    r"(?:@[\p{L}\p{N}_.]+|#[\p{L}\p{N}_]+|"
    + _NOT_BRANDS
    + r"(?-i:[\p{Lu}\p{N}][\p{L}\p{N}&'’-]*(?:\.[\p{L}\p{N}]+)*)"
    r"(?:[^\S\n]+(?-i:[\p{Lu}\p{N}][\p{L}\p{N}&'’-]*(?:\.[\p{L}\p{N}]+)*)){0,3})"
)
_GENERIC_PREFIXES = frozenset({"brand", "my", "the", "official", "your", "our", "a", "new"})


def split_alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level '|' ("a|b(c|d)|e" -> ["a", "b(c|d)", "e"]), so each
    alternative gets its own, more selective prefilter literals and runs only when they occur."""
    parts: list[str] = []
    depth = 0
    in_class = False
    start = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if all(p.strip() for p in parts) else [pattern]


def phrase_to_regex(term: str) -> str:
    """A plain phrase with optional {brand}: words in order, any whitespace between them."""
    words = []
    for word in term.split():
        pieces = [regex.escape(p) for p in word.split("{brand}")]
        words.append("{brand}".join(pieces))
    return r"\s+".join(words)


class Hit(NamedTuple):
    """One lexicon entry found in a surface (normalised offsets)."""

    entry: Any  # DisclosureEntry | SignalEntry
    start: int
    end: int
    text: str
    pattern: str  # entry id: "<lang>:<match>:<term>"
    language: str
    obfuscated: str | None = None


class CompiledLexicon:
    """Everything needed to find the entries of one lexicon (all its languages) in a surface."""

    def __init__(
        self,
        entries: Sequence[tuple[str, Any]] = (),
        name: str = "",
        also_needs: Callable[[str, Any], list[set[Literal]]] | None = None,
    ) -> None:
        """`entries`: (language, entry) pairs; one lexicon may hold several languages.
        `also_needs(language, entry)`: further groups of literals, one of each of which the
        text must contain for the entry to be found at all (the claim contexts it requires):
        its patterns are not even tried in a text without them. Used while building only (a
        built lexicon is pickled: the audit's cached checker, Spark's broadcast). With no
        arguments: an empty lexicon, which is what unpickling starts from in the compiled
        build (mypyc calls `__init__()` and then sets the pickled attributes)."""
        self.name = name
        self.hashtags: dict[str, list[tuple[str, Any]]] = {}
        self.suffixes: list[tuple[str, str, Any]] = []
        labels: dict[str, list[tuple[str, Any]]] = {}
        # (regex source, language, entry); compiled on first use (`compiled`), or all at once
        # with `compile_all` (a server before it takes traffic; `rules test` to validate)
        self.patterns: list[tuple[str, str, Any]] = []
        self._compiled: list[regex.Pattern[str] | None] = []
        self.always: list[int] = []
        # all literals of all patterns, per language (see literals.py)
        self.index = LiteralIndex()
        self.leads: dict[int, tuple[str, ...]] = {}  # literals a match must start with
        self.wheres: list[str] = []  # names the pattern in a timeout note

        for lang, entry in entries:
            where = f"{name}/{lang}: {entry.term!r}"
            if entry.match == "hashtag":
                self.hashtags.setdefault(hashtag_key(entry.term), []).append((lang, entry))
            elif entry.match == "hashtag_suffix":
                self.suffixes.append((hashtag_key(entry.term), lang, entry))
            elif entry.match == "label":
                labels.setdefault(entry.term.lower(), []).append((lang, entry))
            else:
                whole = phrase_to_regex(entry.term) if entry.match == "phrase" else entry.term
                for source in split_alternatives(whole):
                    extra = also_needs(lang, entry) if also_needs is not None else []
                    self._add_pattern(source, lang, entry, where, extra)
        self.index.build()

        self.suffix_keys = tuple({suffix for suffix, _lang, _e in self.suffixes})
        self.ad_keys = tuple(
            k
            for k, entries in self.hashtags.items()
            if any(e.kind == "ad" and e.clarity == "clear" for _lang, e in entries)
        )
        self.labels = labels
        self.label_terms = tuple(labels)
        self._built: dict[str, ahocorasick_rs.AhoCorasick] = Transient()  # not pickled

    def label_automaton(self) -> ahocorasick_rs.AhoCorasick:
        automaton = self._built.get("labels")
        if automaton is None:
            automaton = self._built["labels"] = literal_automaton(self.label_terms)
        return automaton

    def _add_pattern(
        self,
        source: str,
        lang: str,
        entry: Any,
        where: str,
        extra: list[set[Literal]],
    ) -> None:
        """Pattern `source` of `entry`; `extra`: further groups of literals it needs."""
        full = source.replace("{brand}", BRAND_RE)
        idx = len(self.patterns)
        # a match must not begin right after a letter, digit or "_" either: checked by
        # `match_at` / `finditer` (`_inside_word`), not by a look-behind in the pattern, which
        # the regex engine would evaluate at every offset it scans (half of a search's time)
        self.patterns.append((rf"(?:{full})(?![\p{{L}}\p{{N}}_])", lang, entry))
        self._compiled.append(None)
        self.wheres.append(where)
        probe = source.replace("{brand}", r"\w+")
        groups = literal_groups(probe)
        if not groups:
            self.always.append(idx)
            return
        # A pattern is looked up by one group. Best is the set of literals every match starts
        # with: the automaton hits then also give the offsets to try the pattern at, and
        # nothing scans the text. Otherwise by the most selective group, and the pattern is
        # tried at the offsets of its leading literals (few) or searched from the first.
        lead = leading_literals(probe)
        lead_group = {(lit, True) for lit in lead} if lead else None
        best = groups[0]
        if lead_group and group_cost(lead_group) <= max(2 * group_cost(best), 0.1):
            rest = [g for g in groups if {t for t, _ in g} != lead]
            self.index.add(idx, lang, [lead_group, *rest[:2], *extra], from_lead=True)
        else:
            self.index.add(idx, lang, [*groups, *extra])
            if lead and len(lead) <= MAX_LEADS:
                self.leads[idx] = tuple(sorted(lead))

    def compiled(self, idx: int) -> regex.Pattern[str]:
        """Pattern `idx`, compiled once (E106 names the entry if it is not a valid regex)."""
        pattern = self._compiled[idx]
        if pattern is None:
            try:
                pattern = regex.compile(self.patterns[idx][0], regex.IGNORECASE | regex.VERSION0)
            except regex.error as exc:
                raise ComplianceError("E106", where=self.wheres[idx], detail=str(exc)) from exc
            self._compiled[idx] = pattern
        return pattern

    def matches(self, idx: int, text: str) -> list[regex.Match[str]]:
        """Every match of pattern `idx` in `text`, as `find` reads them (E301 when the
        pattern runs out of time)."""
        return finditer(self.compiled(idx), text, self.wheres[idx], None)

    def compile_all(self) -> None:
        """Compile every pattern now: validates a lexicon, and spares the first checks of a
        long-running process the compile cost."""
        for idx in range(len(self.patterns)):
            self.compiled(idx)
        self.index.build_automata()
        if self.label_terms:
            self.label_automaton()

    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _hit(lang: str, entry: Any, surface: Surface, start: int, end: int, kind: str) -> Hit:
        return Hit(
            entry=entry,
            start=start,
            end=end,
            text=surface.text[start:end],
            pattern=f"{lang}:{kind}:{entry.term}",
            language=lang,
            obfuscated=surface.norm.obfuscation(start, end),
        )

    def find(
        self,
        surface: Surface,
        timeouts: list[str] | None = None,
        languages: frozenset[str] | None = None,
    ) -> list[Hit]:
        """All entries found in `surface`; phrase / regex entries only of `languages` if given
        (hashtags and labels are dictionary look-ups and always cover every language)."""
        hits: list[Hit] = []
        text = surface.text
        # hashtags: exact keys, brand-qualified suffixes, CamelCase 'Ad' prefix
        if self.hashtags or self.suffixes:
            for tag, key in surface.hashtag_keys:
                found = self.hashtags.get(key)
                if found:
                    hits.extend(
                        self._hit(lang, e, surface, tag.start, tag.end, "hashtag")
                        for lang, e in found
                    )
                    continue
                if self.suffix_keys and key.endswith(self.suffix_keys):
                    suffix_hit = None
                    for suffix, lang, entry in self.suffixes:
                        if key.endswith(suffix) and len(key) > len(suffix):
                            if key[: -len(suffix)] not in _GENERIC_PREFIXES:
                                suffix_hit = self._hit(
                                    lang, entry, surface, tag.start, tag.end, "suffix"
                                )
                            break
                    if suffix_hit is not None:
                        hits.append(suffix_hit)
                        continue
                if self.ad_keys and key.startswith(self.ad_keys):
                    parts = split_camel(tag.body)
                    if len(parts) > 1 and parts[0] != parts[0].lower():
                        for lang, e in self.hashtags.get(parts[0].lower(), ()):
                            if e.kind == "ad" and e.clarity == "clear":
                                hits.append(
                                    self._hit(lang, e, surface, tag.start, tag.end, "camel")
                                )
        # stand-alone labels
        if self.label_terms:
            low = surface.lower
            terms = self.label_terms
            for k, start, end in self.label_automaton().find_matches_as_indexes(
                low, overlapping=True
            ):
                for lang, entry in self.labels[terms[k]]:
                    if _is_label(text, start, end, entry):
                        hits.append(self._hit(lang, entry, surface, start, end, "label"))
        # phrases and regexes behind the prefilter
        if self.patterns:
            patterns = self.patterns
            low = surface.lower
            candidates, pairs = self.index.search(low, surface.word_text, languages)
            if self.always:
                candidates.update(
                    i for i in self.always if languages is None or patterns[i][1] in languages
                )
            occ = self.index.occurrences(pairs) if candidates else {}
            for idx in sorted(candidates):
                _source, lang, entry = patterns[idx]
                compiled = self.compiled(idx)
                positions = self.index.lead_offsets(idx, occ)
                if positions is None:
                    lead = self.leads.get(idx)
                    positions = _starts(low, lead) if lead else None
                if positions is not None and len(positions) <= MAX_ANCHORED:
                    matches = match_at(compiled, text, positions, self.wheres[idx], timeouts)
                elif positions == []:
                    matches = []
                else:  # many possible starts: one scan from the first is cheaper
                    first = positions[0] if positions else 0
                    matches = finditer(compiled, text, self.wheres[idx], timeouts, first)
                for m in matches:
                    if m.end() > m.start():
                        hits.append(
                            self._hit(lang, entry, surface, m.start(), m.end(), entry.match)
                        )
        return hits


_SEPARATORS = frozenset(":|-–—/•!.,")
_LABEL_FOLLOW = _SEPARATORS | frozenset("[(@#")
_BULLETS = frozenset("*•|-–—>")


def _is_label(text: str, start: int, end: int, entry: Any) -> bool:
    """Is text[start:end] written as a stand-alone label (see docs/data-formats.md)?"""
    if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_#@&'’")) or (
        end < len(text) and (text[end].isalnum() or text[end] in "_'’")
    ):
        return False
    word = text[start:end]
    if word.isupper() and len(word) >= 2 and entry.clarity == "clear":
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    before = text[line_start:start].strip()
    after = text[end:line_end].strip()
    if all(c in _BULLETS for c in before) and (not after or after[0] in _LABEL_FOLLOW):
        return True  # whole line, or "Ad: ..." / "Ad | ..." / "Ad [Brand]" at a line start
    if before[-1:] in ("[", "(") and after[:1] in ("]", ")"):
        return True
    return bool(before) and before[-1] in "|–—•" and not after


def _starts(low: str, literals: tuple[str, ...]) -> list[int]:
    """Offsets where one of `literals` begins a word in `low`."""
    out = set()
    for lit in literals:
        i = low.find(lit)
        while i != -1:
            if i == 0 or not low[i - 1].isalnum():
                out.add(i)
            i = low.find(lit, i + 1)
    return sorted(out)


_WORD_CHAR = regex.compile(r"[\p{L}\p{N}_]")


def _inside_word(text: str, pos: int) -> bool:
    """Does offset `pos` follow a letter, digit or "_" (where no lexicon match may begin)?"""
    if pos == 0:
        return False
    char = text[pos - 1]
    if char.isascii():  # str methods agree with the pattern on ASCII, and are faster
        return char.isalnum() or char == "_"
    return _WORD_CHAR.match(char) is not None


def match_at(
    pattern: regex.Pattern[str],
    text: str,
    positions: list[int],
    where: str,
    timeouts: list[str] | None,
) -> list[regex.Match[str]]:
    """Matches that start at the given offsets (non-overlapping, in order), none inside a
    word."""
    out: list[regex.Match[str]] = []
    reach = 0
    timeout = call_timeout()
    watched = timeout is None
    try:
        try:
            for pos in positions:
                if pos < reach or _inside_word(text, pos):
                    continue
                if watched:
                    note_call()
                m = pattern.match(text, pos, timeout=timeout)
                if m is not None:
                    out.append(m)
                    reach = m.end()
        finally:  # inside the outer try: the watchdog's TimeoutError is caught wherever it lands
            if watched:
                note_idle()
    except TimeoutError:
        return _timed_out(where, timeouts)
    return out


def _timed_out(where: str, timeouts: list[str] | None) -> list[regex.Match[str]]:
    if timeouts is None:
        raise ComplianceError("E301", seconds=REGEX_TIMEOUT_S, where=where) from None
    timeouts.append(where)
    return []


def finditer(
    pattern: regex.Pattern[str],
    text: str,
    where: str,
    timeouts: list[str] | None,
    pos: int = 0,
) -> list[regex.Match[str]]:
    r"""All matches from `pos` on, none beginning inside a word (what a look-behind
    `(?<![\p{L}\p{N}_])` before the pattern would give), or none and a note in `timeouts`
    when the pattern ran out of time."""
    out: list[regex.Match[str]] = []
    timeout = call_timeout()
    watched = timeout is None
    try:
        try:
            while True:
                if watched:
                    note_call()
                m = pattern.search(text, pos, timeout=timeout)
                if m is None:  # the common case: a candidate that does not match
                    return out
                if _inside_word(text, m.start()):
                    pos = m.start() + 1  # as the look-behind would: try the next offset
                    continue
                out.append(m)
                pos = m.end() if m.end() > m.start() else m.end() + 1
        finally:  # as in match_at
            if watched:
                note_idle()
    except TimeoutError:
        return _timed_out(where, timeouts)


def _bounded(
    run: Callable[[float | None], _T], where: str, timeouts: list[str] | None, failed: _T
) -> _T:
    """`run(timeout)` within the time bound (the watchdog's, or `timeout` per call), or
    `failed` and a note in `timeouts` when it runs out of time (E301 without `timeouts`). A
    pattern that ran out of time once on a post (its `where` is noted) is not tried again
    on that post: a hostile text would otherwise cost the bound once per place it is
    tried. `match_at` and `finditer`, on every post's path, keep their own copy of this
    bookkeeping: written as closures run through here they cost about 0.9% more
    instructions per caption check (callgrind, compiled build, 400 captions: 939,513, against
    931,072 for the build before, which also lacked the money scan's look-behind)."""
    if timeouts is not None and where in timeouts:
        return failed
    timeout = call_timeout()
    watched = timeout is None
    try:
        try:
            if watched:
                note_call()
            return run(timeout)
        finally:  # as in match_at
            if watched:
                note_idle()
    except TimeoutError:
        _timed_out(where, timeouts)
        return failed


def bounded_search(
    pattern: regex.Pattern[str], text: str, where: str, timeouts: list[str] | None
) -> regex.Match[str] | None:
    """`pattern.search(text)` within the time bound: for patterns not behind the prefilter
    (claim contexts and qualifiers of a lexicon); None when it runs out of time."""
    return _bounded(lambda t: pattern.search(text, timeout=t), where, timeouts, None)


def bounded_finditer(
    pattern: regex.Pattern[str], text: str, where: str, timeouts: list[str] | None
) -> list[regex.Match[str]]:
    """Every match of `pattern.finditer(text)`, the whole scan within the time bound; none
    when it runs out of time."""
    return _bounded(lambda t: list(pattern.finditer(text, timeout=t)), where, timeouts, [])
