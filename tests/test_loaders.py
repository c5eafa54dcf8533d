"""Tests for kg.loaders: formats, metadata, clutter, order, ids, encodings and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

from kg import loaders
from kg.loaders import LoadError, iter_files, load_file, load_paths, load_text

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
SEEDS = Path(__file__).parent.parent / "seeds"

BODY = "Alpha and Beta signed a logistics agreement on Tuesday, officials said.\n\nThe pact covers fuel."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def errors_of(paths) -> tuple[list, list[LoadError]]:
    errors: list[LoadError] = []
    articles = list(load_paths(paths, on_error=errors.append))
    return articles, errors


# ---- plain text: headline, header lines, clutter ------------------------------------------


def test_text_file_gives_headline_posted_date_and_cuts_page_tail():
    (article,) = load_file(FIXTURES / "posted.txt")
    assert article.file == "posted.txt"
    assert article.title == "Norway and Chile agree to start talks on a logistics pact"
    # 'Posted' is the publication date; 'Last Updated' (a day later) is not.
    assert article.date == dt.date(2025, 3, 4)
    assert article.url is None
    assert article.text.splitlines()[0].startswith("Defence ministers of Norway and Chile pose")
    assert "OSLO (EW) — Norway and Chile agreed on Tuesday" in article.text
    assert article.text.endswith("Example Wire reporter B. Writer contributed to this report.")
    for gone in ("Posted", "Last Updated", "Submit a Correction", "Top Stories", "Most Watched", "Storm closes"):
        assert gone not in article.text
    assert article.title not in article.text


def test_inline_date_header_is_consumed_and_rest_of_line_is_body():
    (article,) = load_file(FIXTURES / "inline_date.txt")
    assert article.date == dt.date(2022, 9, 30)
    assert article.title == ""
    assert article.text.startswith("Kenya and Canada concluded negotiations")
    assert "2022-09-30" not in article.text


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("date: 2024-06-19", dt.date(2024, 6, 19)),
        ("Date: June 19, 2024", dt.date(2024, 6, 19)),
        ("date 2024-06-19", dt.date(2024, 6, 19)),
        ("date: 2024-06-19T08:30:00Z", dt.date(2024, 6, 19)),
        ("Published: 12 February 2025", dt.date(2025, 2, 12)),
        ("Published on 3 March 2023", dt.date(2023, 3, 3)),
        ("Posted June 19, 2024 12:47 pm.", dt.date(2024, 6, 19)),
        ("Updated: 7 May 2022", dt.date(2022, 5, 7)),
        ("Last Updated June 20, 2024 1:12 pm.", None),
        ("date: unknown", None),
        ("July 8, 2024", dt.date(2024, 7, 8)),
        ("Posted June 19, 2024\nLast Updated June 21, 2024", dt.date(2024, 6, 19)),
        ("Updated: 21 June 2024\nPublished: 19 June 2024", dt.date(2024, 6, 19)),
    ],
)
def test_date_header_forms(header, date):
    article = load_text(header + "\n\n" + BODY)
    assert article.date == date
    # Header lines are metadata, not body.
    assert article.text == BODY


def test_text_without_any_date_has_none():
    assert load_text(BODY).date is None


def test_month_and_year_alone_is_not_a_date():
    article = load_text("Published: June 2024\n\n" + BODY)
    assert article.date is None


@pytest.mark.parametrize(
    "header",
    [
        "source: https://news.example.org/world/alpha-beta",
        "Source: https://news.example.org/world/alpha-beta (copy of a ministry release)",
        "url: https://news.example.org/world/alpha-beta",
        "URL: https://news.example.org/world/alpha-beta",
    ],
)
def test_source_header_forms(header):
    article = load_text(header + "\ndate: 2021-01-02\n\n" + BODY)
    assert article.url == "https://news.example.org/world/alpha-beta"
    assert article.date == dt.date(2021, 1, 2)
    assert article.text == BODY


@pytest.mark.parametrize(
    "tail",
    [
        "Article Source\nhttps://news.example.org/2023/11/07/alpha-beta/",
        "Article Source\n\nhttps://news.example.org/2023/11/07/alpha-beta/",
        "Article Source: https://news.example.org/2023/11/07/alpha-beta/",
        "ARTICLE SOURCE https://news.example.org/2023/11/07/alpha-beta/",
    ],
)
def test_article_source_line_gives_url_and_url_date(tail):
    article = load_text(BODY + "\n" + tail)
    assert article.url == "https://news.example.org/2023/11/07/alpha-beta/"
    assert article.date == dt.date(2023, 11, 7)
    assert article.text == BODY


def test_article_source_fixture_file():
    (article,) = load_file(FIXTURES / "source_after.txt")
    assert article.url == "https://news.example.com/africa/2023/11/07/portugal-ghana-defence/"
    assert article.date == dt.date(2023, 11, 7)
    assert "Article Source" not in article.text and "https://" not in article.text
    assert article.text.endswith("closer security ties.")


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://example.org/world/2024/06/19/story.html", dt.date(2024, 6, 19)),
        ("https://example.org/world/2024-06-19/story", dt.date(2024, 6, 19)),
        ("https://example.org/news/20240619/story", dt.date(2024, 6, 19)),
        ("https://example.org/news/2024/06/story", None),
        ("https://example.org/news/story-12345678", None),
        ("https://example.org/2024/13/45/not-a-date", None),
    ],
)
def test_date_from_url_path(url, date):
    assert loaders.date_from_url(url) == date
    assert load_text(f"source: {url}\n\n{BODY}").date == date


def test_header_date_wins_over_url_date():
    article = load_text(f"source: https://example.org/2020/01/01/x\ndate: 2020-01-03\n\n{BODY}")
    assert article.date == dt.date(2020, 1, 3)


def test_explicit_url_and_date_override_the_text():
    article = load_text("date: 2020-01-03\n\n" + BODY, url="https://example.org/a", date=dt.date(2021, 2, 3))
    assert (article.url, article.date) == ("https://example.org/a", dt.date(2021, 2, 3))


# ---- dates as pages write them: italic lines, bylines, datelines ----------------------------

HEADLINE = "Alpha and Beta sign logistics pact"
LEAD = "Alpha and Beta signed a logistics agreement on Tuesday, officials said."


@pytest.mark.parametrize(
    ("top", "fmt", "date"),
    [
        ("*April 3, 2025*", "markdown", dt.date(2025, 4, 3)),
        ("_3 April 2025_", "markdown", dt.date(2025, 4, 3)),
        ("**Monday, 3 April 2023**", "markdown", dt.date(2023, 4, 3)),
        ("*April 3, 2025*", "text", dt.date(2025, 4, 3)),
        ("By Jane Doe | Published: 12 March 2024", "text", dt.date(2024, 3, 12)),
        ("By Jane Doe | Updated: 14 March 2024 | Published: 12 March 2024", "text", dt.date(2024, 3, 12)),
        ("By Jane Doe · 12 March 2024", "markdown", dt.date(2024, 3, 12)),
        ("*By Jane Doe | March 12, 2024*", "markdown", dt.date(2024, 3, 12)),
        ("Published on March 12, 2024", "text", dt.date(2024, 3, 12)),
        ("Updated: 2024-03-12 09:30 JST", "text", dt.date(2024, 3, 12)),
        ("Posted March 12, 2024 at 10:00", "text", dt.date(2024, 3, 12)),
        ("Example Gazette - October 23, 2020", "text", dt.date(2020, 10, 23)),
        ("Wednesday 12 March 2024 09:30 JST", "text", dt.date(2024, 3, 12)),
        ("09:30 KST, March 12, 2024", "text", dt.date(2024, 3, 12)),
    ],
)
def test_date_line_near_the_top_is_the_publication_date(top, fmt, date):
    article = load_text(f"# {HEADLINE}\n\n{top}\n\n{LEAD}\n\n{BODY}", fmt=fmt)
    assert article.date == date
    # The date line is metadata: it does not stay in the body for extraction to read.
    assert article.text.startswith(LEAD)


@pytest.mark.parametrize(
    ("header", "dateline", "date"),
    [
        ("source: https://example.org/news/2024/06/alpha-beta", "TOKYO, June 19 (Reuters) -", dt.date(2024, 6, 19)),
        ("source: https://example.org/2025/alpha-beta", "Tokyo, July 9 (Jiji Press)--", dt.date(2025, 7, 9)),
        ("date: September 2023", "SEOUL, Sept. 28 (Yonhap) --", dt.date(2023, 9, 28)),
        ("date: 2022", "New Delhi, 4 May (Wire Service) —", dt.date(2022, 5, 4)),
        ("", "GENEVA, March 3, 2021 (Wire) -", dt.date(2021, 3, 3)),
        # No year anywhere: none is invented.
        ("", "TOKYO, June 19 (Reuters) -", None),
        ("source: https://example.org/news/alpha-beta", "TOKYO, June 19 (Reuters) -", None),
        # The URL's month disagrees with the dateline's: its year is not borrowed.
        ("source: https://example.org/news/2024/05/alpha-beta", "TOKYO, June 19 (Reuters) -", None),
    ],
)
def test_dateline_month_and_day_take_the_year_from_another_source(header, dateline, date):
    article = load_text(f"{header}\n\n{HEADLINE}\n\n{dateline} {LEAD}\n\n{BODY}")
    assert article.date == date
    # A dateline opens the story: it stays in the body.
    assert article.text.startswith(f"{dateline} {LEAD}")


def test_a_full_date_wins_over_a_dateline():
    text = f"source: https://example.org/2024/06/18/alpha-beta\n\n{HEADLINE}\n\nTOKYO, June 19 (Reuters) - {LEAD}"
    assert load_text(text).date == dt.date(2024, 6, 18)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        # A date in the body, far below the top.
        (f"{HEADLINE}\n\n" + "\n\n".join([LEAD] * 12) + "\n\n*April 3, 2025*\n\nMore text follows.", "markdown"),
        (f"{HEADLINE}\n\n" + "\n\n".join([LEAD] * 12) + "\n\nBy Jane Doe | Published: 12 March 2024", "text"),
        (f"{HEADLINE}\n\n" + "\n\n".join([LEAD] * 12) + "\n\nTOKYO, June 19, 2024 (Reuters) - More.", "text"),
        # A date in a sentence about a past event, near the top.
        (f"{HEADLINE}\n\nThe two signed a first accord on June 3, 2019 - a date both recall.\n\n{BODY}", "text"),
        (f"{HEADLINE}\n\nTalks began on March 12, 2024, in Gamma, officials said.\n\n{BODY}", "text"),
        (f"{HEADLINE}\n\n*The pact of 3 April 2019 lapsed last year.*\n\n{BODY}", "markdown"),
        (f"{HEADLINE}\n\nOn June 19, 2021 - two years ago - the ministers met in Tokyo.\n\n{BODY}", "text"),
        (f"{HEADLINE}\n\nBy then, Alpha had signed eleven pacts | 2024 was busier still.\n\n{BODY}", "text"),
        # A byline without a date, and a key word whose value is no date.
        (f"{HEADLINE}\n\nBy Jane Doe | Staff writer\n\n{BODY}", "text"),
        (f"{HEADLINE}\n\nPublished by the Example Gazette in 2024\n\n{BODY}", "text"),
        # An 'updated' line that only says when the page was last changed.
        (f"{HEADLINE}\n\nBy Jane Doe | Last updated: 14 March 2024\n\n{BODY}", "text"),
    ],
)
def test_date_in_the_story_is_not_the_publication_date(text, fmt):
    assert load_text(text, fmt=fmt).date is None


def test_date_line_ranks_below_a_date_header():
    text = f"date: 2024-03-10\n\n{HEADLINE}\n\nBy Jane Doe | Published: 12 March 2024\n\n{BODY}"
    assert load_text(text).date == dt.date(2024, 3, 10)


def test_page_clutter_date_line_near_the_top_is_read():
    # A pasted page: a 'date' line whose tail is the site's banner.
    text = f"{HEADLINE}\n\n date 2025-07-09 Example Newswire\n\n{LEAD}"
    article = load_text(text)
    assert article.date == dt.date(2025, 7, 9)
    assert "2025-07-09" not in article.text


def test_html_page_without_date_markup_reads_the_byline():
    page = (
        f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>"
        f"<p>By Jane Doe | Published: 4 May 2021</p><p>{LEAD}</p><p>{BODY}</p></article></body></html>"
    )
    assert load_text(page, fmt="html").date == dt.date(2021, 5, 4)


def test_jsonl_record_without_date_reads_the_dateline(tmp_path):
    record = {"text": f"BERLIN, May 4 (Wire) - {LEAD}", "url": "https://example.org/2021/05/alpha-beta"}
    (article,) = load_file(write(tmp_path / "a.jsonl", json.dumps(record) + "\n"))
    assert article.date == dt.date(2021, 5, 4)


def test_time_zone_in_a_date_line_gives_no_warning():
    # dateutil warns about zone names it does not know ('JST'); only the day is wanted.
    text = f"{HEADLINE}\n\nUpdated: 2024-03-12 09:30 JST\n\n15:03 JST, March 12, 2024\n\n{LEAD}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = load_text(text)
    assert [str(w.message) for w in caught] == []
    assert article.date == dt.date(2024, 3, 12)
    assert "JST" not in article.text


@pytest.mark.parametrize(
    ("text", "title", "first_body_line"),
    [
        ("Alpha and Beta sign pact\n\nAlpha and Beta signed a pact.", "Alpha and Beta sign pact", "Alpha and Beta signed a pact."),
        ("title: Alpha, Beta pact\n\nAlpha and Beta signed a pact.", "Alpha, Beta pact", "Alpha and Beta signed a pact."),
        # A first line that is a sentence is body, not a title.
        ("Alpha and Beta signed a pact.\nIt covers fuel.", "", "Alpha and Beta signed a pact."),
        # A lone short line is the article, not its title.
        ("Alpha and Beta sign pact", "", "Alpha and Beta sign pact"),
    ],
)
def test_title_is_first_line_when_it_reads_like_a_headline(text, title, first_body_line):
    article = load_text(text)
    assert article.title == title
    assert article.text.splitlines()[0] == first_body_line


# ---- clutter --------------------------------------------------------------------------------

STORY = "\n\n".join(f"Paragraph {i}: Alpha and Beta discussed a logistics agreement at length today." for i in range(8))


@pytest.mark.parametrize(
    "heading",
    ["Top Stories", "MOST WATCHED", "More Videos", "Related", "Related Stories:", "Read more", "Submit a Correction",
     "Accessibility Feedback", "Sign up for our daily newsletter", "You may also like"],
)
def test_page_tail_is_cut_from_first_clutter_heading(heading):
    text = STORY + f"\n\n{heading}\n\nGamma and Delta sign a treaty\n\nMore headlines here"
    article = load_text(text)
    assert article.text == STORY
    assert "Gamma" not in article.text


def test_clutter_heading_in_first_fifth_is_not_cut():
    text = "Alpha and Beta held talks.\n\nRelated\n\n" + STORY
    assert load_text(text).text == text


def test_clutter_word_inside_a_sentence_is_not_cut():
    text = STORY + "\n\nRelated talks on a second pact continued.\n\nTop stories of the week were about trade."
    assert load_text(text).text == text


def test_seed_article_loses_page_tail_but_keeps_story():
    articles, errors = errors_of([SEEDS])
    assert errors == []
    assert [a.file for a in articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    pasted_page = articles[0]
    raw = (SEEDS / pasted_page.file).read_text(encoding="utf-8")
    assert "Top Stories" in raw and "Top Stories" not in pasted_page.text
    assert "Most Watched" not in pasted_page.text
    assert len(pasted_page.text) < len(raw) / 2
    assert all(a.date == dt.date(2024, 6, 19) for a in articles)
    assert sum(a.url is not None for a in articles) == 1


# ---- Markdown and HTML ------------------------------------------------------------------------


def test_markdown_front_matter_heading_and_markup():
    (article,) = load_file(FIXTURES / "headers.md")
    assert article.title == "Estonia and Korea sign information security pact"
    assert article.date == dt.date(2021, 5, 12)
    assert article.url == "https://example.org/world/estonia-korea-pact"
    assert article.text.startswith("Estonia and South Korea signed an agreement on the protection of classified information")
    for markup in ("**", "](", "---", "# ", "> ", "- The pact", "title:"):
        assert markup not in article.text
    assert "The pact lets the two governments exchange classified material." in article.text


def test_markdown_title_loses_its_markup():
    article = load_text("## **Alpha** and [Beta](https://x.example) sign pact\n\nAlpha and Beta signed.", fmt="markdown")
    assert article.title == "Alpha and Beta sign pact"
    assert article.text == "Alpha and Beta signed."


def test_html_page_gives_main_text_and_metadata():
    (article,) = load_file(FIXTURES / "page.html")
    assert article.title == "Fiji and Japan agree on reciprocal access talks"
    assert article.date == dt.date(2024, 10, 2)
    assert article.url == "https://times.example.net/asia-pacific/fiji-japan-access-talks"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Fiji and Japan agreed on Wednesday to begin negotiations")
    assert paragraphs[-1].startswith("A Japanese official said")
    assert len([p for p in paragraphs if "." in p]) >= 4
    # Scripts, menus, related-story lists, asides and footers are not news.
    for clutter in ("Samoa", "Kiribati", "Sport", "Vanuatu", "Palau", "rights reserved", "font-family"):
        assert clutter not in article.text


def test_tiny_html_page_falls_back_to_body_text_without_menus():
    html = "<html><head><title>T</title><script>alert('Gamma')</script></head><body><nav>Home World</nav><p>Alpha and Beta signed a pact.</p><footer>About us</footer></body></html>"
    article = load_text(html, fmt="html")
    assert article.text == "Alpha and Beta signed a pact."


def test_html_date_from_canonical_url_when_page_has_no_date_markup():
    html = '<html><head><link rel="canonical" href="https://x.example/news/2022/05/04/story"></head><body><p>Alpha and Beta signed a pact.</p></body></html>'
    article = load_text(html, fmt="html")
    assert article.url == "https://x.example/news/2022/05/04/story"
    assert article.date == dt.date(2022, 5, 4)


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    page = write(tmp_path / "page.txt", (FIXTURES / "page.html").read_text(encoding="utf-8"))
    (article,) = load_file(page)
    assert article.title == "Fiji and Japan agree on reciprocal access talks"
    assert "<p>" not in article.text and "Samoa" not in article.text


# ---- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_loads_good_lines_and_reports_bad_ones():
    articles, errors = errors_of([FIXTURES / "articles.jsonl"])
    assert [a.file for a in articles] == ["articles.jsonl#1", "articles.jsonl#2", "articles.jsonl#5"]
    first, second, fifth = articles
    assert first.title == "Austria, Mexico sign research memo"
    assert first.date == dt.date(2020, 2, 3)
    assert first.url == "https://example.org/a"
    assert second.title == "" and second.date is None and second.url is None
    assert fifth.date == dt.date(2019, 7, 15)  # from the URL path
    assert [e.path for e in errors] == [f"{FIXTURES / 'articles.jsonl'}:3", f"{FIXTURES / 'articles.jsonl'}:4"]
    assert "'text'" in errors[0].reason and "not valid JSON" in errors[1].reason


def test_jsonl_bad_line_raises_without_error_handler():
    with pytest.raises(LoadError, match=r"articles\.jsonl:3: no 'text' field"):
        load_file(FIXTURES / "articles.jsonl")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["a list"]', "not an object"),
        ('{"text": ""}', "'text'"),
        ('{"text": 5}', "'text'"),
        ('{"text": "Alpha signed.", "date": "someday"}', "'date'"),
        ('{"text": "Alpha signed.", "title": ["x"]}', "'title'"),
        ('{"text": "Alpha signed.", "url": 3}', "'url'"),
        ('{"text": "Alpha', "not valid JSON"),
    ],
)
def test_jsonl_bad_line_reasons(tmp_path, line, reason):
    path = write(tmp_path / "a.ndjson", json.dumps({"text": "Alpha and Beta signed a pact."}) + "\n" + line + "\n")
    articles, errors = errors_of([path])
    assert [a.file for a in articles] == ["a.ndjson#1"]
    assert len(errors) == 1 and errors[0].path == f"{path}:2" and reason in errors[0].reason
    assert "\n" not in str(errors[0])


# ---- finding files, order, ids --------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Alpha and Beta signed a pact in the second file.")
    write(root / "a.md", "# A heading\n\nGamma and Delta signed a pact in a Markdown file.")
    write(root / "sub" / "c.htm", "<html><body><p>Epsilon and Zeta signed a pact in a nested page.</p></body></html>")
    write(root / "sub" / "deeper" / "d.jsonl", '{"text": "Eta and Theta signed a pact."}\n')
    write(root / ".hidden" / "e.txt", "Hidden folders are not read.")
    write(root / ".f.txt", "Hidden files are not read.")
    write(root / "notes.csv", "a,b\n1,2\n")
    write(root / "README.md", "How this corpus was collected.")
    return root


def test_folder_is_read_recursively_in_sorted_order(corpus):
    files = list(iter_files([corpus]))
    assert [p.relative_to(corpus).as_posix() for p in files] == ["a.md", "b.txt", "sub/c.htm", "sub/deeper/d.jsonl"]
    articles, errors = errors_of([corpus])
    assert errors == []
    assert [a.file for a in articles] == ["a.md", "b.txt", "sub/c.htm", "sub/deeper/d.jsonl#1"]


def test_order_is_stable_whatever_the_creation_order(tmp_path):
    for name in ("z.txt", "m.txt", "a.txt", "k.txt"):
        write(tmp_path / name, f"Text of {name} about a pact.")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "k.txt", "m.txt", "z.txt"]


def test_named_files_keep_given_order_and_any_extension(corpus):
    notes = corpus / "notes.csv"
    hidden = corpus / ".f.txt"
    assert list(iter_files([corpus / "b.txt", notes, hidden])) == [corpus / "b.txt", notes, hidden]
    articles, errors = errors_of([corpus / "sub" / "c.htm", hidden])
    assert errors == []
    assert [a.file for a in articles] == ["c.htm", ".f.txt"]  # bare names when the file is named


def test_missing_path_is_reported_and_the_rest_still_loads(corpus):
    missing = corpus / "nope.txt"
    items = list(iter_files([missing, corpus / "b.txt"]))
    assert isinstance(items[0], LoadError) and items[1] == corpus / "b.txt"
    articles, errors = errors_of([missing, corpus / "b.txt"])
    assert [a.file for a in articles] == ["b.txt"]
    assert str(errors[0]) == f"{missing}: no such file or directory; check the path"


def test_load_paths_raises_first_error_by_default(corpus):
    with pytest.raises(LoadError, match="no such file"):
        list(load_paths([corpus / "nope.txt", corpus]))


def test_articles_read_ahead_of_an_error_come_before_it(corpus):
    # load_paths reads a run of articles before it yields them: the good files named before a
    # bad one are still yielded before its error is raised
    got = []
    with pytest.raises(LoadError, match="no such file"):
        for article in load_paths([corpus / "b.txt", corpus / "a.md", corpus / "nope.txt", corpus]):
            got.append(article.file)
    assert got == ["b.txt", "a.md"]


def test_errors_and_notes_come_in_file_order_among_the_articles(tmp_path):
    # the read-ahead loads a run of files first; what a file reports is still told just before
    # that file's articles, as without it
    folder = tmp_path / "mixed"
    for i in range(40):
        name = f"{i:02d}.txt"
        if i % 9 == 4:
            write(folder / name, "")  # an empty file: an error
        elif i % 7 == 3:
            write(folder / name, "Alpha and Beta signed a pact, without a date.")  # a note
        else:
            write(folder / name, f"date: 2024-01-{i % 28 + 1:02d}\n\nAlpha and Beta signed pact {i}.")
    events: list[str] = []
    for article in load_paths([folder], on_error=lambda err: events.append("error " + Path(err.path).name),
                              on_note=lambda note: events.append("note " + Path(note.split(":")[0]).name)):
        events.append("article " + article.file)
    expected = []
    for i in range(40):
        name = f"{i:02d}.txt"
        expected += [f"error {name}"] if i % 9 == 4 else [f"note {name}", f"article {name}"] if i % 7 == 3 else [f"article {name}"]
    assert events == expected


def test_a_json_lines_file_reports_its_records_in_line_order(tmp_path):
    feed = write(tmp_path / "feed.jsonl", "\n".join([
        json.dumps({"text": "Alpha and Beta signed a pact."}),  # no date: a note
        "not json",
        json.dumps({"text": "Gamma and Delta signed a pact.", "date": "2024-01-02"}),
        json.dumps({"nope": 1}),
        json.dumps({"text": "Epsilon and Zeta signed a pact."}),
    ]) + "\n")
    events: list[str] = []
    for article in load_paths([feed], on_error=lambda err: events.append("error " + err.path.rsplit(":", 1)[1]),
                              on_note=lambda note: events.append("note " + note.split(":")[1])):
        events.append("article " + article.file.rsplit("#", 1)[1])
    assert events == ["note 1", "article 1", "error 2", "article 3", "error 4", "note 5", "article 5"]


def test_an_iterator_of_paths_is_not_read_ahead(corpus):
    # paths that come one by one (a queue, a watched folder): each article is yielded before
    # the next path is asked for
    asked: list[str] = []

    def paths():
        for name in ("b.txt", "a.md"):
            asked.append(name)
            yield corpus / name

    articles = load_paths(paths())
    assert next(articles).file == "b.txt" and asked == ["b.txt"]
    assert next(articles).file == "a.md" and asked == ["b.txt", "a.md"]


def test_read_ahead_runs_keep_order_and_bounds(monkeypatch):
    monkeypatch.setattr(loaders, "READ_AHEAD", 3)
    monkeypatch.setattr(loaders, "READ_AHEAD_CHARS", 10)
    words = ["a", "bb", "ccc", "dddd", "eeeeeeee", "f", "g"]
    assert list(loaders.runs(words, len)) == [["a", "bb", "ccc"], ["dddd", "eeeeeeee"], ["f", "g"]]
    assert list(loaders.runs([], len)) == []


def test_folder_without_article_files_is_an_error(corpus):
    empty = corpus / "empty"
    empty.mkdir()
    (item,) = list(iter_files([empty]))
    assert isinstance(item, LoadError) and item.path == str(empty) and "no article files" in item.reason
    only_data = corpus / "data"
    write(only_data / "x.csv", "1,2")
    (item,) = list(iter_files([only_data]))
    assert isinstance(item, LoadError) and item.path == str(only_data)


def test_same_content_gives_same_id_and_changed_content_a_new_one(tmp_path):
    one = load_file(write(tmp_path / "one.txt", "date: 2024-01-02\n\n" + BODY))[0]
    again = load_file(write(tmp_path / "sub" / "two.txt", "date: 2024-01-02\n\n" + BODY))[0]
    assert one.id == again.id and len(one.id) == 16 and int(one.id, 16) >= 0
    # Line endings and a BOM do not change the clean text, so not the id either.
    crlf = load_file(write(tmp_path / "crlf.txt", ("\ufeffdate: 2024-01-02\n\n" + BODY).replace("\n", "\r\n").encode()))[0]
    assert crlf.id == one.id
    changed_text = load_text("date: 2024-01-02\n\n" + BODY + " More.")
    changed_date = load_text("date: 2024-01-03\n\n" + BODY)
    changed_url = load_text("date: 2024-01-02\n\n" + BODY, url="https://example.org/x")
    assert len({one.id, changed_text.id, changed_date.id, changed_url.id}) == 4


# ---- text normalisation and encodings -------------------------------------------------------


def test_text_is_nfc_with_unix_line_ends_and_paragraphs_kept():
    raw = "Cafe\u0301 talks\u00a0in  Zu\u0308rich \u201cended\u201d.\r\n\r\n\r\n\r\nSecond  paragraph.\rThird line.  "
    article = load_text(raw)
    assert article.text == "Café talks in Zürich \u201cended\u201d.\n\nSecond paragraph.\nThird line."
    assert unicodedata.is_normalized("NFC", article.text)


ENCODED_TEXT = {
    "cp1252": "Alpha\u2019s minister said the \u201creciprocal access\u201d agreement \u2013 signed in Zürich \u2013 was final.",
    "latin-1": "Le ministre a signé l'accord à Genève, a précisé la délégation française.",
    "cp1250": "Minister obrony Polski podpisał umowę o współpracy w Warszawie, poinformował rzecznik.",
    "cp1251": "Министр обороны подписал соглашение о сотрудничестве в Москве.",
    "shift_jis": "日本とニュージーランドは情報保護協定に原則合意した。両国の首脳は東京で会談した。",
    "euc-kr": "한국과 일본은 군사정보보호협정을 체결했다.",
    "gb18030": "日本与新西兰就情报共享协定达成原则一致。",
    "utf-16": "Alpha and Beta signed a pact \u2014 \u201cfinally\u201d, said the minister in Zürich.",
    "utf-16-le": "Alpha and Beta signed a pact without a byte-order mark.",
    "utf-8-sig": "Alpha and Beta signed a pact \u2014 with a UTF-8 byte-order mark.",
    "utf-32": "Alpha and Beta signed a pact in UTF-32.",
}


@pytest.mark.parametrize("encoding", sorted(ENCODED_TEXT))
def test_encodings_round_trip(tmp_path, encoding):
    text = ENCODED_TEXT[encoding]
    body = text + "\n\n" + text
    (article,) = load_file(write(tmp_path / "a.txt", body.encode(encoding)))
    assert article.text == body


# ---- bad input ------------------------------------------------------------------------------


def _check_one_line(err: LoadError, path: Path, reason: str) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert reason in err.reason
    assert "; " in message  # says what to do


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n  \n", "empty file"),
        ("blank-bom.md", "\ufeff\n\n".encode(), "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file"),
        ("no-nul.txt", bytes(range(1, 32)) * 300, "binary file"),
        ("script.html", b"<html><head><script>var a = 'Alpha signed';</script></head><body><script>x()</script><style>p{}</style></body></html>", "no article text"),
        ("meta-only.txt", b"date: 2024-01-02\nsource: https://example.org/a\n", "no article text"),
        ("bad-bom.txt", b"\xef\xbb\xbfAlpha \xff\xfe signed", "byte-order mark"),
    ],
)
def test_bad_file_gives_one_line_error_naming_it(tmp_path, name, content, reason):
    path = write(tmp_path / name, content)
    with pytest.raises(LoadError) as info:
        load_file(path)
    _check_one_line(info.value, path, reason)
    articles, errors = errors_of([path, FIXTURES / "inline_date.txt"])
    assert len(articles) == 1 and len(errors) == 1  # the run goes on


def test_too_large_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(loaders.MAX_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(LoadError) as info:
        load_file(path)
    _check_one_line(info.value, path, "file too large")


def test_50_mb_text_file_is_refused_as_one_article_in_one_line(tmp_path):
    paragraph = "Alpha and Beta signed a logistics agreement on Tuesday, officials said in the capital.\n\n"
    path = write(tmp_path / "big.txt", "Big file headline\n\n" + paragraph * (50_000_000 // len(paragraph)))
    with pytest.raises(LoadError) as info:
        load_file(path)
    _check_one_line(info.value, path, "too long for one article")


def test_long_article_under_the_limit_loads(tmp_path):
    paragraph = "Alpha and Beta signed a logistics agreement on Tuesday, officials said in the capital.\n\n"
    path = write(tmp_path / "long.txt", "Long file headline\n\n" + paragraph * (4_000_000 // len(paragraph)))
    (article,) = load_file(path)
    assert article.title == "Long file headline"
    assert len(article.text) > 3_900_000


def test_permission_denied_is_reported(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", BODY)
    os.chmod(path, 0)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    # root reads through chmod 0, so refuse the open itself.
    monkeypatch.setattr(loaders, "_open_nonblocking", denied)
    with pytest.raises(LoadError) as info:
        load_file(path)
    _check_one_line(info.value, path, "permission denied")


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    write(folder / "a.txt", BODY)

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(13, "Permission denied", str(top)))
        return iter(())

    monkeypatch.setattr(loaders.os, "walk", walk)
    (item,) = list(iter_files([folder]))
    _check_one_line(item, folder, "permission denied")


def test_folder_named_as_file_is_reported(tmp_path):
    with pytest.raises(LoadError) as info:
        load_file(tmp_path)
    _check_one_line(info.value, tmp_path, "folder")


def test_load_paths_notes_each_article_without_a_date_once(tmp_path):
    write(tmp_path / "dated.txt", f"date: 2024-01-02\n\n{BODY}")
    write(tmp_path / "undated.md", f"# {HEADLINE}\n\n{BODY}")
    lines = [{"text": LEAD, "date": "2024-01-02"}, {"text": LEAD}, {"text": LEAD, "url": "https://example.org/2024/01/02/a"}]
    write(tmp_path / "feed.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    notes: list[str] = []
    articles = list(load_paths([tmp_path], on_note=notes.append))
    assert len(articles) == 5
    assert notes == [
        f"{tmp_path / 'feed.jsonl'}:2: {loaders.NO_DATE_NOTE}",
        f"{tmp_path / 'undated.md'}: {loaders.NO_DATE_NOTE}",
    ]


# ---- hostile input: one bad input is one line and the rest goes on ----------------------------

PACT = "Chile and Peru signed a logistics support agreement yesterday, the defence ministries said."
GOOD = f"date: 2023-05-10\n\n{PACT}\nTalks on the pact began last month.\n"


def _encodable(*values: str) -> bool:
    """Whether every value can be written as UTF-8 (to a CSV file, a store, a terminal)."""
    try:
        for value in values:
            value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_jsonl_lone_surrogate_is_replaced_and_the_article_kept(tmp_path):
    # A JSON escape of half a surrogate pair: json.loads accepts it, UTF-8 cannot hold it.
    path = write(tmp_path / "feed.jsonl",
                 '{"text": "Chile and Peru signed a pact \\ud800 on Tuesday.", "title": "Pact \\udfff", '
                 '"url": "https://example.org/a\\ud800", "date": "2023-05-10"}\n'
                 '{"text": "Paired escapes \\ud83d\\ude00 stay one character."}\n')
    articles, errors = errors_of([path])
    assert errors == []
    first, second = articles
    assert first.text == "Chile and Peru signed a pact \ufffd on Tuesday."
    assert first.title == "Pact \ufffd" and first.url == "https://example.org/a\ufffd"
    assert _encodable(first.text, first.title, first.url, first.id)
    assert second.text == "Paired escapes \U0001f600 stay one character."


def _bytes_name(folder: Path, name: bytes, content: str) -> Path:
    """A file whose name is not valid UTF-8 (as a disk copied from another system may hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = os.path.join(os.fsencode(folder), name)
    with open(raw, "wb") as f:
        f.write(content.encode("utf-8"))
    return Path(os.fsdecode(raw))


def test_file_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path):
    path = _bytes_name(tmp_path / "corpus", b"story\xff.txt", GOOD)
    write(tmp_path / "corpus" / "good.txt", GOOD.replace("Chile", "Bolivia"))
    articles, errors = errors_of([tmp_path / "corpus"])
    assert errors == []
    assert sorted(a.file for a in articles) == ["good.txt", "story\\xff.txt"]
    assert all(_encodable(a.file) for a in articles)
    (named,) = load_file(path)
    assert named.file == "story\\xff.txt" and named.text.startswith("Chile and Peru")


