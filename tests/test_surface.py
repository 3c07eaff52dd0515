from compliance.text.surface import Surface, split_camel


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
