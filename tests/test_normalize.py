from compliance.text.normalize import normalize


def test_ascii_is_identity() -> None:
    n = normalize("Plain #ad text")
    assert not n.changed and n.text == "Plain #ad text"
    assert n.to_original(6, 9) == (6, 9)


def test_styled_letters_map_back_to_original_offsets() -> None:
    original = "Hi 𝐚𝐝 there"  # mathematical bold letters are two UTF-16 units but one code point
    n = normalize(original)
    assert n.text == "Hi ad there"
    start, end = n.to_original(3, 5)
    assert original[start:end] == "𝐚𝐝"
    assert n.obfuscation(3, 5) == "styled_unicode"
    assert n.obfuscation(6, 11) is None


def test_zero_width_removed_and_reported() -> None:
    original = "x #a\u200bd y"
    n = normalize(original)
    assert n.text == "x #ad y"
    start, end = n.to_original(2, 5)
    assert original[start:end] == "#a\u200bd"
    assert n.obfuscation(2, 5) == "zero_width"


def test_fullwidth_and_small_caps() -> None:
    assert normalize("＃ａｄ").text == "#ad"
    assert normalize("ᴀᴅ ᴘᴀʀᴛɴᴇʀ").text == "ad partner"


def test_confusables_only_next_to_latin() -> None:
    assert normalize("#\u0430d").text == "#ad"  # Cyrillic a inside a Latin hashtag
    russian = "привет мир"
    assert normalize(russian).text == russian


def test_typographic_apostrophe() -> None:
    n = normalize("I’m in")
    assert n.text == "I'm in"
    assert n.obfuscation(0, 3) is None


def test_lower_keeps_length() -> None:
    n = normalize("İstanbul #AD")
    assert len(n.lower) == len(n.text)