def test_error_about_a_file_whose_name_is_not_utf8_is_printable(tmp_path):
    _bytes_name(tmp_path, b"empty\xfe.txt", "")
    (err,) = errors_of([tmp_path])[1]
    assert "empty file" in err.reason
    assert _encodable(str(err), err.path) and err.path.endswith("empty\\xfe.txt")


@pytest.mark.parametrize("header", ["date: 0001-01-01", "date: 1066-10-14", "Published: 9999-12-31", "date: 3024-01-01"])
def test_implausible_header_date_is_no_publication_date(header):
    article = load_text(f"{header}\n\n{PACT}")
    assert article.date is None
    assert article.text == PACT  # the header is metadata all the same


def test_implausible_header_date_gives_way_to_the_url_date():
    article = load_text(f"date: 0001-01-01\nsource: https://example.org/2023/05/10/pact\n\n{PACT}")
    assert article.date == dt.date(2023, 5, 10)


def test_jsonl_implausible_date_is_a_line_error(tmp_path):
    path = write(tmp_path / "feed.jsonl", json.dumps({"text": PACT, "date": "0001-01-01"}) + "\n"
                 + json.dumps({"text": PACT, "date": "2023-05-10"}) + "\n")
    articles, errors = errors_of([path])
    assert [a.file for a in articles] == ["feed.jsonl#2"]
    (err,) = errors
    assert err.path == f"{path}:1" and "not a plausible publication date" in err.reason and "\n" not in str(err)


