"""A surface is one text a person sees: the caption, the title, the transcript, the overlays.

It is normalised once and carries its hashtags, mentions, links, lines, hashtag walls and fold.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from typing import NamedTuple

import regex

from compliance.text.normalize import NormText, normalize

# A hashtag does not follow a letter, digit, "_", "&", "/" or "#" (`Surface.hashtags` checks
# that: a look-behind here would be evaluated at every offset the search scans)
HASHTAG_RE = regex.compile(r"#(?P<body>[\p{L}\p{N}_][\p{L}\p{N}\p{M}_]*)")
_AFTER_WORD = regex.compile(r"[\p{L}\p{N}_&/#]")
MENTION_RE = regex.compile(r"@(?P<body>[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*)")
# the same two on the ASCII form of a text whose other characters no word holds
# (`Surface._ascii_like`), with the standard library's faster engine
_ASCII_HASHTAG_RE = re.compile(r"#(?P<body>[A-Za-z0-9_]+)")
_ASCII_MENTION_RE = re.compile(r"@(?P<body>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")
_TLDS = (
    "com|net|org|io|co|me|to|it|ly|us|uk|de|fr|es|nl|se|fi|id|my|sg|in|shop|link|app|store"
    "|page|gl|gg|tv|eu|au|ca|br|pt"
)
URL_RE = regex.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|(?<![\p{L}\p{N}@.#/-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:" + _TLDS + r")(?![\p{L}\p{N}])(?:/[^\s<>\"'()\[\]{}]*)?",
    regex.IGNORECASE,
)
WORD_RE = regex.compile(r"[\p{L}][\p{L}\p{M}'’-]*")
# WORD_RE on ASCII text (where it finds exactly the same words), with the standard library's
# engine: twice as fast at this simple, linear-time pattern, and most captions are ASCII
_ASCII_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
NON_WORD_CHAR = regex.compile(r"[^\p{L}\p{N}]")


# A character outside ASCII that a word (WORD_RE) or the word text (a letter or digit) may
# hold; any other is read as a space by both
_WORD_PART = regex.compile(r"[\p{L}\p{N}\p{M}’]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SEPARATOR_CACHE: dict[str, bool] = {}


def _is_separator(char: str) -> bool:
    """Is `char` read as a space by WORD_RE and by the word text? Memoised per character."""
    got = _SEPARATOR_CACHE.get(char)
    if got is None:
        got = _WORD_PART.match(char) is None
        if len(_SEPARATOR_CACHE) < 100_000:
            _SEPARATOR_CACHE[char] = got
    return got


def _ascii_form(text: str) -> str:
    """`text` with every character outside ASCII replaced by "?" (same length)."""
    return text if text.isascii() else text.encode("ascii", "replace").decode()


class _WordChars(dict[int, int]):
    r"""str.translate table of the word text, filled as characters are met: a letter or digit
    stays (a decimal digit of any script becomes its ASCII digit, as the lexicons' `\d`
    literals are written), any other character becomes a space (NON_WORD_CHAR)."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if NON_WORD_CHAR.match(char):
            value = 32
        else:
            digit = unicodedata.decimal(char, None)
            value = 48 + digit if digit is not None else code
        if len(self) < 100_000:
            self[code] = value
        return value


