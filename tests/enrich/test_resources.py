"""The enrich stage's loaded models live in one Resources object, not in module globals."""

from __future__ import annotations

import importlib

from watchfloor.config import EnrichSettings, GeoparseSettings
from watchfloor.enrich.language import detect_language
from watchfloor.enrich.pipeline import Enricher
from watchfloor.enrich.resources import Resources, for_settings, shared


def test_resources_load_lazily_once() -> None:
    res = Resources()
    assert not res.is_loaded("language_identifier")
    ident = res.language_identifier
    assert res.is_loaded("language_identifier")
    assert res.language_identifier is ident
    assert (
        detect_language("The parliament met today to pass the budget.", identifier=ident).code
        == "en"
    )
    assert not res.is_loaded("embedder")  # nothing else was loaded on the way


def test_geoparser_takes_the_enrich_settings() -> None:
    settings = EnrichSettings(geoparse=GeoparseSettings(near_km=10.0))
    res = Resources(settings)
    assert res.geoparser.settings.near_km == 10.0
    assert res.geoparser.gazetteer is res.gazetteer
    assert for_settings(EnrichSettings()) is shared()
    tuned = for_settings(settings)
    assert tuned is not shared()
    assert tuned.geoparser.settings.near_km == 10.0
    # the models the settings do not change are borrowed, not loaded again
    assert tuned.language_identifier is shared().language_identifier
    assert tuned.gazetteer is shared().gazetteer


def test_enricher_uses_the_resources_it_is_given() -> None:
    res = Resources()
    enricher = Enricher(res)
    assert enricher.resources is res
    assert enricher.geoparser is res.geoparser
    assert Enricher().resources is shared()


def test_enrich_modules_keep_no_caches_of_their_own() -> None:
    gone = {
        "watchfloor.enrich.categorize": "_default",
        "watchfloor.enrich.cluster": "_PERMUTATIONS",
        "watchfloor.enrich.geoparse": "_DEFAULT",
        "watchfloor.enrich.language": "_identifier",
        "watchfloor.enrich.embed": "_model",
        "watchfloor.enrich.relevance": "_table",
        "watchfloor.analyze.developments": "_severities",
        "watchfloor.enrich.entities": "_NLP",
        "watchfloor.enrich.gazetteer": "_LOADED",
        "watchfloor.enrich.security": "_LEXICON",
    }
    for module, name in gone.items():
        assert not hasattr(importlib.import_module(module), name), f"{module}.{name}"