@pytest.mark.parametrize("day", [dt.date.min, dt.date(1, 1, 31), dt.date.max, dt.date(9999, 12, 1)])
def test_relative_dates_against_an_extreme_publication_date_do_not_crash(day):
    from kg.extract import analyse

    # Every relative date the extractor resolves, in the sentence of the claim.
    text = ("Chile and Peru signed a logistics support agreement yesterday, on Monday, last week, last month, "
            "last year, this month, in December and on December 30.")
    analysis = analyse(load_text(text, date=day))
    assert [c.pair for c in analysis.claims] == [("CHL", "PER")]


def test_socket_named_explicitly_is_refused_in_one_line(tmp_path, monkeypatch):
    import socket

    monkeypatch.chdir(tmp_path)  # a short relative name: socket paths are limited to ~100 bytes
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.txt")
        with pytest.raises(LoadError) as info:
            load_file("s.txt")
        _check_one_line(info.value, Path("s.txt"), "not a regular file (a socket)")
        articles, errors = errors_of([tmp_path])
        assert articles == [] and [e.reason for e in errors] == ["not a regular file (a socket)"]


# The end-to-end cases run `kg` as a user does, in a child process with a timeout: before the
# fix a FIFO made `kg extract` wait forever for a writer.


def _kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    code = "import sys; from kg.cli import cli; sys.argv[0] = 'kg'; cli()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A folder with one good article beside each kind of hostile input."""
    folder = tmp_path / "hostile"
    write(folder / "good.txt", GOOD)
    write(folder / "feed.jsonl", json.dumps({"text": "Argentina and Uruguay signed a logistics pact \ud800 "
                                                     "yesterday.", "date": "2023-05-11"}) + "\n")
    _bytes_name(folder, b"story\xff.txt", GOOD.replace("Chile", "Bolivia"))
    write(folder / "old.txt", GOOD.replace("2023-05-10", "0001-01-01").replace("Chile", "Ecuador"))
    os.mkfifo(folder / "x.txt")
    return folder


