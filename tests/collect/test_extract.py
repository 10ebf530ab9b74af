"""Article text extraction: charsets, boilerplate, metadata, and the benchmark corpus."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import date

import pytest

from tests.conftest import FIXTURES, need_corpus
from watchfloor.collect.extract import decode_html, extract_article
from watchfloor.errors import ParseError

PAGES = FIXTURES / "pages"

BODY = (
    "<p>{one}</p><script>var x = 'SCRIPT_TEXT';</script><style>p {{ color: red }}</style>"
    "<p>{two}</p>"
)


def _page(one: str, two: str, head: str = "") -> str:
    return (
        f"<html><head>{head}<title>t</title></head><body><nav>Menu Home</nav>"
        f"<article>{BODY.format(one=one, two=two)}</article><footer>Footer</footer></body></html>"
    )


RU_ONE = "Правительство Монголии объявило о новых мерах по охране границы и обновлении техники."
RU_TWO = "Министр обороны заявил, что учения пройдут в мае и соберут несколько тысяч военных."


def test_script_and_style_never_leak() -> None:
    article = extract_article((PAGES / "reference_v1.html").read_bytes())
    assert "SCRIPT_MUST_NOT_LEAK" not in article.text
    assert "analytics" not in article.text and "font-family" not in article.text
    assert "safe disposal of old munitions" in article.text


def test_metadata_is_returned() -> None:
    article = extract_article((PAGES / "reference_v1.html").read_bytes(), url="https://ex.org/a")
    assert article.title == "Defence cooperation with the Steppe Republic"
    assert article.author == "Example Alliance press office"
    assert article.language == "en"
    assert article.url == "https://ex.org/a"


def test_http_charset_decodes_windows_1251() -> None:
    content = _page(RU_ONE, RU_TWO).encode("cp1251")
    article = extract_article(content, content_type="text/html; charset=windows-1251")
    assert RU_ONE in article.text and RU_TWO in article.text
    assert "SCRIPT_TEXT" not in article.text


def test_meta_charset_is_used_without_http_header() -> None:
    content = _page(RU_ONE, RU_TWO, head='<meta charset="windows-1251">').encode("cp1251")
    assert RU_ONE in extract_article(content).text


def test_http_header_wins_over_meta() -> None:
    content = _page(RU_ONE, RU_TWO, head='<meta charset="iso-8859-1">').encode("koi8-r")
    article = extract_article(content, content_type="text/html; charset=KOI8-R")
    assert RU_TWO in article.text


def test_latin1_label_decodes_as_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in Windows-1252 but control codes in ISO-8859-1
    content = b'<meta charset="ISO-8859-1"><p>\x93Quoted\x94 caf\xe9</p>'
    assert decode_html(content) == '<meta charset="ISO-8859-1"><p>\u201cQuoted\u201d café</p>'


def test_undeclared_utf8_and_bom() -> None:
    assert decode_html("<p>Улаанбаатар</p>".encode()) == "<p>Улаанбаатар</p>"
    assert decode_html(b"\xef\xbb\xbf<p>x</p>", "text/html; charset=latin-1") == "<p>x</p>"


def test_page_without_main_text_raises() -> None:
    with pytest.raises(ParseError, match="no main text"):
        extract_article(b"<html><body><script>app()</script><nav>Home</nav></body></html>")
    with pytest.raises(ParseError):
        extract_article(b"")


def test_date_is_a_calendar_date() -> None:
    head = '<meta property="article:published_time" content="2026-04-20T08:00:00Z">'
    article = extract_article(_page(RU_ONE, RU_TWO, head=head).encode("utf-8"))
    assert article.date == date(2026, 4, 20)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


@pytest.mark.corpus
def test_benchmark_dev_pages_are_extracted_well() -> None:
    corpus = need_corpus("article-extraction-benchmark")
    gold = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    files = sorted((corpus / "html").glob("*.html.gz"))[0::2][:12]  # dev half only
    f1s = []
    for path in files:
        page_id = path.name.removesuffix(".html.gz")
        text = extract_article(gzip.decompress(path.read_bytes())).text
        g, p = _shingles(gold[page_id]["articleBody"]), _shingles(text)
        tp = sum((g & p).values())
        prec, rec = tp / max(1, sum(p.values())), tp / max(1, sum(g.values()))
        f1s.append(2 * prec * rec / (prec + rec) if tp else 0.0)
    assert sum(f1s) / len(f1s) > 0.85