_WORD_CHARS = _WordChars()
# the same table as bytes, for ASCII text (bytes.translate: ~25x faster than the regex)
_ASCII_WORD_BYTES = bytes(_WORD_CHARS[c] for c in range(128)) + b" " * 128
_SEP_RE = regex.compile(r"[_\-]+")
_SENTENCE_BREAK = regex.compile(r"[.!?…]+(?=\s|$)|\n")
_BARE_DOMAIN_HINT = regex.compile(rf"\.(?:{_TLDS})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
_CAMEL_RE = regex.compile(r"\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+")


def split_camel(body: str) -> list[str]:
    """'AdPartner' -> ['Ad', 'Partner']; 'ad_partner' -> ['ad', 'partner']; 'adidas' -> ['adidas']."""
    parts: list[str] = []
    for chunk in _SEP_RE.split(body):
        if chunk:
            parts.extend(_CAMEL_RE.findall(chunk) or [chunk])
    return parts


def hashtag_key(text: str) -> str:
    """How a hashtag is looked up: lower case, without "_", "-" or spaces ("Ad_Partner" ->
    "adpartner")."""
    return "".join(text.lower().replace("_", " ").replace("-", " ").split())


class Item(NamedTuple):
    """A hashtag, mention or link: kind, normalised span, and its body (without # or @)."""

    kind: str
    start: int
    end: int
    body: str


class Segment(NamedTuple):
    """Where one transcript / overlay segment sits inside the joined surface text."""

    start: int
    end: int
    start_s: float
    end_s: float


class Surface:
    """One normalised text with its tokens-of-interest and zones (offsets are normalised).

    What a detector may ask for is worked out on first use and kept: each such property keeps
    its value in a private attribute set in `__init__` (None: not worked out yet). Plain
    attributes, not a descriptor that stores into the instance dict, so that the compiled
    build can make this a native class (which has no instance dict)."""

    def __init__(
        self,
        name: str,
        text: str,
        fold_chars: int | None = None,
        fold_lines: int | None = None,
        segments: list[Segment] | None = None,
    ) -> None:
        self.name = name
        self.norm: NormText = normalize(text)
        self.fold_chars = fold_chars
        self.fold_lines = fold_lines
        self.segments = segments
        self._words_between: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        self._is_ascii_like: bool | None = None
        self._ascii: str | None = None
        self._word_text: str | None = None
        self._urls: list[Item] | None = None
        self._hashtags: list[Item] | None = None
        self._hashtag_keys: list[tuple[Item, str]] | None = None
        self._mentions: list[Item] | None = None
        self._items: list[Item] | None = None
        self._line_starts: list[int] | None = None
        self._fold_end: int | None = None
        self._fold_known = False
        self._hashtag_blocks: list[tuple[int, int, list[Item]]] | None = None
        self._prose_lower: str | None = None
        self._words_view: tuple[re.Pattern[str] | regex.Pattern[str], str] | None = None
        self._prose_words_view: tuple[re.Pattern[str] | regex.Pattern[str], str] | None = None
        self._sentence_breaks: list[int] | None = None
        self._prose_word_texts: list[str] | None = None

    # --- plain views --------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.norm.text

    @property
    def lower(self) -> str:
        return self.norm.lower

    def __len__(self) -> int:
        return len(self.norm.text)

    @property
    def _ascii_like(self) -> bool:
        """Is every character ASCII, or one that no word holds (emoji, "✨", "—", "€": not a
        letter, digit or mark, nor "’")? Such a text has the same words as its ASCII form with
        "?" for those characters (`_ascii_form`: same length), where the standard library's
        engine and byte tables find them much faster than the `regex` module's classes."""
        got = self._is_ascii_like
        if got is None:
            got = self._is_ascii_like = self._compute_ascii_like()
        return got

    def _compute_ascii_like(self) -> bool:
        text = self.text
        if text.isascii():
            return True
        return all(map(_is_separator, _NON_ASCII.findall(text)))

    @property
    def _ascii_text(self) -> str:
        got = self._ascii
        if got is None:
            got = self._ascii = _ascii_form(self.text)
        return got

    def _scanner(
        self, pattern: regex.Pattern[str], ascii_pattern: re.Pattern[str], text: str
    ) -> tuple[re.Pattern[str] | regex.Pattern[str], str]:
        """The pattern and the string to run it on, for this surface's `text` or a string of
        the same characters (`prose_lower`): `ascii_pattern` on the ASCII form where
        `_ascii_like` allows, else the Unicode `pattern` on `text` itself."""
        if self._ascii_like:
            return ascii_pattern, self._ascii_text if text is self.text else _ascii_form(text)
        return pattern, text

    @property
    def word_text(self) -> str:
        """ " " + the lower-case text with every non-alphanumeric character blanked: where a
        lexicon literal that must begin a word is looked up (lexicon/literals.py)."""
        got = self._word_text
        if got is None:
            got = self._word_text = self._compute_word_text()
        return got

    def _compute_word_text(self) -> str:
        low = self.lower
        if self._ascii_like:  # a byte table: ~25x faster than the regex for most captions
            return " " + low.encode("ascii", "replace").translate(_ASCII_WORD_BYTES).decode()
        return " " + low.translate(_WORD_CHARS)

    # --- items ------------------------------------------------------------------------------
    @property
    def urls(self) -> list[Item]:
        got = self._urls
        if got is None:
            got = self._urls = self._compute_urls()
        return got

    def _compute_urls(self) -> list[Item]:
        text = self.text
        if "://" not in text and "www." not in text and not _BARE_DOMAIN_HINT.search(text):
            return []
        return [Item("url", m.start(), m.end(), m.group(0)) for m in URL_RE.finditer(text)]

    @property
    def hashtags(self) -> list[Item]:
        got = self._hashtags
        if got is None:
            got = self._hashtags = self._compute_hashtags()
        return got

    def _compute_hashtags(self) -> list[Item]:
        text = self.text
        if "#" not in text:
            return []
        urls = self.urls
        out = []
        pattern, scanned = self._scanner(HASHTAG_RE, _ASCII_HASHTAG_RE, text)
        for m in pattern.finditer(scanned):
            start, end = m.span()
            if start and _AFTER_WORD.match(text, start - 1):
                continue  # "a#b", "&#39", "/#anchor", "##": not a hashtag
            if urls and any(u.start <= start < u.end for u in urls):
                continue
            out.append(Item("hashtag", start, end, m["body"]))
        return out

    @property
    def hashtag_keys(self) -> list[tuple[Item, str]]:
        """Each hashtag with its look-up key (`hashtag_key`): every lexicon reads them."""
        got = self._hashtag_keys
        if got is None:
            got = self._hashtag_keys = [(tag, hashtag_key(tag.body)) for tag in self.hashtags]
        return got

    @property
    def mentions(self) -> list[Item]:
        got = self._mentions
        if got is None:
            got = self._mentions = self._compute_mentions()
        return got

    def _compute_mentions(self) -> list[Item]:
        text = self.text
        if "@" not in text:
            return []
        url_spans = [(u.start, u.end) for u in self.urls]
        out = []
        pattern, scanned = self._scanner(MENTION_RE, _ASCII_MENTION_RE, text)
        for m in pattern.finditer(scanned):
            start = m.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_@."):
                continue  # an e-mail address or a second '@'
            if url_spans and any(s <= start < e for s, e in url_spans):
                continue
            out.append(Item("mention", start, m.end(), m.group("body")))
        return out

    @property
    def items(self) -> list[Item]:
        got = self._items
        if got is None:
            got = self._items = sorted(
                [*self.hashtags, *self.mentions, *self.urls], key=lambda i: i.start
            )
        return got

    # --- lines and zones -------------------------------------------------------------------
    @property
    def line_starts(self) -> list[int]:
        got = self._line_starts
        if got is None:
            got = self._line_starts = self._compute_line_starts()
        return got

    def _compute_line_starts(self) -> list[int]:
        starts = [0]
        text = self.text
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        return starts

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    @property
    def fold_end(self) -> int | None:
        """Offset of the first character hidden behind '... more'; None when all is visible."""
        if not self._fold_known:
            self._fold_end = self._compute_fold_end()
            self._fold_known = True
        return self._fold_end

    def _compute_fold_end(self) -> int | None:
        limits = []
        if self.fold_chars is not None:
            limits.append(self.fold_chars)
        if self.fold_lines is not None and len(self.line_starts) > self.fold_lines:
            # the line break that ends the last visible line hides what follows
            limits.append(self.line_starts[self.fold_lines] - 1)
        if not limits:
            return None
        end = min(limits)
        return end if end < len(self.text.rstrip()) else None

    def above_fold(self, start: int, end: int) -> bool:
        fold = self.fold_end
        return fold is None or end <= fold

    @property
    def hashtag_blocks(self) -> list[tuple[int, int, list[Item]]]:
        """Runs of three or more hashtags / mentions / links with no words between them."""
        got = self._hashtag_blocks
        if got is None:
            got = self._hashtag_blocks = self._compute_hashtag_blocks()
        return got

    def _compute_hashtag_blocks(self) -> list[tuple[int, int, list[Item]]]:
        items = self.items
        if len(items) < 3:
            return []
        blocks: list[tuple[int, int, list[Item]]] = []
        run: list[Item] = [items[0]]
        text = self.text
        for prev, cur in itertools.pairwise(items):
            gap = text[prev.end : cur.start]
            if not gap or gap.isspace() or WORD_RE.search(gap) is None:
                run.append(cur)
            else:
                self._close(run, blocks)
                run = [cur]
        self._close(run, blocks)
        return blocks

    @staticmethod
    def _close(run: list[Item], blocks: list[tuple[int, int, list[Item]]]) -> None:
        if len(run) >= 3 and sum(1 for i in run if i.kind == "hashtag") >= 2:
            blocks.append((run[0].start, run[-1].end, list(run)))

    def block_of(self, start: int) -> tuple[int, int, list[Item]] | None:
        for block in self.hashtag_blocks:
            if block[0] <= start < block[1]:
                return block
        return None

    @property
    def prose_lower(self) -> str:
        """The lower-case text with hashtags, mentions and links blanked out."""
        got = self._prose_lower
        if got is None:
            got = self._prose_lower = self._compute_prose_lower()
        return got

    def _compute_prose_lower(self) -> str:
        items = self.items
        if not items:
            return self.lower
        parts = []
        pos = 0
        for item in items:
            if item.start >= pos:
                parts.append(self.lower[pos : item.start])
                parts.append(" " * (item.end - item.start))
                pos = item.end
        parts.append(self.lower[pos:])
        return "".join(parts)

    def words_between(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """(starts, ends) of the words in text[start:end], hashtags and mentions included;
        `start` and `end` must not fall inside a word (a sentence's bounds do not: no word
        holds a sentence break). Kept per range: the claims of one sentence share it."""
        key = (start, end)
        got = self._words_between.get(key)
        if got is None:
            starts: list[int] = []
            ends: list[int] = []
            pattern, text = self._word_text_view
            for m in pattern.finditer(text, start, end):
                starts.append(m.start())
                ends.append(m.end())
            got = self._words_between[key] = (starts, ends)
        return got

    @property
    def _word_text_view(self) -> tuple[re.Pattern[str] | regex.Pattern[str], str]:
        got = self._words_view
        if got is None:
            got = self._words_view = self._scanner(WORD_RE, _ASCII_WORD_RE, self.text)
        return got

    @property
    def _prose_view(self) -> tuple[re.Pattern[str] | regex.Pattern[str], str]:
        got = self._prose_words_view
        if got is None:
            got = self._prose_words_view = self._scanner(WORD_RE, _ASCII_WORD_RE, self.prose_lower)
        return got

    @property
    def sentence_breaks(self) -> list[int]:
        """Offsets where a sentence ends (after . ! ? … or at a line break)."""
        got = self._sentence_breaks
        if got is None:
            got = self._sentence_breaks = [m.end() for m in _SENTENCE_BREAK.finditer(self.text)]
        return got

    @property
    def prose_word_texts(self) -> list[str]:
        """The lower-case words that are not part of a hashtag, mention or link (language
        detection reads them)."""
        got = self._prose_word_texts
        if got is None:
            got = self._prose_word_texts = self._compute_prose_word_texts()
        return got

    def _compute_prose_word_texts(self) -> list[str]:
        pattern, text = self._prose_view
        words: list[str] = pattern.findall(text)
        return words

    def prose_words(self, start: int, end: int, at_most: int | None = None) -> int:
        """Words beginning in text[start:end] that are not part of a hashtag, mention or link;
        counting stops at `at_most` (the callers compare with a small threshold, so a long
        text is not scanned for them). `start` must not fall inside a word."""
        n = 0
        pattern, text = self._prose_view
        for _m in pattern.finditer(text, start, end):
            n += 1
            if n == at_most:
                break
        return n

    # --- media segments ---------------------------------------------------------------------
    def segment_at(self, offset: int) -> int | None:
        if not self.segments:
            return None
        starts = [s.start for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 else None


def join_segments(parts: list[tuple[str, float, float]]) -> tuple[str, list[Segment]]:
    """Join timed texts with line breaks, remembering where each sits and when."""
    pieces: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for text, start_s, end_s in parts:
        segments.append(Segment(pos, pos + len(text), start_s, end_s))
        pieces.append(text)
        pos += len(text) + 1
    return "\n".join(pieces), segments