def test_extract_reads_every_good_article_and_refuses_the_fifo_in_one_line(hostile):
    done = _kg("extract", str(hostile), str(hostile / "x.txt"))
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: ")]
    assert errors == [f"kg: {hostile / 'x.txt'}: not a regular file (a FIFO); give a regular file"] * 2
    assert "Traceback" not in stderr
    assert f"{hostile / 'old.txt'}: {loaders.NO_DATE_NOTE}" in stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))
    assert sorted((r["file"], r["party_a"], r["party_b"], r["date"]) for r in rows) == [
        ("feed.jsonl#1", "ARG", "URY", "2023-05-10"),
        ("good.txt", "CHL", "PER", "2023-05-09"),
        ("old.txt", "ECU", "PER", ""),
        ("story\\xff.txt", "BOL", "PER", "2023-05-09"),
    ]


def test_build_stores_every_good_article_beside_hostile_input(hostile, tmp_path):
    from kg import read
    from kg.store import open_store

    done = _kg("build", "--store", str(tmp_path / "store"), "-q", str(hostile))
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1 and "Traceback" not in stderr, stderr
    assert "4 added" in stderr and "1 unreadable" in stderr
    with open_store(str(tmp_path / "store")) as store:
        files = sorted(article.file for article in read.articles(store).values())
    assert files == ["feed.jsonl#1", "good.txt", "old.txt", "story\\xff.txt"]


