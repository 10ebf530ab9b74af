"""Behaviour of parse_feed on hand-written feeds, encodings, hostile XML and random bytes."""

from __future__ import annotations

import random
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from watchfloor.collect.feeds import html_to_text, parse_date, parse_feed
from watchfloor.errors import ParseError, UnsafeXMLError
from watchfloor.models import ParsedFeed

FEEDS = FIXTURES / "feeds"


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- formats ------------------------------------------------------------------------------


def test_rss20_items_are_normalised() -> None:
    feed = parse_feed(read("rss20_news.xml"), url="https://news.example.mn/rss.xml")
    assert feed.format == "rss20"
    assert feed.title == "Steppe Wire & Friends"
    assert feed.language == "en-gb"
    assert not feed.bozo
    first, second = feed.items
    assert first.title == "Border crossing at Zamyn-Uud reopens"
    assert first.url == "https://news.example.mn/2024/03/border-reopens.html?utm_source=rss"
    assert first.guid == "steppe-wire-0001"
    assert first.published == utc(2024, 3, 5, 1, 30)
    assert first.published.tzinfo is UTC
    assert first.author == "Bat Erdene"
    assert first.categories == ["Borders", "Trade"]
    assert first.language == "en-gb"
    assert first.summary == "Trucks queued for two days.\n\nCustoms says the lane is open again."
    assert first.content == (
        "First paragraph of the full story.\n\nSecond paragraph, with odd spacing."
    )
    assert first.geo == [("", 43.7228, 111.9028, None)]
    assert second.geo == [("", 50.2333, 106.2, None)]


def test_item_without_parseable_date_has_no_published() -> None:
    feed = parse_feed(read("rss20_news.xml"))
    flood = feed.items[1]
    assert flood.title == "Flood warning for the Selenge basin"
    assert flood.published is None
    assert flood.date_estimated


def test_item_without_title_and_link_is_quarantined() -> None:
    feed = parse_feed(read("rss20_news.xml"))
    assert len(feed.items) == 2
    [reject] = feed.rejects
    assert "neither a title nor a link" in reject.error
    assert "useless to an analyst" in reject.raw


def test_script_and_style_never_reach_text_fields() -> None:
    feed = parse_feed(read("rss20_news.xml"))
    for item in feed.items:
        for text in (item.title, item.summary, item.content):
            assert "tracker" not in text
            assert "alert" not in text
            assert "color:red" not in text
            assert "<" not in text


def test_atom_links_resolve_against_xml_base() -> None:
    feed = parse_feed(read("atom10_base.xml"), url="https://atom.example.org/feed.atom")
    assert feed.format == "atom10"
    assert feed.title == "Veille Asie centrale"
    assert feed.language == "fr"
    french, english = feed.items
    assert french.url == "https://atom.example.org/blog/2024/04/accord-gazier"
    assert french.guid == "urn:uuid:1d4b0c52-5f0e-4d0a-9d43-000000000001"
    assert french.published == utc(2024, 4, 1, 20, 15)
    assert french.updated == utc(2024, 4, 2, 5, 0)
    assert french.author == "Claire Dupont"
    assert french.categories == ["énergie"]
    assert french.summary == "Un accord historique."
    assert french.language == "fr"
    assert english.url == "https://mirror.example.net/en/gas-deal"
    assert english.title == "Gas deal signed & sealed"
    assert english.language == "en"
    assert english.content == "The English copy."


def test_atom_entry_with_only_updated_uses_it_as_published() -> None:
    feed = parse_feed(read("atom10_base.xml"))
    english = feed.items[1]
    assert english.published == english.updated == utc(2024, 4, 2, 6, 0)


def test_atom03_issued_is_published() -> None:
    feed = parse_feed(read("atom03.xml"))
    assert feed.format == "atom03"
    [item] = feed.items
    assert item.url == "http://old.example.com/2005/07/01/still"
    assert item.published == utc(2005, 7, 1, 15, 0)


def test_rss10_dc_fields_are_read() -> None:
    feed = parse_feed(read("rss10.rdf"))
    assert feed.format == "rss10"
    assert feed.language == "de"
    [item] = feed.items
    assert item.title == "Grenzkontrollen verschärft"
    assert item.published == utc(2024, 3, 1, 0, 30)
    assert item.categories == ["Politik"]


def test_rss091_is_recognised() -> None:
    feed = parse_feed(read("rss091.xml"))
    assert feed.format == "rss091u"
    assert [i.url for i in feed.items] == ["http://legacy.example.com/one"]


