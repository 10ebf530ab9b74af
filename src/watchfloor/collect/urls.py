"""Canonical URLs and content fingerprints, the two keys used to merge duplicate articles.

The same article reaches us through many feeds with different tracking parameters,
host spellings and fragments. :func:`canonicalize_url` maps all of those spellings onto
one string; :func:`content_hash` fingerprints the words of an article so that copies
published under different URLs can still be matched.

Canonicalisation is deliberately conservative: it only removes what never changes the
resource a server returns (tracking parameters, default ports, fragments, case of scheme
and host). It does not strip ``www.``, does not swap ``http`` for ``https`` and keeps a
trailing slash on any path but the root, because servers treat those as different
resources often enough to matter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

import idna

from watchfloor.errors import SourceError

__all__ = ["TRACKING_PARAMETERS", "canonicalize_url", "content_hash"]

#: Query parameter names (lower-case) that only identify a campaign, click or visitor.
TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "twclid",
        "ttclid",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "at_medium",
        "at_campaign",
        "xtor",
    }
)
# Prefixes of whole tracking families: Google Analytics utm_*, Piwik/Matomo pk_*,
# HubSpot hsa_*. Checked against the lower-cased name.
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "mtm_")
# ``ref`` is meaningful on many sites (GitHub's ?ref=branch), so it is dropped only when
# its value is one of the referrer tags that news sites and aggregators append.
_TRACKING_REF_VALUES = frozenset(
    {
        "rss",
        "feed",
        "feedly",
        "twitter",
        "tw",
        "facebook",
        "fb",
        "hn",
        "hackernews",
        "newsletter",
        "email",
        "share",
        "social",
        "reddit",
        "linkedin",
        "producthunt",
        "inoreader",
        "flipboard",
        "homepage",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SAFE_CHARACTERS = "/%:@!$&'()*+,;=~-._"
_PLAIN_URL = re.compile(
    r"(https?)://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?)(/[^\s?#;\\]*)?(?:\?([^\s#\\]*))?"
)
# Characters quote() leaves alone with _SAFE_CHARACTERS, minus "%".
_PLAIN = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=~._-]*")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def canonicalize_url(url: str) -> str:
    """Return the canonical spelling of an absolute URL, for deduplication.

    Lower-cases scheme and host, converts internationalised host names to punycode,
    drops default ports, the fragment (except ``#!`` routes) and tracking parameters,
    sorts the remaining query parameters, normalises percent-escapes and dot segments,
    and gives an empty path the root ``/``.

    Args:
        url: an absolute URL such as ``https://Example.com:443/a?utm_source=x``.

    Raises:
        SourceError: the string is not an absolute URL with a host, or its host or
            port cannot be encoded.
    """
    text = url.strip()
    plain = _PLAIN_URL.fullmatch(text)
    if plain:
        # The usual feed link (lower-case http(s) scheme, ASCII host name, no port,
        # userinfo or fragment): the same steps as below without urllib's general parsing.
        scheme, host, path, query = plain.groups()
        path = _remove_dot_segments(_normalise_escapes(path or "")) or "/"
        query = _clean_query(query or "")
        return f"{scheme}://{host.rstrip('.').lower()}{path}{'?' + query if query else ''}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise SourceError(f"cannot canonicalise URL {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        raise SourceError(
            f"cannot canonicalise URL {url!r}: it is not absolute (scheme and host needed);"
            " resolve it against the page or feed URL first"
        )
    host = _encode_host(parts.hostname, url)
    netloc = host
    if ":" in host:  # an IPv6 literal keeps its brackets
        netloc = f"[{host}]"
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo = f"{userinfo}:{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    path = _remove_dot_segments(_normalise_escapes(parts.path)) or "/"
    query = _clean_query(parts.query)
    fragment = parts.fragment if parts.fragment.startswith("!") else ""
    return urlunsplit(SplitResult(scheme, netloc, path, query, fragment))


def content_hash(title: str, text: str) -> str:
    """Return a sha256 hex digest of title and text that ignores case and spacing.

    Both parts are NFKC-normalised, case-folded, stripped of invisible characters and
    their whitespace collapsed, so copies of one wire story re-published by different
    feeds hash alike while any change of words does not.
    """
    norm_title = _normalise_words(title)
    norm_text = _normalise_words(text)
    digest = hashlib.sha256()
    digest.update(norm_title.encode("utf-8"))
    # A separator no normalised text can contain keeps ("ab", "c") apart from ("a", "bc").
    digest.update(b"\x00")
    digest.update(norm_text.encode("utf-8"))
    return digest.hexdigest()


def _normalise_words(value: str) -> str:
    if not value.isascii():
        # ASCII text is already NFKC and holds none of the invisible characters.
        value = unicodedata.normalize("NFKC", value)
        value = _INVISIBLE.sub("", value)
    # str.split() and the regex \s agree on what whitespace is (Py_UNICODE_ISSPACE).
    return " ".join(value.casefold().split())


def _encode_host(hostname: str, url: str) -> str:
    host = hostname.rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass
    try:
        # Python's IDNA 2003 codec accepts some names (emoji, old spellings) IDNA 2008 refuses.
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise SourceError(f"cannot canonicalise URL {url!r}: bad host name: {exc}") from exc


def _normalise_escapes(value: str) -> str:
    """Upper-case percent-escapes and decode the ones that stand for unreserved characters."""
    if _PLAIN.fullmatch(value):
        return value  # nothing to escape and no escapes to normalise: the common case

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    # Raw non-ASCII characters and spaces are escaped so that "/über" and "/%C3%BCber",
    # which browsers treat as one address, canonicalise alike.
    return _PERCENT.sub(fix, quote(value, safe=_SAFE_CHARACTERS))


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _is_tracking(name: str, value: str) -> bool:
    key = unquote(name).lower()
    if key in TRACKING_PARAMETERS or key.startswith(_TRACKING_PREFIXES):
        return True
    return key == "ref" and unquote(value).lower() in _TRACKING_REF_VALUES


def _clean_query(query: str) -> str:
    # Pairs are kept in their original encoding ("+" vs "%20") so that servers which read
    # them differently still get what the publisher wrote; only their order changes.
    kept: list[tuple[str, str, str]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        pair = _normalise_escapes(pair)
        name, _, value = pair.partition("=")
        if _is_tracking(name, value):
            continue
        kept.append((name, value, pair))
    kept.sort(key=lambda item: (item[0], item[1]))
    return "&".join(pair for _, _, pair in kept)