@pytest.mark.parametrize("command", [["extract"], ["build", "--store", "memory", "-q"]])
def test_cli_runs_an_article_dated_year_one_with_relative_dates(tmp_path, command):
    from click.testing import CliRunner

    from kg.cli import cli

    write(tmp_path / "old.txt", GOOD.replace("2023-05-10", "0001-01-01"))
    write(tmp_path / "feed.jsonl", json.dumps({"text": PACT, "date": "0001-01-01"}) + "\n")
    result = CliRunner().invoke(cli, [*command, str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1  # the JSON Lines date is a line error
    assert f"{tmp_path / 'feed.jsonl'}:1: 'date' '0001-01-01' is not a plausible publication date" in result.output
    assert f"{tmp_path / 'old.txt'}: {loaders.NO_DATE_NOTE}" in result.output


# ---- where an article came from -------------------------------------------------------------


def test_article_path_is_the_resolved_absolute_path_and_file_the_name_given(tmp_path, monkeypatch):
    write(tmp_path / "real" / "y2023" / "story.txt", GOOD)
    write(tmp_path / "real" / "y2023" / "feed.jsonl", json.dumps({"text": PACT}) + "\n\n" + json.dumps({"text": LEAD}) + "\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    articles = list(load_paths(["link/y2023"]))
    real = (tmp_path / "real" / "y2023").resolve()
    assert [(a.file, a.path) for a in articles] == [
        ("feed.jsonl#1", f"{real / 'feed.jsonl'}#1"),
        ("feed.jsonl#3", f"{real / 'feed.jsonl'}#3"),
        ("story.txt", str(real / "story.txt")),
    ]
    assert load_text(PACT).path == ""


def test_article_path_resolves_a_file_link_inside_a_walked_folder(tmp_path):
    # A walked folder's real path is resolved once; a file in it that is itself a symbolic link
    # must still get its target's path, and a link to a FIFO or to nothing its own error.
    write(tmp_path / "elsewhere" / "target.txt", GOOD)
    write(tmp_path / "real" / "plain.txt", GOOD.replace("Chile", "Bolivia"))
    (tmp_path / "real" / "sub").mkdir()
    (tmp_path / "real" / "sub" / "linked.txt").symlink_to(tmp_path / "elsewhere" / "target.txt")
    (tmp_path / "real" / "sub" / "up.txt").symlink_to(Path("..") / "plain.txt")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "real" / "to-fifo.txt").symlink_to(tmp_path / "fifo")
    (tmp_path / "real" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "via").symlink_to(tmp_path / "real")
    articles, errors = errors_of([tmp_path / "via"])
    real = tmp_path.resolve()
    assert [(a.file, a.path) for a in articles] == [
        ("plain.txt", str(real / "real" / "plain.txt")),
        ("sub/linked.txt", str(real / "elsewhere" / "target.txt")),
        ("sub/up.txt", str(real / "real" / "plain.txt")),
    ]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'via' / 'dangling.txt'}: no such file or directory; check the path",
        f"{tmp_path / 'via' / 'to-fifo.txt'}: not a regular file (a FIFO); give a regular file",
    ]
    # The same paths when each file is named alone.
    assert [load_file(tmp_path / "via" / a.file)[0].path for a in articles] == [a.path for a in articles]


