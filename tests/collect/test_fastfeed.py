"""The lxml fast path gives exactly what the feedparser path gives, or steps aside.

Every comparison parses the same bytes twice with :func:`parse_feed`, once with
``fast=True`` (the default) and once with ``fast=False`` (feedparser only), and compares
the :class:`ParsedFeed` field by field. Rejected entries are compared by their reason: the
raw text kept for the rejects table is the entry as each parser saw it, and feedparser's
carries keys (``authors``, ``guidislink``...) the fast path does not build.

Run with ``-s`` to print how many corpus feeds took the fast path.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import feedparser.encodings
import pytest

from tests.conftest import FIXTURES, need_corpus
from watchfloor.collect.fastfeed import is_plain_http_url, parse_wellformed
from watchfloor.collect.feeds import parse_feed
from watchfloor.errors import ParseError, UnsafeXMLError, WatchfloorError
from watchfloor.models import ParsedFeed

DEMO = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "data" / "demo"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", "")


def both_paths(body: bytes, url: str | None = None) -> tuple[object, object]:
    def one(fast: bool) -> object:
        try:
            feed = parse_feed(body, url=url, fast=fast)
        except WatchfloorError as exc:
            return f"{type(exc).__name__}: {exc}"
        return dataclasses.replace(feed, rejects=[r.error for r in feed.rejects])

    return one(True), one(False)


def took_fast_path(body: bytes, url: str | None = None) -> bool:
    headers = {"content-type": "application/xml"}
    result: dict[str, object] = {}
    data = feedparser.encodings.convert_to_utf8(headers, body, result)
    return bool(result.get("encoding")) and parse_wellformed(data, url=url) is not None


def differences(a: object, b: object) -> list[str]:
    if not isinstance(a, ParsedFeed) or not isinstance(b, ParsedFeed):
        return [] if a == b else [f"{a!r:.200} | {b!r:.200}"]
    found = [
        f"feed.{f.name}: {getattr(a, f.name)!r:.120} | {getattr(b, f.name)!r:.120}"
        for f in dataclasses.fields(a)
        if f.name != "items" and getattr(a, f.name) != getattr(b, f.name)
    ]
    if len(a.items) != len(b.items):
        found.append(f"items: {len(a.items)} | {len(b.items)}")
    for index, (x, y) in enumerate(zip(a.items, b.items, strict=False)):
        found += [
            f"item {index} {f.name}: {getattr(x, f.name)!r:.120} | {getattr(y, f.name)!r:.120}"
            for f in dataclasses.fields(x)
            if getattr(x, f.name) != getattr(y, f.name)
        ]
    return found


def feed_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in FEED_SUFFIXES and not p.name.endswith(".json")
    )


# --- equivalence ----------------------------------------------------------------------------


def test_bundled_feeds_give_the_same_items_on_both_paths() -> None:
    files = feed_files(DEMO) + feed_files(FIXTURES / "feeds") + feed_files(FIXTURES / "report")
    assert len(files) >= 15
    fast = 0
    for path in files:
        url = f"https://feeds.example/{path.name}"
        body = path.read_bytes()
        assert differences(*both_paths(body, url)) == [], path.name
        fast += took_fast_path(body, url)
    # The demo and report feeds are plain RSS/Atom: they must not all fall back.
    assert fast >= 10


@pytest.mark.corpus
def test_corpus_feeds_give_the_same_items_on_both_paths() -> None:
    root = need_corpus("rss-feeds")
    files = feed_files(root)
    assert len(files) > 550
    taken: dict[str, list[int]] = {}
    failures: list[str] = []
    for path in files:
        url = f"https://feeds.example/{path.name}"
        body = path.read_bytes()
        found = differences(*both_paths(body, url))
        if found:
            failures.append(f"{path.relative_to(root)}: {found[:3]}")
        group = path.relative_to(root).parts[0]
        counts = taken.setdefault(group, [0, 0])
        counts[0] += took_fast_path(body, url)
        counts[1] += 1
    for group, (fast, total) in sorted(taken.items()):
        print(f"{group:<12} fast path {fast:>3} of {total:>3} files")
    assert failures == []
    # Most real feeds (rss-parser and feed-rs captures) are read by the fast path.
    assert taken["rss-parser"][0] + taken["feed-rs"][0] >= 25


RULES_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom" xml:lang="en_GB">
<channel><title>Rules</title><link>/home</link><language>mn</language>
<atom:link rel="self" href="https://rules.example/feed.xml"/>
<item><title>Guid as link</title><guid>/stories/1</guid></item>
<item><title>First title</title><title>Second title</title>
  <link>https://rules.example/a?x=1&amp;y=2</link>
  <description>One</description><description>Two becomes content</description></item>
<item xml:lang="fr"><title>Content only</title><link>relative/3</link>
  <content:encoded><![CDATA[<p>Body <noscript>fallback</noscript> text</p>]]></content:encoded>
  <category domain="x">cat</category><category>cat</category><dc:subject>two</dc:subject>
  <dc:creator>Desk</dc:creator><dc:date>2026-04-01T08:00:00.250+08:00</dc:date></item>
<item><title>Windows \u0093quotes\u0094 and caf\u00c3\u00a9</title>
  <link>https://rules.example/4</link><guid isPermaLink="false">id-4</guid>
  <pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate><author>a@b.example (A B)</author></item>
<item><title>Soup &lt;b&gt;x&lt;/b&gt; &amp;unknown;</title><link>https://rules.example/5</link>
  <description><![CDATA[a</br>b &unknown; <td>c</style> d<applet>e</applet>
  <iframe src="v">f</iframe><a href="/rel">g</a>]]></description></item>
<item><description>no title, no link</description></item>
</channel></rss>"""

