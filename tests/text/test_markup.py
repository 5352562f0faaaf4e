"""Tests for geostance.text.markup: clean text, titles and sentence offsets into the file."""

from __future__ import annotations

import html
import re
import time

import pytest

from geostance.text.markup import (
    TITLE_MAX_CHARS,
    Article,
    format_of,
    read_article,
    split_article,
)
from geostance.text.segment import split_sentences

MARKDOWN = """\
---
layout: article
date: 2024-03-07
---
# Sweden *formally* joins NATO

**Stockholm** – Sweden became the [32nd member](https://www.nato.int/news "NATO") of the
alliance on Thursday, ending two centuries of military non-alignment. Prime Minister
Ulf Kristersson called it a &quot;historic day&quot;.

Reactions
---------

- The Kremlin warned of *"countermeasures"* and said it would watch NATO's
  plans in the Baltic `closely`.
- Finland, which joined in 2023, welcomed its neighbour.
  1. Helsinki hosted a joint exercise.
  2. Oslo offered __logistics support__.

> "Russia's war against Ukraine changed everything," said ~~former~~ Foreign Minister
> Tobias Billström.

![Flags outside NATO headquarters](flags.jpg)
<!-- editor: check the quote -->
```text
embargoed: do not publish
```
***
Read the full statement at <https://www.nato.int>.
"""

MARKDOWN_LINES = [
    "Sweden formally joins NATO",
    "Stockholm – Sweden became the 32nd member of the alliance on Thursday, ending two "
    "centuries of military non-alignment. Prime Minister Ulf Kristersson called it a "
    '"historic day".',
    "Reactions",
    "The Kremlin warned of \"countermeasures\" and said it would watch NATO's plans in the "
    "Baltic closely.",
    "Finland, which joined in 2023, welcomed its neighbour.",
    "Helsinki hosted a joint exercise.",
    "Oslo offered logistics support.",
    "\"Russia's war against Ukraine changed everything,\" said former Foreign Minister Tobias "
    "Billström.",
    "Read the full statement at https://www.nato.int.",
]

HTML = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>NATO warns Russia over Baltic drills | World | Example News</title>
<script>window.dataLayer = [{"page": "<p>not text</p>"}];</script>
<style>p { margin: 0 }</style></head>
<body><header class="site-header"><a href="/">Example News</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/europe">Europe</a></li></ul></nav>
</header><div id="cookieConsent">We use cookies. <button>Accept</button></div>
<main><article>
<h1>NATO warns Russia over &#8220;reckless&#8221; Baltic drills</h1>
<p class="byline">By Anna Berg &amp; Jonas Lind</p>
<p>NATO allies meeting in Brussels&nbsp;on Monday condemned Russia&#8217;s naval drills in the
   Baltic Sea. The Secretary General called them <em>reckless</em> and
   <a href="/x" title="a > b">dangerous</a>.<br>Moscow rejected the criticism.</p>
