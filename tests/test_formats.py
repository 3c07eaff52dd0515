"""Readers for batch inputs: CSV column mapping, platform exports, format sniffing, bad rows."""

import json
from pathlib import Path

import pytest

from compliance.engine import coerce_post
from compliance.errors import ComplianceError
from compliance.io.formats import iter_rows, resolve
from compliance.io.tabular import parse_mapping

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def records(path: Path, fmt: str = "auto", columns: dict | None = None) -> list[dict]:
    rows = list(iter_rows(path, fmt, columns))
    assert all(r.error is None for r in rows), [r.error for r in rows if r.error]
    return [r.record for r in rows if r.record is not None]


@pytest.mark.parametrize(
    ("name", "kind", "layout"),
    [
        ("instagram/posts_1.json", "instagram", "document"),
        ("youtube/videos.json", "youtube", "document"),
        ("x/tweets.json", "x", "document"),
        ("tiktok/user_data_tiktok.json", "tiktok", "document"),
        ("campaign.csv", "posts", "csv"),
        ("posts.jsonl", "posts", "lines"),
    ],
)
def test_every_sample_export_is_sniffed_and_every_item_is_a_valid_post(
    name: str, kind: str, layout: str
) -> None:
    source = resolve(EXPORTS / name)
    assert (source.kind, source.layout) == (kind, layout)
    recs = records(EXPORTS / name)
    assert len(recs) >= 3
    posts = [coerce_post(r) for r in recs]
    assert len({p.id for p in posts}) == len(posts)
    assert all(p.text for p in posts)


def test_instagram_export_undoes_meta_mojibake_and_takes_single_media_captions() -> None:
    raw = (EXPORTS / "instagram" / "posts_1.json").read_text()
    assert "\\u00e2\\u009c\\u00a8" in raw  # ✨ written the way Meta's exports write it
    recs = records(EXPORTS / "instagram" / "posts_1.json")
    assert "serum ✨ Use code MIA20" in recs[0]["text"]
    assert recs[1]["text"].startswith("#ad Gifted by @kestrelrun 🏃")  # caption on the media
    assert recs[0]["id"] == "17983452101612345"
    assert recs[0]["published_at"].startswith("2024-03-07T15:40:00")


def test_youtube_video_resource_fields() -> None:
    first, _, live = records(EXPORTS / "youtube" / "videos.json")
    assert first["title"].startswith("My honest 30-day review")
    assert first["text"].startswith("Thanks to Coppervane for sponsoring")
    assert first["duration_s"] == 12 * 60 + 31
    assert first["platform_disclosure_tool"] is True
    assert first["author"] == "Daily Grind with Sam"
    assert first["metadata"]["tags"] == ["espresso", "coffee"]
    assert live["is_livestream"] is True and live["duration_s"] == 3720


def test_x_tweets_expand_tco_links_prefer_note_tweet_and_name_the_author() -> None:
    first, _, long = records(EXPORTS / "x" / "tweets.json")
    assert "https://t.co/" not in first["text"]
    assert "stridelab.example/shop?ref=mia&utm_medium=affiliate" in first["text"]
    assert first["author"] == "miaruns"
    assert long["text"].endswith("anyone can do it.")  # the long-post text, not the preview
    assert long["author"] == "jayhustles"


def test_x_account_archive_js_file(tmp_path: Path) -> None:
    tweet = {
        "tweet": {
            "id_str": "42",
            "full_text": "Loving @acme shoes https://t.co/x1",
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "entities": {"urls": [{"url": "https://t.co/x1", "expanded_url": "https://amzn.to/z"}]},
        }
    }
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps([tweet]))
    (rec,) = records(path)
    assert rec["id"] == "42" and rec["text"] == "Loving @acme shoes https://amzn.to/z"
    assert coerce_post(rec).published_at.year == 2018


