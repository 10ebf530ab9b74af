"""OPML subscription lists: flattening, round trip and hostile XML."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from watchfloor.collect.opml import OpmlOutline, parse_opml, render_opml
from watchfloor.errors import ParseError, UnsafeXMLError

OPML = FIXTURES / "opml"


def test_nested_folders_are_flattened_into_categories() -> None:
    outlines = parse_opml((OPML / "subscriptions.opml").read_bytes())
    assert [o.xml_url for o in outlines] == [
        "https://ub.example.mn/rss.xml",
        "https://steppe.example.org/feed?lang=en&section=security",
        "https://wire.example.com/atom",
        "https://top.example.net/index.rss",
    ]
    ub, steppe, wire, top = outlines
    assert ub.categories == ["Asia", "Mongolia"]
    assert ub.html_url == "https://ub.example.mn/" and ub.language == "en"
    assert steppe.title == "Steppe & Security"
    assert steppe.categories == ["defence", "border", "Asia", "Mongolia"]
    assert wire.type == "atom" and wire.categories == ["Asia"]
    assert top.categories == [] and top.title == "Top-level feed"


def test_render_then_parse_round_trips() -> None:
    entries = parse_opml((OPML / "subscriptions.opml").read_bytes())
    entries.append(
        OpmlOutline(
            xml_url='https://odd.example/?q="a"&b=<c>',
            title='Quotes " and <angles> & ampersands',
            categories=["one, two", "three"],
        )
    )
    text = render_opml(entries, title="Export & <test>")
    assert text.startswith("<?xml")
    assert "<title>Export &amp; &lt;test&gt;</title>" in text
    again = parse_opml(text.encode("utf-8"))
    assert again[:-1] == entries[:-1]
    last = again[-1]
    assert last.xml_url == 'https://odd.example/?q="a"&b=<c>'
    assert last.title == 'Quotes " and <angles> & ampersands'
    assert last.categories == ["one  two", "three"]  # a comma would split the category


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXMLError):
        parse_opml((OPML / "hostile_entities.opml").read_bytes())


def test_external_entity_is_refused() -> None:
    with pytest.raises(UnsafeXMLError):
        parse_opml((OPML / "hostile_external.opml").read_bytes())


def test_entities_hidden_in_utf16_are_refused() -> None:
    text = (OPML / "hostile_external.opml").read_text(encoding="utf-8")
    text = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(UnsafeXMLError):
        parse_opml(text.encode("utf-16"))


def test_not_opml_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="root element"):
        parse_opml(b"<rss version='2.0'><channel/></rss>")
    with pytest.raises(ParseError, match="well-formed"):
        parse_opml(b"this is not xml at all")


def test_bare_ampersand_is_salvaged() -> None:
    broken = (
        b'<opml version="1.0"><head/><body>'
        b'<outline text="News & Views" xmlUrl="https://nv.example/rss"/></body></opml>'
    )
    outlines = parse_opml(broken)
    assert [o.xml_url for o in outlines] == ["https://nv.example/rss"]
