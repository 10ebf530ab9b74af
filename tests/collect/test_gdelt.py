"""GDELT readers: real samples from the shared corpus plus our own small fixtures."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from tests.conftest import FIXTURES, need_corpus
from watchfloor.collect.gdelt import cameo_phrase, fips_to_iso, parse_gdelt
from watchfloor.errors import ParseError

GDELT = FIXTURES / "gdelt"


def _events1() -> bytes:
    return (need_corpus("gdelt-samples") / "gdelt1_events_sample.tsv").read_bytes()


@pytest.mark.corpus
def test_gdelt1_sample_rows_with_source_url_become_one_item_per_article() -> None:
    feed = parse_gdelt(_events1())
    assert feed.format == "gdelt1-events"
    assert feed.rejects == []
    web = [i for i in feed.items if i.url and i.url.startswith("http")]
    # 509 rows carry a SOURCEURL; they cite 447 distinct articles
    assert len(web) == 447
    events = [c for i in web for c in i.categories if c.startswith("gdelt:event:")]
    assert len(events) == 509


@pytest.mark.corpus
def test_gdelt1_backfile_rows_get_pseudo_urls() -> None:
    feed = parse_gdelt(_events1())
    backfile = [i for i in feed.items if i.url and i.url.startswith("gdelt://event/")]
    assert len(backfile) == 201
    item = next(i for i in backfile if i.guid == "gdelt:230523753")
    assert item.url == "gdelt://event/230523753"
    assert item.published == datetime(2013, 2, 6, tzinfo=UTC)
    assert "cameo:190" in item.categories and "quadclass:4" in item.categories
    assert "goldstein:-10.0" in item.categories
    assert "event-date:1982-12-31" in item.categories
    assert item.geo == [("Vietnam, Republic Of", 16.0, 106.0, "VN")]


@pytest.mark.corpus
def test_gdelt1_item_has_title_date_and_iso_geo() -> None:
    feed = parse_gdelt(_events1())
    item = next(i for i in feed.items if i.guid == "gdelt:564111664")
    assert (
        item.title
        == "Arrest or detention involving Iowa in Pottawattamie County, Iowa, United States"
    )
    assert item.published == datetime(2016, 7, 28, tzinfo=UTC)
    assert item.geo == [("Pottawattamie County, Iowa, United States", 41.3333, -95.5336, "US")]
    # every ActionGeo country code in the sample maps to ISO
    assert all(g[3] is not None for i in feed.items for g in i.geo)


@pytest.mark.corpus
def test_gdelt2_mentions_csv_sample_groups_by_article() -> None:
    path = need_corpus("gdelt-samples") / "gdelt2_mentions_sample.csv"
    feed = parse_gdelt(path.read_bytes())
    assert feed.format == "gdelt2-mentions"
    assert feed.rejects == []
    assert len(feed.items) == 559  # distinct mentionidentifier URLs
    events = {c for i in feed.items for c in i.categories if c.startswith("gdelt:event:")}
    assert len(events) == 1430
    arabic = next(i for i in feed.items if "arabic.china.org.cn" in (i.url or ""))
    assert arabic.language == "ar" and "srclang:ara" in arabic.categories


def test_gdelt2_events_same_url_merge_into_one_item_with_two_places() -> None:
    feed = parse_gdelt((GDELT / "events2_small.export.tsv").read_bytes())
    assert feed.format == "gdelt2-events"
    assert len(feed.items) == 2
    talks = feed.items[0]
    assert talks.url == "https://news.example.org/mn/talks-1"
    assert talks.guid == "gdelt:1100000001"
    assert talks.published == datetime(2026, 4, 27, 10, 15, tzinfo=UTC)
    assert [g[0] for g in talks.geo] == [
        "Ulaanbaatar, Ulaanbaatar, Mongolia",
        "Darkhan, Darhan-Uul, Mongolia",
    ]
    assert {g[3] for g in talks.geo} == {"MN"}
    assert {"cameo:036", "cameo:145", "quadclass:3"} <= set(talks.categories)
    assert talks.title.endswith("(+1 more coded events)")
    border = feed.items[1]
    assert border.title == "Military force used involving Military in Mongolia"


def test_gdelt_malformed_rows_are_rejected_with_reason() -> None:
    feed = parse_gdelt((GDELT / "events2_small.export.tsv").read_bytes())
    reasons = [r.error for r in feed.rejects]
    assert len(reasons) == 2
    assert "bad ActionGeo_Lat 'north'" in reasons[0]
    assert "5 columns" in reasons[1]
    assert feed.rejects[1].raw.startswith("1100000005")


def test_gdelt2_mentions_tsv_keeps_non_web_mentions_without_url() -> None:
    feed = parse_gdelt((GDELT / "mentions2_small.tsv").read_bytes())
    assert feed.format == "gdelt2-mentions"
    urls = [i.url for i in feed.items]
    assert urls == [
        "https://news.example.org/mn/talks-1",
        "https://example.ru/world/mongolia",
        None,
    ]
    assert feed.items[0].language == "en"
    assert feed.items[1].language == "ru"
    assert feed.items[2].guid == "gdelt-mention:3:10.1000/example-doi"
    assert len(feed.rejects) == 1
    assert "bad GLOBALEVENTID 'notanumber'" in feed.rejects[0].error


def test_gdelt_doc_api_artlist() -> None:
    feed = parse_gdelt((GDELT / "doc_artlist.json").read_bytes(), url="https://api.example/doc")
    assert feed.format == "gdelt-doc" and feed.link == "https://api.example/doc"
    assert [i.language for i in feed.items] == ["en", "de"]
    first = feed.items[0]
    assert first.published == datetime(2026, 4, 27, 10, 15, tzinfo=UTC)
    assert "sourcecountry:Mongolia" in first.categories
    assert len(feed.rejects) == 2


def test_gdelt_doc_api_empty_answer_is_empty_feed() -> None:
    assert parse_gdelt(b"{}").items == []


def test_zipped_export_is_read() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "20260427104500.export.CSV", (GDELT / "events2_small.export.tsv").read_bytes()
        )
    feed = parse_gdelt(buf.getvalue())
    assert len(feed.items) == 2


def test_zip_bomb_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.export.CSV", b"\t" * 5_000_000)
    assert len(buf.getvalue()) < 50_000
    with pytest.raises(ParseError, match="limit"):
        parse_gdelt(buf.getvalue(), max_size=1_000_000)


def test_unknown_format_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="columns"):
        parse_gdelt(b"a,b,c\n1,2,3\n")
    with pytest.raises(ParseError):
        parse_gdelt(b"PK\x03\x04 not really a zip")
    with pytest.raises(ParseError, match="JSON"):
        parse_gdelt(b'{"articles": [')


def test_fips_codes_convert_to_iso() -> None:
    assert fips_to_iso("MG") == "MN"
    assert fips_to_iso("CH") == "CN"
    assert fips_to_iso("KS") == "KR"
    assert fips_to_iso("KN") == "KP"
    assert fips_to_iso("RS") == "RU"
    assert fips_to_iso("UK") == "GB"
    assert fips_to_iso("") is None
    assert fips_to_iso("OS") is None


def test_cameo_phrase_falls_back_to_root() -> None:
    assert cameo_phrase("1831") == "suicide bombing"
    assert cameo_phrase("1384") == "threat of military force"
    assert cameo_phrase("199") == "armed fighting"
    assert cameo_phrase("99") == "event 99"


def test_empty_export_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_gdelt(b"\n\n", url="https://data.example/empty.export.CSV")