def test_json_feed_11_is_parsed_without_feedparser() -> None:
    feed = parse_feed(read("jsonfeed11.json"), url="https://json.example.org/feed.json")
    assert feed.format == "json11"
    assert feed.title == "Json Desk"
    assert feed.link == "https://json.example.org/"
    first, micro = feed.items
    assert first.url == "https://json.example.org/posts/1?fbclid=abc"
    assert first.guid == "json-1"
    assert first.content == "Most districts lost power."
    assert first.summary == "Blackout in Ulaanbaatar"
    assert first.published == utc(2024, 1, 10, 10, 0)
    assert first.updated == utc(2024, 1, 10, 19, 0)
    assert first.author == "Desk One, Desk Two"
    assert first.categories == ["energy", "infrastructure"]
    assert first.language == "mn"
    assert micro.title == ""
    assert micro.url == "https://elsewhere.example.com/story"
    assert micro.guid == "2"
    assert micro.published == utc(2024, 1, 10)
    assert micro.language == "en-US"
    assert [r.error for r in feed.rejects] == [
        "entry has neither a title nor a link",
        "JSON Feed item is not an object",
    ]


def test_json_feed_10_author_and_content_type() -> None:
    feed = parse_feed(read("jsonfeed10.json"), content_type="application/feed+json")
    assert feed.format == "json1"
    [item] = feed.items
    assert item.author == "Solo Author"
    assert item.published == utc(2024, 1, 1, 4, 59, 59)


def test_json_that_is_not_a_feed_raises() -> None:
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}')
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_feed(
            b'{"version": "https://jsonfeed.org/version/1.1", ', content_type="application/json"
        )


# --- dates --------------------------------------------------------------------------------


def test_portuguese_and_french_dates_are_parsed() -> None:
    feed = parse_feed(read("pt_dates.xml"))
    assert [i.published for i in feed.items] == [
        utc(2018, 9, 24, 22, 42, 40),
        utc(2018, 2, 3, 10, 0),
        utc(2018, 12, 3, 9, 0),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 06 Sep 2021 16:45:00 GMT", utc(2021, 9, 6, 16, 45)),
        ("2021-09-06T16:45:00+02:00", utc(2021, 9, 6, 14, 45)),
        ("2021-09-06", utc(2021, 9, 6)),
        ("Mi., 15 Mär 2023 10:00:00 +0100", utc(2023, 3, 15, 9, 0)),
        ("15 de octubre de 2023 10:00", None),  # "de" spellings are not guessed at
        ("", None),
        ("yesterday-ish", None),
    ],
)
def test_parse_date_normalises_to_utc(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


# --- encodings ----------------------------------------------------------------------------

TITLE_BY_ENCODING = {
    "koi8-r": "Новости Монголии",
    "windows-1251": "Новости Монголии",
    "big5": "蒙古新聞快報",
    "gb2312": "蒙古新闻快报",
    "iso-8859-2": "Wiadomości z Mongolii",
    "windows-1252": "Actualités de Mongolie",
    "iso-8859-7": "Ειδήσεις Μογγολίας",
    "shift_jis": "モンゴルのニュース",
}


def rss_with_title(title: str, declared: str | None) -> str:
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    return (
        f'{declaration}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://enc.example.com/</link><description>d</description>"
        f"<item><title>{title}</title><link>http://enc.example.com/1</link></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize("encoding", sorted(TITLE_BY_ENCODING))
def test_declared_encoding_is_honoured(encoding: str) -> None:
    title = TITLE_BY_ENCODING[encoding]
    feed = parse_feed(rss_with_title(title, encoding).encode(encoding))
    assert feed.items[0].title == title
    assert not feed.bozo


@pytest.mark.parametrize("encoding", ["koi8-r", "big5", "iso-8859-2"])
def test_http_charset_decides_when_document_declares_none(encoding: str) -> None:
    title = TITLE_BY_ENCODING[encoding]
    body = rss_with_title(title, None).encode(encoding)
    feed = parse_feed(body, content_type=f"text/xml; charset={encoding.upper()}")
    assert feed.items[0].title == title


def test_text_xml_without_charset_is_read_as_utf8() -> None:
    body = rss_with_title("Улаанбаатар", "utf-8").encode("utf-8")
    feed = parse_feed(body, content_type="text/xml")
    assert feed.items[0].title == "Улаанбаатар"
    assert not feed.bozo


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_are_understood(codec: str) -> None:
    body = rss_with_title("Хөвсгөл", None).encode(codec)
    assert parse_feed(body).items[0].title == "Хөвсгөл"


def test_unknown_http_charset_falls_back_to_the_document() -> None:
    body = rss_with_title("Дархан", "utf-8").encode("utf-8")
    feed = parse_feed(body, content_type="application/rss+xml; charset=no-such-charset")
    assert feed.items[0].title == "Дархан"


# --- malformed input ----------------------------------------------------------------------


def test_truncated_feed_is_a_partial_parse_marked_bozo() -> None:
    body = read("rss20_news.xml")
    cut = body[: body.index(b"<title>Flood")]
    feed = parse_feed(cut)
    assert feed.bozo
    assert feed.bozo_reason
    assert feed.items[0].title == "Border crossing at Zamyn-Uud reopens"


def test_undefined_html_entity_still_parses() -> None:
    body = rss_with_title("Caf&eacute; &nbsp;talk", "utf-8").encode()
    feed = parse_feed(body)
    assert feed.items[0].title == "Café talk"


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="not a readable feed"):
        parse_feed(b"<!doctype html><html><body><p>Hello</p></body></html>", url="https://x.test/")


@pytest.mark.parametrize("body", [b"", b"   \n", b"\x00\x01\x02", b"<", b"{"])
def test_junk_raises_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body)


