"""Read and write OPML subscription lists.

Feed readers export their subscriptions as OPML: ``<outline>`` elements with an ``xmlUrl``,
often nested inside folder outlines. :func:`parse_opml` flattens them into
:class:`OpmlOutline` records, turning each enclosing folder's name into a category, and
:func:`render_opml` writes records back as OPML 2.0.

OPML arrives from users and the web, so parsing refuses entity declarations (the
"billion laughs" and external-entity attacks) with :class:`UnsafeXMLError`, never touches the
network and never loads a DTD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from watchfloor.errors import ParseError, UnsafeXMLError

__all__ = ["OpmlOutline", "parse_opml", "render_opml"]


@dataclass(slots=True)
class OpmlOutline:
    """One feed subscription from an OPML file.

    ``categories`` holds the outline's own ``category`` values (without the leading slash)
    followed by the names of the folders it sat in, outermost first.
    """

    xml_url: str
    title: str = ""
    html_url: str | None = None
    categories: list[str] = field(default_factory=list)
    type: str = "rss"
    language: str | None = None


def _parser(*, recover: bool) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def _check_safe(content: bytes, tree: Any) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError(
            "OPML declares XML entities, which we refuse to expand; "
            "export the subscription list again without a DOCTYPE"
        )
    # lxml keeps undeclared or unresolved references as entity nodes; never pass them on.
    if any(isinstance(node, etree._Entity) for node in tree.iter()):
        raise UnsafeXMLError("OPML uses entity references we refuse to resolve")
    if b"<!ENTITY" in content.upper():
        raise UnsafeXMLError("OPML contains an entity declaration; refusing to process it")


def _split_categories(value: str | None) -> list[str]:
    if not value:
        return []
    # OPML 2.0: comma-separated, each a slash-delimited path ("/Asia/Mongolia").
    return [part.strip().strip("/") for part in value.split(",") if part.strip().strip("/")]


def _walk(element: Any, folders: list[str], out: list[OpmlOutline]) -> None:
    for child in element:
        if not isinstance(child.tag, str) or etree.QName(child).localname != "outline":
            continue
        attrs = {str(k).lower(): str(v) for k, v in child.attrib.items()}
        label = (attrs.get("title") or attrs.get("text") or "").strip()
        xml_url = attrs.get("xmlurl", "").strip()
        if xml_url:
            own = _split_categories(attrs.get("category"))
            out.append(
                OpmlOutline(
                    xml_url=xml_url,
                    title=label,
                    html_url=attrs.get("htmlurl", "").strip() or None,
                    categories=list(dict.fromkeys(own + folders)),
                    type=attrs.get("type", "rss").strip() or "rss",
                    language=attrs.get("language", "").strip() or None,
                )
            )
        if len(child):
            _walk(child, [*folders, label] if label and not xml_url else folders, out)


def parse_opml(content: bytes) -> list[OpmlOutline]:
    """Parse an OPML document into a flat list of feed subscriptions.

    Args:
        content: the OPML bytes, any encoding its XML declaration names.

    Raises:
        UnsafeXMLError: the document declares or references XML entities.
        ParseError: the bytes are not XML, or the root element is not ``<opml>``.
    """
    if b"<!ENTITY" in content.upper():
        raise UnsafeXMLError("OPML contains an entity declaration; refusing to process it")
    try:
        root = etree.fromstring(content, parser=_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        # Hand-edited exports often carry a bare "&" in a title; salvage what is well-formed.
        root = etree.fromstring(content, parser=_parser(recover=True))
        if root is None:
            raise ParseError(f"OPML is not well-formed XML: {exc}") from exc
    _check_safe(content, root.getroottree())
    if etree.QName(root).localname.lower() != "opml":
        raise ParseError(f"not an OPML document: the root element is <{root.tag}>")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag == "body"), None)
    if body is None:
        raise ParseError("OPML document has no <body> element")
    out: list[OpmlOutline] = []
    _walk(body, [], out)
    return out


def render_opml(entries: list[OpmlOutline], title: str) -> str:
    """Write subscriptions as an OPML 2.0 document (a ``str`` with an XML declaration).

    Outlines are written flat; their categories go into the ``category`` attribute, so
    :func:`parse_opml` reads back the same records.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for entry in entries:
        attrs = {"type": entry.type, "text": entry.title, "title": entry.title}
        attrs["xmlUrl"] = entry.xml_url
        if entry.html_url:
            attrs["htmlUrl"] = entry.html_url
        if entry.language:
            attrs["language"] = entry.language
        if entry.categories:
            attrs["category"] = ",".join("/" + c.replace(",", " ") for c in entry.categories)
        etree.SubElement(body, "outline", attrs)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode("utf-8")