<ul><li>Estonia asked for more air defence.<li>Poland moved troops to the border.</ul>
<div class="social-share"><a href="#">Share on X</a></div>
<blockquote><p>&quot;We will defend every inch of allied territory,&quot; the alliance said.
</blockquote><p>Lithuania called the drills &quot;a provocation.&quot;</p>
<aside class="related"><h2>Related</h2><p>Finland joins NATO</p></aside>
</article></main>
<footer><p>&copy; 2024 Example News</p></footer>
</body></html>
"""

HTML_LINES = [
    "NATO warns Russia over “reckless” Baltic drills",
    "By Anna Berg & Jonas Lind",
    "NATO allies meeting in Brussels on Monday condemned Russia’s naval drills in the Baltic "
    "Sea. The Secretary General called them reckless and dangerous.",
    "Moscow rejected the criticism.",
    "Estonia asked for more air defence.",
    "Poland moved troops to the border.",
    '"We will defend every inch of allied territory," the alliance said.',
    'Lithuania called the drills "a provocation."',
]


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def check_offsets(article: Article, raw: str) -> None:
    """Every character maps into ``raw``, in order, onto itself or onto its entity."""
    assert len(article.offsets) == len(article.text)
    assert all(a <= b for a, b in zip(article.offsets, article.offsets[1:], strict=False))
    for ch, off in zip(article.text, article.offsets, strict=True):
        assert 0 <= off < len(raw)
        assert ch.isspace() or raw[off] in (ch, "&"), (ch, off, raw[off - 10:off + 10])


def words_in_order(words: list[str], source: str) -> bool:
    pos = 0
    for word in words:
        pos = source.find(word, pos)
        if pos < 0:
            return False
        pos += len(word)
    return True


def check_sentences(article: Article, raw: str, lang: str = "en") -> list[str]:
    """Every sentence's span in ``raw`` holds its words in order; returns the sources."""
    sources = []
    spans = split_article(article, lang)
    assert [s.text for s in spans] == [s.text for s in split_sentences(article.text, lang)]
    for s in spans:
        source = raw[s.start:s.end]
        assert words_in_order(re.findall(r"\w+", s.text), source), (s, source)
        assert source[:1] == s.text[:1] or source[:1] in "&*_[`<"
        sources.append(source)
    return sources


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_markdown_article(newline: str) -> None:
    raw = MARKDOWN.replace("\n", newline)
    article = read_article(raw, "markdown")
    assert article.format == "markdown"
    assert article.title == "Sweden formally joins NATO"
    assert article.text.split("\n") == MARKDOWN_LINES
    assert "embargoed" not in article.text and "editor" not in article.text
    check_offsets(article, raw)
    sources = check_sentences(article, raw)
    assert sources[0] == "Sweden *formally* joins NATO"
    assert sources[1].startswith("Stockholm** – Sweden became the [32nd member](")
    assert sources[2] == (
        f"Prime Minister{newline}Ulf Kristersson called it a &quot;historic day&quot;.")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_html_article(newline: str) -> None:
    raw = HTML.replace("\n", newline)
    article = read_article(raw, "html")
    assert article.title == "NATO warns Russia over “reckless” Baltic drills"
    assert article.text.split("\n") == HTML_LINES
    check_offsets(article, raw)
    sources = check_sentences(article, raw)
    for s, source in zip(split_article(article, "en"), sources, strict=True):
        # Without tags and entities, the source span is the clean sentence.
        plain = html.unescape(re.sub(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""", "", source))
        assert " ".join(plain.split()) == s.text
    assert sources[0] == "NATO warns Russia over &#8220;reckless&#8221; Baltic drills"
    assert sources[-1] == "Lithuania called the drills &quot;a provocation.&quot;"


def test_html_title_falls_back_to_the_page_title() -> None:
    raw = HTML.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    assert read_article(raw, "html").title == "NATO warns Russia over Baltic drills"
    page = "<title>Kremlin rejects NATO offer - Example News</title><p>Body text.</p>"
    assert read_article(page, "html").title == "Kremlin rejects NATO offer"
    assert read_article("<p>No title here.</p>", "html").title == ""


def test_html_without_article_keeps_the_body_and_drops_furniture() -> None:
    raw = ("<body><nav>Home | World</nav><h1>Baltic&nbsp;states ask for jets</h1>"
           "<div class='content'><p>Estonia wants more jets.<p>Latvia agrees.</div>"
           "<div class='newsletter-signup'>Subscribe now</div>"
           "<div><form><p>Search</p></form></div><footer>Contact</footer></body>")
    article = read_article(raw, "html")
    assert article.text == "Baltic states ask for jets\nEstonia wants more jets.\nLatvia agrees."
    assert article.title == "Baltic states ask for jets"
    check_offsets(article, raw)
    # A form right inside <body> wraps the whole page (ASP.NET): it is kept.
    wrapped = "<body><form id='aspnetForm'><p>Sweden joins NATO.</p></form></body>"
    assert read_article(wrapped, "html").text == "Sweden joins NATO."


def test_markdown_front_matter_title_and_wrapped_numbers() -> None:
    raw = ('---\ntitle: "Finland joins NATO"\n---\nThe accession was completed in\n'
           "2023. Sweden followed.\n\n1. First point\n2. Second point\n")
    article = read_article(raw, "markdown")
    assert article.title == "Finland joins NATO"
    assert article.text.split("\n") == [
        "The accession was completed in 2023. Sweden followed.", "First point", "Second point"]
    check_offsets(article, raw)


def test_markdown_inline_markup() -> None:
    raw = ("***Bold italic*** and **bold *nested* inside** with `code`, "
           "[a [nested] link](http://x.org/a_(b)) and ![img](i.png) snake_case_name, "
           "AT&T &amp; \\*not emphasis\\*, <b>tag</b> and [^1] note.\n\n"
           "A lone mark is text: 5*3 = 15.")
    article = read_article(raw, "markdown")
    assert article.text.split("\n") == [
        "Bold italic and bold nested inside with code, a [nested] link and snake_case_name, "
        "AT&T & *not emphasis*, tag and note.",
        "A lone mark is text: 5*3 = 15."]
    check_offsets(article, raw)


def test_markdown_without_heading_uses_the_plain_text_rule() -> None:
    article = read_article("NATO *expands*\n\nThe alliance grew again.", "markdown")
    assert article.title == "NATO expands"
    article = read_article("The alliance **grew** again.\n\nMore text.", "markdown")
    assert article.title == ""


def test_plain_text_paragraph_first_has_no_title() -> None:
    raw = ("Russia warned Finland and Sweden on Friday that joining NATO would have serious "
           "consequences, the foreign ministry said.\nThe warning came a day after Helsinki "
           "announced its decision.\n")
    article = read_article(raw, "text")
    assert article.title == ""
    assert article.text == raw and article.offsets == list(range(len(raw)))
    assert split_article(article, "en") == split_sentences(raw, "en")


def test_plain_text_title_first() -> None:
    raw = "Finland applies to join NATO\r\n\r\nHelsinki (AP) – Finland applied on Sunday.\r\n"
    article = read_article(raw, "text")
    assert article.title == "Finland applies to join NATO"
    assert [raw[s.start:s.end] for s in split_article(article)] == [
        "Finland applies to join NATO", "Helsinki (AP) – Finland applied on Sunday."]


@pytest.mark.parametrize(
    "first_line",
    [
        'He said: "We are ready."',
        "Is NATO ready?",
        "NATO " * (TITLE_MAX_CHARS // 5 + 1),
        "Russia has warned Finland that joining the alliance would",
    ],
)
def test_plain_text_lines_that_are_not_titles(first_line: str) -> None:
    assert read_article(first_line + "\nhave consequences, Moscow said.", "text").title == ""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("raw", ["", "   \n\r\n"])
def test_empty_input(fmt: str, raw: str) -> None:
    article = read_article(raw, fmt)
    assert (article.title, article.text.strip(), split_article(article)) == ("", "", [])


def test_byte_order_mark_is_no_text() -> None:
    article = read_article("\ufeff# NATO summit\nLeaders met.", "markdown")
    assert (article.title, article.text) == ("NATO summit", "NATO summit\nLeaders met.")
    assert read_article("\ufeff<p>Leaders met.</p>", "html").text == "Leaders met."
    assert read_article("\ufeff", "html").text == ""


def test_only_markup() -> None:
    md = "# \n***\n```\ncode\n```\n<!-- note -->\n![img](a.png)\n\n[ref]: http://x.org\n- \n"
    assert read_article(md, "markdown").text == ""
    page = "<html><head><script>x()</script></head><body><nav>Menu</nav><br/></body></html>"
    assert read_article(page, "html").text == ""


def test_unclosed_and_broken_markup() -> None:
    page = ("<p>Unclosed <b>bold <i>italic\n<div>Next &amp block</span></div></p></p>"
            "<p>Shown</p><!-- hidden <p>comment</p>")
    assert read_article(page, "html").text == "Unclosed bold italic\nNext & block\nShown"
    # An unclosed quoted value ends at the next ">"; a tag without one hides the rest.
    assert read_article("<p>Kept</p><a href='x>Shown", "html").text == "Kept\nShown"
    assert read_article("<p>Kept</p><a href='x", "html").text == "Kept"
    assert read_article("<p>a</p><![if !supportLists]>b<![endif]>", "html").text == "a\nb"
    md = "**unclosed bold and [broken link( and `tick\n```\nunclosed fence"
    assert read_article(md, "markdown").text == "**unclosed bold and [broken link( and `tick"


def test_nested_lists_and_quotes() -> None:
    raw = "- Estonia\n  - Tallinn\n    1. Old Town\n- Latvia\n> - Riga\n>   continued\n"
    article = read_article(raw, "markdown")
    assert article.text.split("\n") == [
        "Estonia", "Tallinn", "Old Town", "Latvia", "Riga continued"]
    check_offsets(article, raw)


def test_format_of_and_unknown_formats() -> None:
    assert [format_of(p) for p in ("a.txt", "b.TEXT", "c.md", "d.markdown", "e.html",
                                   "f.HTM", "g")] == [
        "text", "text", "markdown", "markdown", "html", "html", "text"]
    with pytest.raises(ValueError, match="unknown format"):
        read_article("x", "pdf")


@pytest.mark.parametrize(("raw", "fmt"), [(MARKDOWN, "markdown"), (HTML, "html")])
def test_one_megabyte_is_fast(raw: str, fmt: str, cpu_seconds) -> None:
    # Linear in the input: ten times the text takes about ten times as long, not a hundred.
    big = raw * (1_000_000 // len(raw))
    small = raw * (100_000 // len(raw))
    assert len(split_article(read_article(big, fmt), "en")) > 1000
    ten = cpu_seconds(lambda: split_article(read_article(big, fmt), "en"))
    assert ten < 20 * cpu_seconds(lambda: split_article(read_article(small, fmt), "en"))


@pytest.mark.parametrize("unit", ["<a ", "<a href='", "<!--", "[", "*a _b ", "- - x\n", "`a``"])
def test_pathological_input_is_linear(unit: str) -> None:
    for fmt in ("markdown", "html"):
        raw = unit * (200_000 // len(unit))
        start = time.process_time()
        check_offsets(read_article(raw, fmt), raw)
        assert time.process_time() - start < 2.0, (unit, fmt)


def test_plain_text_holding_html_blocks_is_read_as_html():
    # A CMS export's "text" column with the page body: tags and entities must not reach
    # the sentences.
    from geostance.text.markup import looks_like_html, read_article, split_article

    raw = "<p>Russia warned Finland &quot;strongly&quot;.</p><p>NATO rejected the claims.</p>"
    art = read_article(raw, "text")
    assert art.format == "html"
    assert [s.text for s in split_article(art, "en")] == [
        'Russia warned Finland "strongly".', "NATO rejected the claims."]
    # One stray tag, or angle brackets in prose, leave plain text alone.
    assert not looks_like_html("Use <b>bold</b> sparingly, he said.")
    assert not looks_like_html("The vote was 5 < 7 and 9 > 3.")
    assert read_article("NATO grows.\nMoscow warns.", "text").format == "text"


@pytest.mark.parametrize(("fmt", "raw"), [
    ("html", "<h2>Key measures</h2><ul><li>sanctions on Russian banks</li>"
             "<li>export controls on chips</li></ul>"),
    ("markdown", "## Key measures\n\n- sanctions on Russian banks\n- export controls on chips\n"),
])
def test_markup_blocks_are_never_joined_as_wrapped_lines(fmt, raw):
    from geostance.text.markup import read_article, split_article

    assert [s.text for s in split_article(read_article(raw, fmt), "en")] == [
        "Key measures", "sanctions on Russian banks", "export controls on chips"]


def test_text_title_drops_zero_width_characters() -> None:
    # Invented paste from a web page: zero-width spaces around the headline are no part of it.
    article = read_article("\u200bNato växer\u200b\r\nDet sade hon.\r\n", "text")
    assert article.title == "Nato växer"
    assert [s.text for s in split_article(article, "sv")] == ["Nato växer", "Det sade hon."]