@pytest.mark.parametrize("text", ["", " ", "\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85", "\u00a0\u2028\u3000", "\ufeff", "\u200b", " a "])
def test_blank_text_is_what_strip_leaves_empty(text):
    # load_file and load_text test 'not text or text.isspace()' (no copy of the text) for 'not text.strip()'.
    assert (not text or text.isspace()) == (not text.strip())
    if not text.strip():
        with pytest.raises(LoadError, match="empty file"):
            load_text(text)


def test_isspace_and_strip_agree_on_every_character():
    every = "".join(map(chr, range(0x110000)))
    assert [c for c in every if c.isspace()] == [c for c in every if not c.strip()]


# ---- the fast paths of the text readers answer as the slow ones -----------------------------

# Top lines of every kind _read_header reads, in several casings and scripts, and story lines.
TOP_LINES = [
    "date: 2024-06-19", "DATE : 19 June 2024", "Posted June 19, 2024 12:47 pm", "pOSTED 2024-06-19 Alpha and Beta met",
    "published on 3 March 2024", "Updated 2024-06-20", "last updated 2024-06-20", "Dated 19.06.2024",
    "source: https://example.org/2024/06/19/a", "Title: Alpha and Beta sign pact", "June 19, 2024", "19 juin 2024",
    "2024-06-19", "*April 3, 2025*", "_3 April 2025_", "**By Jane Doe | March 3, 2024**", "By Jane Doe | Published: 12 March 2024",
    "Jakarta Post - October 23, 2020", "By Ann Lee · Updated March 3, 2024", "TOKYO, June 19 (Reuters) - Japan and the Philippines met.",
    "SEOUL, Aug. 22 (Xinhua) -- Talks went on.", "New Delhi, 4 May (Wire Service) — India and Japan met.", "Tokyo, July 9 (Jiji Press)--",
    "São Paulo, 3 May (Agência) - Brazil", "Últimas noticias: 2024", "Déjà vu on 2024-06-19", "ÉTÉ 2024", "İstanbul, 5 May - Turkey",
    "Alpha and Beta signed a logistics agreement on Tuesday, officials said.", "Leaders of Alpha and Beta met in 2019.",
    "The pact, signed in 2019, covers fuel and spare parts for both navies, officials said on Tuesday in the capital.",
    "In 1999 they met", "Alpha and Beta", "Unknown", "- a bullet", "# A heading", "x" * 130 + " 2024", "2024 " + "y" * 130,
    "Paris, France, Europe, World - " + "z" * 100, "Posted 2024-06-19 " + LEAD + " It covers fuel and parts for both navies.", "Reuters — 5 May 2021", "ＤＡＴＥ： ２０２４", "ﬁnal word 2024", "ſource: https://a.org/b",
]


