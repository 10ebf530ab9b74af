"""Behaviour of URL canonicalisation and content hashing used for deduplication."""

from __future__ import annotations

import pytest

from watchfloor.collect.urls import canonicalize_url, content_hash
from watchfloor.errors import SourceError


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://News.Example.COM/Story", "http://news.example.com/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/app#!/story/7", "https://example.com/app#!/story/7"),
        ("https://example.com/a/", "https://example.com/a/"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7euser/%2f", "https://example.com/~user/%2F"),
        ("https://bücher.example/über", "https://xn--bcher-kva.example/%C3%BCber"),
        ("https://EXAMPLE.com./x", "https://example.com/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ],
)
def test_equivalent_spellings_share_one_canonical_url(raw: str, canonical: str) -> None:
    assert canonicalize_url(raw) == canonical


def test_tracking_parameters_are_dropped_and_the_rest_sorted() -> None:
    url = (
        "https://news.example.com/a?utm_source=rss&utm_medium=feed&id=42&fbclid=XYZ"
        "&gclid=1&mc_cid=2&mc_eid=3&yclid=4&igshid=5&_ga=6&page=2&ref_src=twsrc%5Etfw"
    )
    assert canonicalize_url(url) == "https://news.example.com/a?id=42&page=2"


def test_ref_is_dropped_only_when_it_names_a_referrer() -> None:
    assert canonicalize_url("https://blog.example.com/p?ref=rss") == "https://blog.example.com/p"
    assert (
        canonicalize_url("https://blog.example.com/p?ref=Twitter") == "https://blog.example.com/p"
    )
    # On code hosts ?ref= selects a branch: it changes the page and must stay.
    kept = "https://code.example.com/o/r/blob/x?ref=release-2"
    assert canonicalize_url(kept) == kept


def test_query_values_keep_their_encoding_and_blank_values() -> None:
    url = "https://example.com/search?q=a+b&empty=&flag&z=%e2%82%ac"
    assert canonicalize_url(url) == "https://example.com/search?empty=&flag&q=a+b&z=%E2%82%AC"


def test_feed_copies_of_one_story_collapse() -> None:
    spellings = [
        "https://www.Example.org/world/2024/story.html?utm_source=feedburner&utm_medium=feed",
        "https://www.example.org:443/world/2024/story.html#top",
        "https://www.example.org/world/2024/story.html?fbclid=IwAR0abc",
    ]
    assert len({canonicalize_url(u) for u in spellings}) == 1


@pytest.mark.parametrize("bad", ["", "not a url", "/relative/path", "https://example.com:99999/"])
def test_unusable_url_raises_source_error(bad: str) -> None:
    with pytest.raises(SourceError):
        canonicalize_url(bad)


def test_content_hash_ignores_case_and_spacing() -> None:
    a = content_hash("Flood in  Darkhan", "Rivers rose\novernight.")
    b = content_hash("FLOOD IN DARKHAN ", " rivers   rose overnight.")
    assert a == b
    assert len(a) == 64


def test_content_hash_changes_with_words_and_field_boundary() -> None:
    assert content_hash("Flood in Darkhan", "x") != content_hash("Flood in Erdenet", "x")
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_content_hash_treats_compatibility_forms_alike() -> None:
    assert content_hash("Ｕｌａａｎｂａａｔａｒ", "") == content_hash("ulaanbaatar", "")
    assert content_hash("co\u00adoperation", "") == content_hash("cooperation", "")
