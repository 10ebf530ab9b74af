"""benchmarks/bench_security.py: its scoring and its store reader, on headlines written for
these tests (no corpus needed)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, load_script


def _bench() -> ModuleType:
    return load_script(REPO / "benchmarks" / "bench_security.py")


def _fixture(bench: ModuleType) -> tuple[dict[str, object], dict[str, object]]:
    from bench_realweek import Label  # put on sys.path by the bench

    rows = [
        # url, title, labelled security, severity, about
        ("u1", "Цагдаа хээл хахууль авсан албан тушаалтныг баривчиллаа", True, 2, "MN"),
        ("u2", "Маргааш нутгийн зүүн хэсгээр бороо орно", False, 0, "MN"),
        ("u3", "Улсын аварга шалгаруулах бөхийн барилдаан боллоо", False, 0, "MN"),
        ("u4", "Хоёр улсын элчин сайд нар уулзлаа", True, 1, "MN"),  # a miss
        ("u5", "Цагдаагийн газрын шинэ байр ашиглалтад орлоо", False, 0, "MN"),  # a false alarm
    ]
    labels = {
        url: Label(url, "dev", date(2026, 6, 24), frozenset([about]), sec, sev)
        for url, _title, sec, sev, about in rows
    }
    articles = {url: bench.Article(title, "", "mn", ()) for url, title, *_ in rows}
    return labels, articles


def test_score_counts_precision_recall_and_severity_bands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _bench()
    labels, articles = _fixture(bench)
    bench.score("dev", labels, articles, list(articles), errors=True)
    out = capsys.readouterr().out
    assert "| precision | 0.50 (1/2) |" in out
    assert "| recall | 0.50 (1/2) |" in out
    assert "| F1 | 0.50 |" in out
    assert "| recall, labelled severity 1 | 0.00 (0/1) |" in out
    assert "| recall, labelled severity 2 | 1.00 (1/1) |" in out
    assert "| recall, significant (severity >= 2, about MN) | 1.00 (1/1) |" in out
    assert "all dev-day headlines: 2 of 5 security" in out
    assert "false negatives (1)" in out and "элчин сайд" in out
    assert "false positives (1)" in out and "Цагдаагийн газрын" in out


def test_a_named_draw_is_scored_without_the_half_census(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each dev draw gets its own table; the count over all the half's headlines is not
    repeated for it."""
    bench = _bench()
    labels, articles = _fixture(bench)
    bench.score(
        "dev", labels, articles, list(articles), errors=False, name="dev draw 2", census=False
    )
    out = capsys.readouterr().out
    assert "## dev draw 2 half: 5/5 labelled headlines found" in out
    assert "| recall | 0.50 (1/2) |" in out
    assert "all dev-day headlines" not in out
    assert "false negatives" not in out


def test_the_dev_half_reads_both_dev_draws() -> None:
    """bench_realweek.half_labels: dev is -dev.tsv and -dev2.tsv together, test is alone."""
    _bench()
    from bench_realweek import LABELS, half_labels, read_labels

    dev = half_labels("dev")
    first = read_labels(LABELS / "mongolia-headlines-dev.tsv")
    second = read_labels(LABELS / "mongolia-headlines-dev2.tsv")
    assert set(dev) == set(first) | set(second)
    assert len(dev) == len(first) + len(second)
    assert set(half_labels("test")) == set(read_labels(LABELS / "mongolia-headlines-test.tsv"))


def test_the_test_half_prints_figures_but_never_its_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _bench()
    labels, articles = _fixture(bench)
    bench.score("test", labels, articles, list(articles), errors=True)
    out = capsys.readouterr().out
    assert "| recall | 0.50 (1/2) |" in out
    assert "false negatives" not in out
    assert "элчин сайд" not in out


def test_from_store_reads_title_longer_body_language_and_categories(tmp_path: Path) -> None:
    """The stored article behind a URL, its own or a sighting's; "other" is dropped."""
    bench = _bench()
    db = tmp_path / "realweek.db"
    con = sqlite3.connect(db)
    con.executescript(
        """
        create table articles (id integer primary key, url text, canonical_url text,
            title text, summary text, content text, language text, detected_language text);
        create table sightings (url text, article_id integer);
        create table article_categories (article_id integer, category text);
        insert into articles values (1, 'https://a/1', null, 'Гал гарчээ', 'богино',
            'урт текст энд байна', 'mn-MN', null);
        insert into sightings values ('https://b/1', 1);
        insert into article_categories values (1, 'disaster_public_health'), (1, 'other');
        """
    )
    con.commit()
    con.close()
    from bench_realweek import Item

    when = datetime(2026, 6, 24, 4, tzinfo=UTC)
    items = [
        Item("https://b/1", "x", "", when, "outlet"),
        Item("https://c/9", "y", "", when, "outlet"),
    ]
    found = bench.from_store(db, items)
    assert set(found) == {"https://b/1"}
    art = found["https://b/1"]
    assert art.title == "Гал гарчээ"
    assert art.body == "урт текст энд байна"
    assert art.language == "mn"
    assert art.categories == ("disaster_public_health",)