def test_tiktok_account_export_and_research_api(tmp_path: Path) -> None:
    recs = records(EXPORTS / "tiktok" / "user_data_tiktok.json")
    assert recs[0]["id"] == "7324567890123456789"
    assert recs[0]["author"] == "leafandlatte"
    assert recs[0]["metadata"]["Likes"] == "1520"
    research = {
        "data": {
            "videos": [
                {
                    "id": 7001,
                    "video_description": "new serum #sp",
                    "create_time": 1700000000,
                    "username": "mia",
                    "voice_to_text": "this video is sponsored by glowlab",
                    "video_duration": 31,
                }
            ]
        }
    }
    path = tmp_path / "research.json"
    path.write_text(json.dumps(research))
    (rec,) = records(path)
    post = coerce_post(rec)
    assert post.id == "7001" and post.author == "mia" and post.platform == "tiktok"
    assert post.transcript is not None and post.transcript[0].end == 31


def test_csv_columns_by_usual_names_unknown_columns_as_metadata() -> None:
    recs = records(EXPORTS / "campaign.csv")
    first = recs[0]
    assert first["id"] == "c-001" and first["author"] == "mia"
    assert first["text"].startswith("Loving my new serum")
    assert first["platform"] == "instagram" and first["brands"] == ["glowlab"]
    assert first["published_at"] == "2024-03-01"
    assert first["metadata"] == {"Likes": "1204"}
    assert recs[2]["platform"] == "x"  # "Twitter"
    assert "\nso comfy" in recs[2]["text"]  # a quoted line break stays in the text


def test_csv_explicit_mapping_semicolons_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Ref;Post copy;Network;Notes\n"
        'r1;"line one\nline two #ad";instagram;first\n'
        "r2;Use code SAVE10 @acme;TikTok;second\n"
    )
    rows = list(iter_rows(path, columns=parse_mapping(["text=Post copy", "id=ref"])))
    assert [r.line for r in rows] == [2, 4]
    assert rows[0].record == {
        "id": "r1",
        "text": "line one\nline two #ad",
        "platform": "instagram",
        "metadata": {"Notes": "first"},
    }
    assert rows[1].record is not None and rows[1].record["platform"] == "tiktok"


def test_csv_without_a_text_column_and_bad_mappings_are_coded_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ComplianceError) as exc:
        list(iter_rows(path))
    assert exc.value.code == "E006" and "caption" in exc.value.message
    with pytest.raises(ComplianceError) as exc:
        parse_mapping(["txt=Caption"])
    assert exc.value.code == "E009"
    with pytest.raises(ComplianceError) as exc:
        list(iter_rows(path, columns=parse_mapping(["text=Caption"])))
    assert exc.value.code == "E009" and "Caption" in exc.value.message


def test_csv_row_with_too_many_cells_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text\na,hello #ad\nb,one,two\nc,bye\n")
    rows = list(iter_rows(path))
    assert [(r.line, r.error.code if r.error else None) for r in rows] == [
        (2, None),
        (3, "E010"),
        (4, None),
    ]


def test_platform_objects_one_per_line_and_bad_lines(tmp_path: Path) -> None:
    videos = json.loads((EXPORTS / "youtube" / "videos.json").read_text())["items"]
    path = tmp_path / "videos.jsonl"
    path.write_text(json.dumps(videos[0]) + "\n{broken\n\n" + json.dumps(videos[1]) + "\n")
    assert resolve(path).kind == "youtube"
    rows = list(iter_rows(path))
    assert [(r.line, r.error.code if r.error else None) for r in rows] == [
        (1, None),
        (2, "E002"),
        (4, None),
    ]


def test_forced_format_on_the_wrong_shape_and_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    rows = list(iter_rows(path, "tiktok"))
    assert {r.error.code for r in rows if r.error} == {"E007"}
    with pytest.raises(ComplianceError) as exc:
        resolve(path, "myspace")
    assert exc.value.code == "E005"
    with pytest.raises(ComplianceError) as exc:
        resolve(tmp_path / "missing.jsonl")
    assert exc.value.code == "E004"
