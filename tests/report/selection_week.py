"""A small store of hand-written feeds for the selection, threat and time-zone tests.

Two Mongolian outlets (``tests/fixtures/report``) for the week of 22 to 28 June 2026 in
Ulaanbaatar time: a foreign earthquake, sport, weather and a festival among the country's
floods, arrests and a planned rally (told by both outlets), an arrest told only in
Mongolian by a third outlet, plus an item published
17:00 UTC on Sunday 28 June, which is Monday 01:00 in Ulaanbaatar. A Malian outlet carries
a kidnapping near Timbuktu that names no country. Collected and enriched with the real
pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from watchfloor.store.db import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "report"
START, END = date(2026, 6, 22), date(2026, 6, 28)
FEEDS = (
    ("steppe-wire.xml", "Steppe Wire", "MN", "en"),
    ("khuree-times.xml", "Khuree Times", "MN", "en"),
    ("orkhon-medee.xml", "Orkhon Medee", "MN", "mn"),
    ("sahel-courier.xml", "Sahel Courier", "ML", "en"),
)


@dataclass(frozen=True)
class SelectionWeek:
    path: Path

    @property
    def db(self) -> str:
        return f"sqlite:///{self.path}"

    def store(self) -> Store:
        return Store(self.db)


def build_selection_week(folder: Path, enricher) -> SelectionWeek:  # type: ignore[no-untyped-def]
    from watchfloor.config import load_settings
    from watchfloor.services import collect as collect_service
    from watchfloor.services import enrich as enrich_service
    from watchfloor.services import sources as source_service

    path = folder / "watchfloor.db"
    settings = load_settings(None, env={}, overrides={"db": f"sqlite:///{path}"})
    store = Store(settings.db)
    store.init()
    try:
        for name, title, country, language in FEEDS:
            source_service.add_source(
                settings, store, str(FIXTURES / name), name=title, countries=[country],
                language=language,
            )  # fmt: skip
        collect_service.collect(settings, store, force=True)
        enrich_service.enrich(settings, store, enricher=enricher)
    finally:
        store.dispose()
    return SelectionWeek(path)
