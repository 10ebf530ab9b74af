"""Story clustering on invented items: languages, outlets, re-posts, time window, state."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from watchfloor.enrich.cluster import (
    ClusterItem,
    ClusterState,
    StoryClusterer,
    _decode_vector,
    lead_text,
    pair_similarity,
    same_story,
)
from watchfloor.enrich.embed import embed_texts
from watchfloor.errors import EnrichError

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cluster" / "stories.json"


def load_items() -> dict[str, ClusterItem]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {
        rec["id"]: ClusterItem(
            id=rec["id"],
            title=rec["title"],
            text=rec["text"],
            language=rec["language"],
            published=datetime.fromisoformat(rec["published"]),
            entities=set(rec["entities"]),
            places=set(rec["places"]),
        )
        for rec in data["items"]
    }


def gold() -> dict[str, str]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {rec["id"]: rec["story"] for rec in data["items"]}


def partition(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item_id, cluster_id in assignment.items():
        groups.setdefault(cluster_id, set()).add(item_id)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def assignment() -> dict[str, str]:
    # Items without embeddings: the clusterer embeds them itself with the bundled model.
    return StoryClusterer().add(load_items().values())


@pytest.fixture(scope="module")
def items() -> dict[str, ClusterItem]:
    # Embedded once for the module: the model takes a second or two per batch on 2 cores.
    loaded = load_items()
    vectors = embed_texts([lead_text(it) for it in loaded.values()])
    for item, vector in zip(loaded.values(), vectors, strict=True):
        item.embedding = vector
    return loaded


def test_story_from_three_outlets_in_two_languages_is_one_cluster(
    assignment: dict[str, str],
) -> None:
    assert assignment["flood-1"] == assignment["flood-2"] == assignment["flood-3"]


def test_clusters_match_the_stories(assignment: dict[str, str]) -> None:
    assert partition(assignment) == partition(gold())


def test_unrelated_stories_in_the_same_city_stay_apart(assignment: dict[str, str]) -> None:
    assert assignment["fares-1"] == assignment["fares-2"]
    assert assignment["fares-1"] != assignment["flood-1"]
    assert assignment["fares-2"] != assignment["flood-3"]
    assert assignment["wrestling"] not in {assignment["flood-1"], assignment["fares-1"]}


def test_republished_near_duplicate_joins_without_embeddings(
    items: dict[str, ClusterItem],
) -> None:
    clusterer = StoryClusterer(embedder=None)
    first = clusterer.add([items["flood-1"], items["fares-1"]])
    second = clusterer.add([items["flood-repost"]])
    assert second["flood-repost"] == first["flood-1"]


def test_item_outside_the_time_window_starts_a_new_story(items: dict[str, ClusterItem]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.add([items["flood-1"]])
    later = clusterer.add([items["flood-later"]])
    assert later["flood-later"] != first["flood-1"]
    assert not same_story(items["flood-1"], items["flood-later"])
    wide = StoryClusterer(window=timedelta(days=7))
    wide.add([items["flood-1"]])
    assert wide.add([items["flood-later"]])["flood-later"] == first["flood-1"]


def test_same_input_gives_same_clusters_in_any_order(
    items: dict[str, ClusterItem], assignment: dict[str, str]
) -> None:
    shuffled = list(items.values())
    random.Random(3).shuffle(shuffled)
    assert StoryClusterer().add(shuffled) == assignment
    assert StoryClusterer().add(list(items.values())) == assignment


def test_pair_similarity_orders_same_story_above_shared_place(
    items: dict[str, ClusterItem],
) -> None:
    cross = pair_similarity(items["flood-1"], items["flood-3"])
    city = pair_similarity(items["flood-1"], items["fares-1"])
    assert 0.0 <= city < 0.5 <= cross <= 1.0
    assert same_story(items["flood-2"], items["flood-3"])
    assert not same_story(items["flood-3"], items["fares-2"])


def test_state_round_trips_through_json(items: dict[str, ClusterItem]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.add([items[k] for k in ("flood-1", "fares-1", "wrestling")])
    state = json.loads(json.dumps(clusterer.state().to_dict()))
    restored = StoryClusterer.from_state(ClusterState.from_dict(state))
    assert restored.clusters() == clusterer.clusters()
    assert set(restored.centroids()) == set(first.values())
    again = restored.add([items["flood-3"], items["fares-2"]])
    assert again["flood-3"] == first["flood-1"]
    assert again["fares-2"] == first["fares-1"]


def test_state_keeps_vectors_exactly_and_reads_version_1(
    items: dict[str, ClusterItem],
) -> None:
    clusterer = StoryClusterer()
    first = clusterer.add([items[k] for k in ("flood-1", "fares-1", "wrestling")])
    state = clusterer.state().to_dict()
    restored = StoryClusterer.from_state(ClusterState.from_dict(state))
    for key, vector in clusterer.centroids().items():
        assert np.array_equal(restored.centroids()[key], vector)
    # A state saved by the previous release kept vectors as lists of rounded numbers.
    old = json.loads(json.dumps(state))
    old["version"] = 1
    for member in old["members"]:
        member["embedding"] = [round(float(v), 5) for v in _decode_vector(member["embedding"])]
    for cluster in old["clusters"]:
        for key in ("centroid", "centroid_sum"):
            cluster[key] = [round(float(v), 5) for v in _decode_vector(cluster[key])]
    upgraded = StoryClusterer.from_state(ClusterState.from_dict(old))
    assert upgraded.clusters() == clusterer.clusters()
    again = upgraded.add([items["flood-3"], items["fares-2"]])
    assert again == {"flood-3": first["flood-1"], "fares-2": first["fares-1"]}


def test_unreadable_state_is_refused_with_a_clear_error(items: dict[str, ClusterItem]) -> None:
    clusterer = StoryClusterer()
    clusterer.add([items["flood-1"]])
    state = clusterer.state().to_dict()
    with pytest.raises(EnrichError, match="version 99"):
        ClusterState.from_dict({**state, "version": 99})
    state["members"][0]["embedding"] = "not base64!"
    with pytest.raises(EnrichError, match="unreadable vector"):
        StoryClusterer.from_state(ClusterState.from_dict(state))


def test_rebuild_from_stored_assignments_keeps_ids(
    items: dict[str, ClusterItem], assignment: dict[str, str]
) -> None:
    stored = [(items[k], assignment[k]) for k in ("flood-1", "flood-2", "fares-1")]
    clusterer = StoryClusterer.rebuild(stored)
    out = clusterer.add([items["flood-3"], items["fares-2"]])
    assert out["flood-3"] == assignment["flood-1"]
    assert out["fares-2"] == assignment["fares-1"]
    np.testing.assert_allclose(np.linalg.norm(clusterer.centroids()[assignment["flood-1"]]), 1.0)


def test_naive_datetime_is_refused(items: dict[str, ClusterItem]) -> None:
    naive = ClusterItem(
        id="x", title="t", text="", language="en", published=datetime(2026, 7, 3, 12)
    )
    with pytest.raises(EnrichError, match="time zone"):
        StoryClusterer(embedder=None).add([naive])


def test_item_seen_before_keeps_its_story(items: dict[str, ClusterItem]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.add([items["flood-1"]])
    assert clusterer.add([items["flood-1"]]) == first


def test_old_articles_are_forgotten_but_their_stories_kept() -> None:
    start = datetime.fromisoformat("2026-06-01T00:00:00+00:00")
    daily = [
        ClusterItem(
            id=f"day-{d}",
            title=f"Weekly market report number {d} with unique words w{d}a w{d}b w{d}c",
            text="",
            language="en",
            published=start + timedelta(days=d),
        )
        for d in range(20)
    ]
    clusterer = StoryClusterer(embedder=None)
    first = clusterer.add(daily[:10])
    clusterer.add(daily[10:])
    state = clusterer.state()
    kept = {m["id"] for m in state.members}
    assert "day-0" not in kept and "day-19" in kept
    remembered = sorted(i for ids in clusterer.clusters().values() for i in ids)
    assert remembered == sorted(it.id for it in daily)
    # An article already assigned keeps its story even after it left the window.
    assert clusterer.add([daily[0]]) == {"day-0": first["day-0"]}
