from hypothesis import example, given
from hypothesis import strategies as st

from compliance.text.surface import _WORD_CHARS, WORD_RE, Surface, split_camel


def test_items() -> None:
    s = Surface(
        "text", "Love @glow.lab! https://amzn.to/3xY and liketk.it/2 #AdPartner #ad, e.g. x"
    )
    assert [m.body for m in s.mentions] == ["glow.lab"]
    assert [u.body for u in s.urls] == ["https://amzn.to/3xY", "liketk.it/2"]
    assert [h.body for h in s.hashtags] == ["AdPartner", "ad"]


def test_hashtag_not_inside_url_or_word() -> None:
    s = Surface("text", "see https://x.com/#ad and a#b and &#39;")
    assert s.hashtags == []


def test_camel_split() -> None:
    assert split_camel("AdPartner") == ["Ad", "Partner"]
    assert split_camel("adidas") == ["adidas"]
    assert split_camel("ADHD") == ["ADHD"]
    assert split_camel("paid_partnership") == ["paid", "partnership"]


def test_fold_by_chars_and_lines() -> None:
    s = Surface("text", "line one\nline two\nline three", fold_chars=125, fold_lines=2)
    assert s.fold_end == len("line one\nline two")
    assert s.above_fold(0, 4) and not s.above_fold(18, 22)
    long = Surface("text", "x" * 300, fold_chars=125, fold_lines=2)
    assert long.fold_end == 125
    short = Surface("text", "short", fold_chars=125, fold_lines=2)
    assert short.fold_end is None


def test_hashtag_blocks() -> None:
    s = Surface("text", "Great day out with friends.\n#one #two #three #four\nmore words #solo")
    assert len(s.hashtag_blocks) == 1
    _start, _end, items = s.hashtag_blocks[0]
    assert [i.body for i in items] == ["one", "two", "three", "four"]
    assert s.block_of(s.text.index("#three")) is not None
    assert s.block_of(s.text.index("#solo")) is None


@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "Zo",
                "don't",
                "-",
                "'",
                "’",
                " ",
                "\n",
                "7",
                "_",
                "✨",
                "🔥",
                "—",
                "€",
                "Ⓐ",
                "é",
                "e\u0301",
                "ß",
                "#tag",
                "#",
                "@him",
                "@",
                ".",
                "&",
                "x.com/a",
                "İ",
                "K",
                "٣",
                "½",
                "²",
            ]
        ),
        max_size=14,
    ).map("".join)
)
@example("✨ #tag7 @me.x_1 a#b don't—stop")
def test_word_spans_match_word_re_on_any_text(text: str) -> None:
    """Words are found with the standard library's engine on ASCII text and on text whose
    other characters cannot be in a word (emoji, dashes); they must be WORD_RE's words."""
    surface = Surface("text", text)
    got = surface.words_between(0, len(surface.text))
    spans = [m.span() for m in WORD_RE.finditer(surface.text)]
    assert list(zip(got[0], got[1], strict=True)) == spans
    assert surface.prose_word_texts == WORD_RE.findall(surface.prose_lower)
    prose = sum(1 for _ in WORD_RE.finditer(surface.prose_lower))
    assert surface.prose_words(0, len(surface.text)) == prose
    # and the word text, read through a byte table for such texts, is the table's result
    assert surface.word_text == " " + surface.lower.translate(_WORD_CHARS)
    # hashtags and mentions are those the Unicode patterns find
    slow = Surface("text", text)
    slow._is_ascii_like = False  # as if the text held letters outside ASCII
    assert surface.hashtags == slow.hashtags
    assert surface.mentions == slow.mentions
