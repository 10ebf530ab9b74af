"""What the geoparser finds in one text, as the geoparser tests ask it."""

from __future__ import annotations

from watchfloor.enrich.gazetteer import haversine_km
from watchfloor.enrich.geoparse import Geoparser


def place_names(geoparser: Geoparser, text: str) -> list[str]:
    """The surface names of the places found in *text*."""
    return [p.text for p in geoparser.parse(text)]


def placed_near(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float, km: float = 161
) -> bool:
    """Whether *name* in *text* resolves within *km* of the point."""
    hits = [p for p in geoparser.parse(text) if p.text == name]
    return any(haversine_km(p.lat, p.lng, lat, lng) < km for p in hits)