def test_random_bytes_and_truncations_never_crash() -> None:
    rng = random.Random(20240305)
    seeds = [read(name) for name in sorted(p.name for p in FEEDS.iterdir())]
    samples: list[bytes] = []
    for seed in seeds:
        for _ in range(15):
            samples.append(seed[: rng.randrange(len(seed))])
            mutated = bytearray(seed)
            for _ in range(rng.randrange(1, 20)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            samples.append(bytes(mutated))
    samples += [rng.randbytes(rng.randrange(1, 400)) for _ in range(100)]
    parsed = 0
    for sample in samples:
        try:
            result = parse_feed(sample, content_type=rng.choice([None, "text/xml", "text/html"]))
        except ParseError:
            continue
        assert isinstance(result, ParsedFeed)
        parsed += 1
    assert parsed > len(seeds)  # most truncations still give a partial feed


# --- safety -------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://bomb.example/</link></item></channel></rss>
"""


def test_billion_laughs_is_refused_without_memory_growth() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeXMLError, match="declares XML entities"):
            parse_feed(BILLION_LAUGHS, url="https://bomb.example/feed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Expanding the entities would take gigabytes; refusing them takes almost nothing.
    assert peak < 5_000_000


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_entity_declaration_in_wide_encodings_is_refused(codec: str) -> None:
    body = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "").encode(codec)
    with pytest.raises(UnsafeXMLError):
        parse_feed(body)


def test_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<rss version='2.0'><channel><title>t</title><item><title>&xxe;</title>"
        "<link>http://x.example/</link></item></channel></rss>"
    ).encode()
    with pytest.raises(UnsafeXMLError):
        parse_feed(body)


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "DTD-WAS-READ">')
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
        "<rss version='2.0'><channel><title>t &leak;</title><item><title>x &leak;</title>"
        "<link>http://x.example/</link></item></channel></rss>"
    ).encode()
    feed = parse_feed(body)
    assert "DTD-WAS-READ" not in feed.title
    assert all("DTD-WAS-READ" not in item.title for item in feed.items)


def test_entity_text_quoted_in_cdata_is_allowed() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>CERT</title><item>'
        b"<title>XXE advisory</title><link>http://cert.example/1</link>"
        b'<description><![CDATA[Payload: <!ENTITY xxe SYSTEM "file:///etc/passwd">]]>'
        b"</description></item></channel></rss>"
    )
    feed = parse_feed(body)
    assert feed.items[0].title == "XXE advisory"


def test_entity_hidden_behind_comment_is_still_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!-- <![CDATA[ --><!DOCTYPE rss [<!ENTITY a "b">]>'
        b"<rss version='2.0'><channel><title>&a;</title></channel></rss>"
    )
    with pytest.raises(UnsafeXMLError):
        parse_feed(body)


# --- text helper --------------------------------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_drops_code() -> None:
    html = "<h1>Head</h1><p>One&nbsp;two<br>three</p><script>x()</script><noscript>n</noscript>"
    assert html_to_text(html) == "Head\n\nOne two\nthree"
    assert html_to_text(html, single_line=True) == "Head One two three"
    assert html_to_text("<script>never closed") == ""


def test_entity_declaration_spelled_in_utf7_is_refused() -> None:
    body = (
        BILLION_LAUGHS.decode()
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-7"?>')
        .replace("<!ENTITY", "+ADw-!ENTITY")
        .encode()
    )
    with pytest.raises(UnsafeXMLError):
        parse_feed(body)


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "text/xml"])
def test_loose_media_types_do_not_mark_a_good_feed_malformed(content_type: str) -> None:
    feed = parse_feed(rss_with_title("Ok", "utf-8").encode(), content_type=content_type)
    assert not feed.bozo
    assert feed.items[0].title == "Ok"
