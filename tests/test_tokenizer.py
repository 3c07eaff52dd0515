from compliance.text.tokenizer import hashtag_parts, tokenize


def test_social_tokens_stay_whole() -> None:
    text = "Loving this! #AdPartner @acme.co https://amzn.to/3xY, 👍🏽 👨‍👩‍👧 🇺🇸 #ad."
    words = [t.text for t in tokenize(text, "en")]
    for token in ("#AdPartner", "@acme.co", "https://amzn.to/3xY", "👍🏽", "👨‍👩‍👧", "🇺🇸", "#ad"):
        assert token in words
    assert "," in words and "." in words


def test_doc_text_round_trips() -> None:
    for text in ("It won't cure  anything.\n\n#ad", "x #a", "", "   ", "Werbung: #Lieblings @b!"):
        assert tokenize(text, "de").text == text


def test_prose_rules_still_apply() -> None:
    words = [t.text for t in tokenize("It won't cure anything", "en")]
    assert "n't" in words


def test_hashtag_parts() -> None:
    assert hashtag_parts("#AdPartner") == ["Ad", "Partner"]