@pytest.mark.parametrize("near_top", [True, False])
def test_a_line_the_quick_test_passes_over_is_one_read_header_gives_back_unread(near_top):
    read = 0
    for line in TOP_LINES + [s.swapcase() for s in TOP_LINES] + [s.lower() for s in TOP_LINES]:
        meta, dates = loaders._Meta(body=""), loaders._TopDates()
        rest = loaders._read_header(line, meta, dates, near_top=near_top)
        unread = rest == line and meta == loaders._Meta(body="") and dates == loaders._TopDates()
        if not loaders._may_be_header(line, near_top):
            assert unread, line
        read += not unread
    assert read > 30  # the lines exercise every reader


def test_space_key_starts_are_every_character_re_i_equates_with_them():
    every = "".join(map(chr, range(0x110000)))
    firsts = "".join(sorted({key[0] for key in loaders._SPACE_KEYS}))
    assert set(re.findall(f"(?i)[{firsts}]", every)) == loaders._SPACE_KEY_STARTS


def test_year_pattern_finds_what_the_boundary_first_one_finds():
    old = re.compile(r"\b(?:1[89]|20)\d{2}\b")
    texts = ["1999", "x1999", "_2024", "٣2024", "é2020", "2020é", "2024x", "12024", "20245", "in 1850 and 2099.",
             "a\n2020", "19", "20 24", "1899 1800 2100", "2024-06-19", "２０２４", "2०२४", "(2024)", "'1999'", "1999_",
             "Jakarta Post - October 23, 2020", "x2020 2021", "2020x 2021", "Ā2020"]
    for text in texts:
        assert [m.span() for m in loaders._YEAR.finditer(text)] == [m.span() for m in old.finditer(text)], text


