"""Exceptions raised by watchfloor.

Library code raises these; only ``cli.py`` turns them into messages and exit codes.
Every message says what failed, on which input, and what to do next.

    WatchfloorError
    ├── ConfigError            bad configuration file, variable or flag value
    ├── StoreError             the database cannot be opened, migrated or written
    ├── SourceError            a source definition is invalid (URL, country code, kind)
    ├── FetchError             a source could not be fetched
    │   ├── BlockedAddressError   the host resolves to a refused address (SSRF guard)
    │   ├── UnsupportedSchemeError  not http, https or a local path
    │   ├── ResponseTooLargeError   the body exceeded the size limit after decompression
    │   ├── TooManyRedirectsError
    │   └── HTTPStatusError        a final 4xx/5xx status
    ├── ParseError             bytes that could not be turned into items
    │   └── UnsafeXMLError         entity declarations or other XML we refuse to expand
    ├── EnrichError            an enrichment stage failed on an article
    ├── ReportError            a report could not be produced
    └── UnknownBackendError    no analyst backend of that name
"""

from __future__ import annotations


class WatchfloorError(Exception):
    """Base class of every error watchfloor raises on purpose."""


class ConfigError(WatchfloorError):
    """The configuration is invalid."""


class StoreError(WatchfloorError):
    """The store cannot be opened, migrated or written."""


class SourceError(WatchfloorError):
    """A source definition is invalid."""


class FetchError(WatchfloorError):
    """A source could not be fetched."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddressError(FetchError):
    """The URL's host resolves to an address we refuse to contact."""


class UnsupportedSchemeError(FetchError):
    """The URL uses a scheme other than http, https or a local path."""


class ResponseTooLargeError(FetchError):
    """The response body exceeded the configured size limit after decompression."""


class TooManyRedirectsError(FetchError):
    """The server redirected more often than allowed."""


class HTTPStatusError(FetchError):
    """The server answered with a final error status."""

    def __init__(self, message: str, *, url: str | None = None, status: int = 0) -> None:
        super().__init__(message, url=url)
        self.status = status


class ParseError(WatchfloorError):
    """Fetched bytes could not be turned into items."""


class UnsafeXMLError(ParseError):
    """The document uses XML features we refuse to process (entity declarations)."""


class EnrichError(WatchfloorError):
    """An enrichment stage failed on one article."""


class ReportError(WatchfloorError):
    """A report could not be produced."""


class WatchError(WatchfloorError):
    """A watched country's schedule or time zone cannot be used, or it is not watched."""


class UnknownBackendError(WatchfloorError):
    """No analyst backend is registered under that name."""


class BackendError(WatchfloorError):
    """An analyst backend refused or failed a request (a remote endpoint not allowed,
    a bad answer, the token budget spent)."""


class BackendUnavailableError(BackendError):
    """An analyst backend's endpoint could not be reached; the message names its URL."""