RULES_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
<title type="html">Atom &lt;b&gt;rules&lt;/b&gt;</title><id>https://atom.example/</id>
<entry><title>Only an id</title><id>https://atom.example/1</id>
  <updated>2026-04-01T00:00:00Z</updated></entry>
<entry><id>tag:atom.example,2026:2</id><title type="text">Linked</title>
  <link rel="enclosure" href="https://atom.example/2.mp3"/>
  <link href="https://atom.example/2"/><link rel="alternate" type="text/html" href="/2b"/>
  <author><name>Ann</name><email>ann@atom.example</email><uri>https://ann.example</uri></author>
  <summary>Short</summary><content type="html">&lt;p&gt;Long &amp;amp; full&lt;/p&gt;</content>
  <category term="t1" label="Label one"/><category label="only label"/>
  <published>2026-03-31T10:00:00+02:00</published></entry>
<entry><title>Content first</title><link href="https://atom.example/3"/>
  <content type="text">Plain body</content><summary>Summary after</summary></entry>
</feed>"""


@pytest.mark.parametrize("document", [RULES_FEED, RULES_ATOM], ids=["rss", "atom"])
def test_feedparser_rules_are_reproduced(document: str) -> None:
    body = document.encode("utf-8")
    url = "https://rules.example/feeds/main.xml"
    assert took_fast_path(body, url)
    fast, slow = both_paths(body, url)
    assert differences(fast, slow) == []
    assert isinstance(fast, ParsedFeed) and fast.items


def test_benchmark_feed_takes_the_fast_path_with_the_same_items() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        from bench_collect import make_feed
    finally:
        sys.path.pop(0)
    body = make_feed(3, 50)
    assert took_fast_path(body, "/tmp/feed3.xml")
    fast, slow = both_paths(body, "/tmp/feed3.xml")
    assert differences(fast, slow) == []


@pytest.mark.parametrize(
    "body",
    [
        # an undefined HTML entity: not well-formed XML, feedparser's loose parser reads it
        b'<rss version="2.0"><channel><item><title>Caf&eacute;</title></item></channel></rss>',
        # xml:base, XHTML content, GeoRSS and Atom 0.3 all go to feedparser
        b'<rss version="2.0"><channel xml:base="https://b.example/"><item><title>t</title>'
        b"<link>x</link></item></channel></rss>",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><content type='
        b'"xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>'
        b"</feed>",
        b'<rss version="2.0" xmlns:georss="http://www.georss.org/georss"><channel><item>'
        b"<title>t</title><georss:point>47.9 106.9</georss:point></item></channel></rss>",
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>t</title>'
        b"</entry></feed>",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">'
        b'<rss version="0.91"><channel><item><title>t</title></item></channel></rss>',
    ],
    ids=["undefined-entity", "xml-base", "xhtml", "georss", "atom03", "doctype"],
)
def test_what_the_fast_path_does_not_reproduce_goes_to_feedparser(body: bytes) -> None:
    assert not took_fast_path(body)
    fast, slow = both_paths(body)
    assert differences(fast, slow) == []


# --- hostile input --------------------------------------------------------------------------


def test_fast_parser_never_expands_or_fetches_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<rss version='2.0'><channel><item><title>&xxe;</title></item></channel></rss>"
    ).encode()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]><rss version='2.0'><channel><item><title>&i;</title></item></channel></rss>"
    )
    started = time.perf_counter()
    # Even called directly, bypassing parse_feed's refusal of entity declarations:
    assert parse_wellformed(xxe, url=None) is None
    assert parse_wellformed(bomb, url=None) is None
    assert time.perf_counter() - started < 5
    for body in (xxe, bomb):
        with pytest.raises(UnsafeXMLError):
            parse_feed(body)


def test_deeply_nested_feed_is_a_clean_result_or_parse_error() -> None:
    depth = 20_000
    body = (
        b'<rss version="2.0"><channel><title>deep</title><item><title>t</title>'
        + b"<x>" * depth
        + b"</x>" * depth
        + b"<link>https://deep.example/1</link></item></channel></rss>"
    )
    try:
        feed = parse_feed(body, url="https://deep.example/feed")
    except ParseError:
        return
    assert isinstance(feed, ParsedFeed)


def test_feed_with_a_huge_text_node_is_read_or_refused_cleanly() -> None:
    big = b"x" * (12 * 1024 * 1024)  # above libxml2's default text limit (huge_tree off)
    body = (
        b'<rss version="2.0"><channel><item><title>big</title><link>https://h.example/1</link>'
        b"<description>" + big + b"</description></item></channel></rss>"
    )
    try:
        feed = parse_feed(body, url="https://h.example/feed")
    except ParseError:
        return
    assert feed.items[0].title == "big"


def test_garbage_after_a_valid_start_falls_back_and_is_marked_bozo() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>ok</title>'
        b"<link>https://g.example/1</link></item>\xff\xfe\x00garbage<item><title"
    )
    assert not took_fast_path(body)
    feed = parse_feed(body, url="https://g.example/feed")
    assert feed.bozo and feed.items[0].title == "ok"


# --- the URL shortcut -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        ("https://a.example/news/1?x=1&y=2", True),
        ("http://a.example", True),
        ("HTTPS://a.example/", False),  # urljoin lower-cases the scheme
        ("https://a.example/x?", False),  # an empty query marker is dropped by urljoin
        ("https://a.example/x#frag", False),
        ("https://a.example/x;p", False),
        ("https://[::1]/", False),
        ("https://a.example/ x", False),
        ("/relative", False),
    ],
)
def test_plain_http_url_shortcut_only_takes_urls_urljoin_keeps(url: str, plain: bool) -> None:
    from urllib.parse import urljoin

    assert is_plain_http_url(url) is plain
    if plain:
        for base in ("https://b.example/feed.xml", "http://c.example/", "", "/tmp/f.xml"):
            assert urljoin(base, url) == url


def test_simple_html_skips_only_what_feedparser_leaves_as_the_same_text() -> None:
    """Fragments the fast path does not send through feedparser's two HTML passes must
    read as the same text without them."""
    import random

    from feedparser.sanitizer import _sanitize_html
    from feedparser.urls import resolve_relative_uris

    from watchfloor.collect.fastfeed import _SIMPLE_HTML
    from watchfloor.collect.feeds import html_to_text

    pieces = [
        "<p>", "</p>", "<b>", "</b>", "<em>", "</em>", '<span class="x">', "</span>", "<ul>",
        "<li>", "</li>", "</ul>", "<h2>", "</h2>", "<br>", "<br/>", '<a href="/rel">', "</a>",
        '<img src="i.png" alt="pic"/>', "&amp;", "&lt;", "&nbsp;", "&#8217;", "&#x1F600;",
        "&#0;", "text", " ", "\n", "\r", "x > y", "\u00e9", "\x85", "]]>", "</br>", "<td>",
        "&unknown;", "<", "&", "<P>", "</style>", "<iframe>", "<noscript>", "<applet>",
    ]  # fmt: skip
    rng = random.Random(13)
    checked = 0
    for _ in range(3000):
        fragment = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if not _SIMPLE_HTML.fullmatch(fragment):
            continue
        checked += 1
        passed = _sanitize_html(
            resolve_relative_uris(fragment, "https://b.example/f", "utf-8", "text/html"),
            "utf-8",
            "text/html",
        )
        assert html_to_text(passed) == html_to_text(fragment), fragment
        assert html_to_text(passed, single_line=True) == html_to_text(fragment, single_line=True)
    assert checked > 300