def _tidy_unguarded(text: str) -> str:
    text = re.sub(r" {2,}", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


@pytest.mark.parametrize("text", [
    "a b\n\nc d", " lead", "trail ", "a \nb", "a\n b", "a\n\n\nb", "a\n \n\nb", "a\n\n \nb", "a  b", "a   \n  b", "\n\n a",
    "  ", " ", "", "a\u00a0 b", "a\t \nb", "\n\nA\n\n", "a\n\n\n\n\nb \n", "x \n\n\n", "a\r\n b",
])
def test_tidy_with_its_guards_is_tidy_without_them(text):
    assert loaders._tidy(text) == _tidy_unguarded(text)


def test_clutter_trie_cuts_where_the_plain_alternation_cuts():
    plain = re.compile(
        r"\n[ \t]*(?:(?:" + "|".join(re.escape(h) for h in sorted(loaders.CLUTTER_HEADINGS, key=len, reverse=True))
        + r")[ \t]*:?|(?:" + "|".join(re.escape(p) for p in loaders.CLUTTER_PREFIXES) + r")\b[^\n]{0,80})[ \t]*(?=\n|$)",
        re.I,
    )
    story = "Alpha and Beta signed a logistics agreement on Tuesday, officials said.\n\n" * 3
    tails = ["Related", "RELATED STORIES:", "  related coverage  ", "Relatedness", "Related stories and more", "Most watched today",
             "most watched", "Editor's picks", "EDITORS' PICKS", "Sign up for our daily newsletter", "Sign up for" + " x" * 50,
             "Subscribe tomorrow", "Follow us on X", "Read more:", "Read next\t", "Comments", "Commentsection", "Trending now",
             "ＲＥＬＡＴＥＤ", "Relaţed", "Ｓign up for news", "Top ſtories", "top stories", "Most popular — today"]
    for tail in tails:
        for text in (story + tail + "\n\nMore text.", story.replace("Alpha", "Ålpha") + tail, story + tail):
            match = plain.search("\n" + text, int(len(text) * loaders.CLUTTER_MIN_FRACTION))
            assert loaders._cut_clutter(text) == (text if match is None else text[: match.start()]), (tail, text.isascii())


@pytest.mark.parametrize("given", [".", "./", "corpus", "./corpus/", "corpus/../corpus", "corpus//deep", "ABSOLUTE"])
def test_walked_paths_are_written_as_pathlib_writes_them(tmp_path, monkeypatch, given):
    # A walk writes each file's path once per folder as a prefix and the name (no Path per file).
    for rel in ("corpus/a.txt", "corpus/deep/b.md", "corpus/deep/er/c.html", "corpus/deep/er/d.TXT", "top.txt"):
        write(tmp_path / rel, BODY)
    monkeypatch.chdir(tmp_path)
    folder = Path(str(tmp_path / "corpus") if given == "ABSOLUTE" else given)
    expected = sorted(
        (path.relative_to(folder).as_posix(), path)
        for dirpath, _, names in os.walk(folder)
        for path in (Path(dirpath) / name for name in names)
    )
    files = list(iter_files([given if given != "ABSOLUTE" else folder]))
    assert [str(f) for f in files] == [str(path) for _, path in expected]
    assert all(isinstance(f, Path) for f in files)
    notes: list[str] = []
    articles = list(load_paths([folder], on_note=notes.append))  # BODY has no date: a note names each file
    assert [a.file for a in articles] == [rel for rel, _ in expected]
    assert [a.path for a in articles] == [str(path.resolve()) for _, path in expected]
    assert notes == [f"{path}: {loaders.NO_DATE_NOTE}" for _, path in expected]
    write(folder / "empty.txt", "")
    (error,) = errors_of([folder])[1]
    assert error.path == str(Path(folder) / "empty.txt")
