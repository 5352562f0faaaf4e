"""Read plain-text, Markdown and HTML articles into clean text with offsets into the file.

API: ``format_of(path)`` is "text", "markdown" or "html" by suffix; ``read_article(raw, fmt)``
gives an :class:`Article` whose ``text`` has one block (paragraph, heading, list item ...) per
line without markup and whose ``offsets[i]`` is the index in ``raw`` of ``text[i]``
(non-decreasing; a joining space or newline maps after the character before it);
``split_article(article, lang)`` gives its sentences (``segment.split_sentences``) with
``raw[span.start:span.end]`` the sentence as written and ``span.text`` the clean sentence.

* text: unchanged; the first non-empty line is the title only when it looks like one.
* markdown: headings, list items and quotes become lines without their marks, paragraphs one
  line; emphasis, code, links, autolinks, inline tags and entities are resolved; images,
  code fences, comments, rules, front matter and link definitions are dropped. Title: front
  matter ``title:``, else the first heading, else the text rule.
* html: blocks become lines, whitespace collapses, entities are decoded; scripts, navigation,
  forms, site headers, footers and boilerplate by class/id are dropped; only
  ``<article>``/``<main>`` text is kept when there is some. Title: the first ``<h1>`` kept,
  else ``<title>`` without its " | Site" suffix.

Limits: Markdown tables keep their pipes and indented code reads as text; emphasis marks go by
CommonMark's flanking rules without pairing; an unclosed code fence or comment hides the rest.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from .segment import ZERO_WIDTH, Span, split_sentences

__all__ = ["Article", "FORMATS", "TITLE_MAX_CHARS", "format_of", "looks_like_html",
           "read_article", "split_article"]

FORMATS = ("text", "markdown", "html")
_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html"}
# A first line longer than this is a paragraph, not a headline: news headlines stay well
# under 150 characters, and the margin keeps long kicker-plus-headline lines as titles.
TITLE_MAX_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?…。！？؟][\"'”’»)\]]*$")  # and closing quotes, brackets
_ODD_SPACE = re.compile(r"[\s\ufeff]{2,}|[^\S ]|\ufeff")  # a byte-order mark is no text
# Entities as html.unescape reads them (HTML allows some without the semicolon).
_HTML_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


@dataclass
class Article:
    """A clean article: ``text[i]`` comes from ``source[offsets[i]]``."""

    text: str
    title: str
    offsets: list[int]
    format: str
    source: str = field(default="", repr=False)


def format_of(path: str | PathLike[str]) -> str:
    """The reader format for a file name: text, markdown or html (unknown suffixes: text)."""
    return _SUFFIXES.get(Path(path).suffix.lower(), "text")


# Block-level HTML tags: plain text holding two or more is an HTML body pasted as text (a
# CMS export's "text" column, a saved fragment), which would otherwise be scored with
# its tags as one long sentence.
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|article|section|li|ul|ol|table|tr|td|blockquote|html|body)\b"
    r"[^<>]{0,200}>", re.IGNORECASE)


def looks_like_html(raw: str) -> bool:
    """Whether plain text is really HTML: two or more block-level tags in it."""
    found = 0
    for _ in _HTML_BLOCK_TAG.finditer(raw):
        found += 1
        if found >= 2:
            return True
    return False


def read_article(raw: str, fmt: str) -> Article:
    """Read ``raw`` (the whole file) as ``fmt``, one of :data:`FORMATS`; text that
    :func:`looks_like_html` is read as HTML."""
    if fmt == "text" and looks_like_html(raw):
        fmt = "html"
    if fmt == "text":
        return Article(raw, _headline(raw), list(range(len(raw))), "text", raw)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    text, offsets, title = _read_markdown(raw) if fmt == "markdown" else _HTMLText(raw).read()
    return Article(text, title, offsets, fmt, raw)


def split_article(article: Article, lang: str | None = None) -> list[Span]:
    """Sentences of ``article.text``; ``start``/``end`` index the original file: the first
    character's offset, and the last one's plus one (or the end of its entity)."""
    spans: list[Span] = []
    src, off = article.source, article.offsets
    # Markdown and HTML blocks (headings, list items, paragraphs) come one per line, their
    # soft line breaks already joined: only plain text may be hard-wrapped.
    for s in split_sentences(article.text, lang, join_wrapped=article.format == "text"):
        start, last = off[s.start], off[s.end - 1]
        end = last + 1
        if src[last:end] == "&" and article.format != "text":  # keep "&quot;" whole
            m = _HTML_ENTITY.match(src, last)
            end = m.end() if m and html.unescape(m.group()) != m.group() else end
        spans.append(Span(start, max(end, start + 1), s.text))
    return spans


def _headline(text: str) -> str:
    """The first non-empty line when it looks like a headline, else ""."""
    # Zero-width characters pasted from web pages (and a byte-order mark) are no text.
    m = re.search(r"[^\s" + ZERO_WIDTH + r"][^\r\n]*", text)
    line = re.sub(r"[\s" + ZERO_WIDTH + "]+$", "", m.group()) if m else ""
    # A next line that starts in lower case continues a hard-wrapped sentence.
    nxt = re.match(r"[ \t]*\r?\n[ \t]*(\S)", text[m.end():m.end() + 200]) if m else None
    return "" if (not line or len(line) > TITLE_MAX_CHARS or _SENTENCE_END.search(line)
                  or line[-1] in ",;" or (nxt and nxt.group(1).islower())) else line


class _Buf:
    """Text under construction with one source offset per character: ``copy`` appends
    ``src[a:b]`` mapped to ``offs[a:b]`` (or ``a..b``), ``put`` maps a text to one offset."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offs: list[int] = []

    def copy(self, src: str, a: int, b: int, offs: list[int] | None = None) -> None:
        self.parts.append(src[a:b])
        self.offs.extend(range(a, b) if offs is None else offs[a:b])

    def put(self, text: str, off: int) -> None:
        self.parts.append(text)
        self.offs.extend([off] * len(text))

    def squashed(self) -> tuple[str, list[int]]:
        """The text with whitespace runs collapsed to one space and the ends stripped."""
        text, out, pos = "".join(self.parts), _Buf(), 0
        for m in _ODD_SPACE.finditer(text):  # single plain spaces need no work
            out.copy(text, pos, m.start(), self.offs)
            out.put(" ", self.offs[m.start()])
            pos = m.end()
        out.copy(text, pos, len(text), self.offs)
        joined = "".join(out.parts)
        a, b = len(joined) - len(joined.lstrip(" ")), len(joined.rstrip(" "))
        return joined[a:b], out.offs[a:b]


def _join_lines(lines: list[tuple[str, list[int]]]) -> tuple[str, list[int]]:
    """One line per block; each newline maps just after the character before it."""
    offs: list[int] = []
    for k, (_, o) in enumerate(lines):
        offs.extend([offs[-1] + 1, *o] if k else o)
    return "\n".join(t for t, _ in lines), offs


def _decode(raw: str, a: int, b: int, buf: _Buf) -> None:
    """Append ``raw[a:b]`` with entities decoded; decoded characters map to their ``&``."""
    pos = a
    for m in _HTML_ENTITY.finditer(raw, a, b) if raw.find("&", a, b) >= 0 else ():
        ch = html.unescape(m.group())
        if ch != m.group():  # "&foo;" and "R&D" are no entities and stay as written
            buf.copy(raw, pos, m.start())
            buf.put(ch, m.start())
            pos = m.end()
    buf.copy(raw, pos, b)


# Comments and script/style blocks are blanked in a same-length copy of the file, so every
# index of the copy is still an index of the original; unclosed ones run to the end.
_MD_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.S | re.I)
_FRONT_MATTER = re.compile(r" ?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FM_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.M)
_FENCE = re.compile(r"`{3,}|~{3,}")
_ATX = re.compile(r"#{1,6}(?:[ \t]+|$)")
# A rule ("***", "---") or a table's delimiter row ("|---|:--|").
_RULE = re.compile(r"(?:([-*_])[ \t]*(?:\1[ \t]*){2,}|(?=[^|]*\|)(?=[^-]*-)[ \t|:-]*)$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
# Container marks opening a line: blockquote ">"s and list bullets, possibly nested ("- - -"
# reads as empty items). Inside a paragraph only "1." opens a list: "2024. The ..." is text.
_MARKS = r"(?:[ \t]*(?:>|(?:[-*+]|{})(?=[ \t]|$)))*[ \t]*"
_CONTAINERS = re.compile(_MARKS.format(r"\d{1,9}[.)]"))
_PARA_MARKS = re.compile(_MARKS.format("1[.)]"))
_REF_DEF = re.compile(r"\[[^\]]+\]:[ \t]*\S")
_SPECIAL = re.compile(r"[\\`*_~\[!<&]")
_BRACKETS = re.compile(r"\\.|[\[\]()]", re.S)
_RUN = re.compile(r"`+|\*+|_+|~+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_MD_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PUNCT = frozenset(string.punctuation)


def _read_markdown(raw: str) -> tuple[str, list[int], str]:
    work = _MD_HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), raw)
    work = work.replace("\r\n", " \n").replace("\r", "\n")
    work = " " + work[1:] if work.startswith("\ufeff") else work
    title, pos = "", 0
    fm = _FRONT_MATTER.match(work)
    # Only YAML-looking front matter: a file may also open with a rule and a setext heading.
    if fm and (not fm.group(1) or re.match(r"[\w-]+:", fm.group(1))):
        tm = _FM_TITLE.search(fm.group(1) or "")
        title, pos = (tm.group(1).strip("\"'").strip() if tm else ""), fm.end()
    lines, heading = _md_lines(work, pos)
    text, offsets = _join_lines(lines)
    return text, offsets, title or heading or _headline(text)


def _md_lines(work: str, pos: int) -> tuple[list[tuple[str, list[int]]], str]:
    """The clean lines of the blocks from ``pos`` on, and the text of the first heading."""
    lines: list[tuple[str, list[int]]] = []
    para, heading, fence, was_quote, in_list = _Buf(), "", "", False, False

    def flush(is_heading: bool = False) -> None:
        nonlocal para, heading
        text, offs = _md_inline("".join(para.parts), para.offs) if para.parts else ("", [])
        if text:
            lines.append((text, offs))
            heading = heading or (text if is_heading else "")
        para = _Buf()  # the next block's source: its lines' content joined by spaces

    for line in work[pos:].split("\n"):
        i, b, pos = pos, pos + len(line), pos + len(line) + 1
        cm = (_PARA_MARKS if para.parts and not in_list else _CONTAINERS).match(work, i, b)
        i, quote, item = cm.end(), ">" in cm.group(), bool(cm.group().strip(" \t>"))
        if fence:  # inside a code fence only a closing run of its marks counts
            close = work[i:b].rstrip()
            fence = "" if close.startswith(fence) and not close.strip(fence[0]) else fence
            continue
        if item or quote != was_quote:
            flush()  # a new list item or a quote boundary starts a new block
        was_quote = quote
        if not work[i:b].strip():
            flush()
        elif (fm := _FENCE.match(work, i, b)) and not (fm[0][0] == "`" and "`" in work[fm.end():b]):
            flush()
            fence = fm.group()
        elif para.parts and not item and _SETEXT.match(work, i, b):
            flush(is_heading=True)
        elif _RULE.match(work, i, b):
            flush()
        elif hm := _ATX.match(work, i, b):
            flush()
            content = re.sub(r"(?:^|[ \t]+)#+$", "", work[hm.end():b].rstrip())  # closing #s
            para.copy(work, hm.end(), hm.end() + len(content))
            flush(is_heading=True)
        elif para.parts or not _REF_DEF.match(work, i, b):
            if para.parts:
                para.put(" ", para.offs[-1] + 1)  # the line break
            para.copy(work, i, b)
        in_list = item or (in_list and bool(para.parts))
    flush()
    return lines, heading


def _md_inline(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """The clean text of one block ``s`` (source offsets ``offs``), inline markup resolved."""
    pairs: dict[int, int] = {}  # the "]"/")" matching each "["/"(", found in one linear pass
    stacks: dict[str, list[int]] = {"]": [], ")": []}
    for m in _BRACKETS.finditer(s):  # escaped ones match as two characters: skipped
        if m.group() in "[(":
            stacks[")" if m.group() == "(" else "]"].append(m.start())
        elif stacks.get(m.group()):
            pairs[stacks[m.group()].pop()] = m.start()
    # A lone "*" in a block ("5*3", a footnote mark) has no partner: it is text.
    marks = Counter(m.group()[0] for m in _RUN.finditer(s))
    return _inline(s, offs, 0, len(s), pairs, marks, _Buf()).squashed()


def _inline(s: str, offs: list[int], lo: int, hi: int, pairs: dict[int, int],
            marks: Counter[str], out: _Buf) -> _Buf:
    """Append the clean text of ``s[lo:hi]`` to ``out`` (and return it)."""
    no_closer: set[int] = set()  # code-span lengths with no closing run further on
    pos = lo
    while pos < hi:
        m = _SPECIAL.search(s, pos, hi)
        i = m.start() if m else hi
        out.copy(s, pos, i, offs)
        if not m:
            break
        c, pos = m.group(), i + 1
        if c in "*_~":
            pos = j = _RUN.match(s, i, hi).end()
            if marks[c] < 2 or not _is_emphasis(s, lo, hi, i, j):
                out.copy(s, i, j, offs)
        elif c == "`":
            pos = j = _RUN.match(s, i, hi).end()
            close = None if j - i in no_closer else re.compile(
                rf"(?<!`)`{{{j - i}}}(?!`)").search(s, j, hi)
            if close is None:
                no_closer.add(j - i)
                out.copy(s, i, j, offs)
                continue
            a, b, pos = j, close.start(), close.end()
            pad = b - a > 2 and s[a] == " " == s[b - 1]  # one space each side is padding
            out.copy(s, a + pad, b - pad, offs)
        elif c == "\\" and s[i + 1:i + 2] in _PUNCT and i + 1 < hi:
            out.copy(s, i + 1, i + 2, offs)
            pos = i + 2
        elif c == "[" and (link := _link(s, i, hi, pairs)):
            _inline(s, offs, i + 1, link[0], pairs, marks, out)
            pos = link[1]
        elif c == "!" and s[i + 1:i + 2] == "[" and (link := _link(s, i + 1, hi, pairs)):
            pos = link[1]  # images carry no article text
        elif c == "<" and (am := _AUTOLINK.match(s, i, hi)):
            out.copy(s, am.start(1), am.end(1), offs)
            pos = am.end()
        elif c == "<" and (tm := _TAG.match(s, i, hi)):
            if tm.group(1).lower() == "br":
                out.put(" ", offs[i])
            pos = tm.end()
        elif c == "&" and (em := _MD_ENTITY.match(s, i, hi)):
            out.put(html.unescape(em.group()), offs[i])
            pos = em.end()
        else:
            out.copy(s, i, i + 1, offs)
    return out


def _link(s: str, i: int, hi: int, pairs: dict[int, int]) -> tuple[int, int] | None:
    """(end of the text, end) of a link ``[text](url)``/``[text][ref]`` at ``s[i]``."""
    close = pairs.get(i, hi)
    if close < hi and s[close + 1:close + 2] in ("(", "[") and pairs.get(close + 1, hi) < hi:
        return close, pairs[close + 1] + 1
    if close < hi and s[i + 1:i + 2] == "^":
        return i + 1, close + 1  # a footnote reference [^1] is dropped whole
    return None


def _is_emphasis(s: str, lo: int, hi: int, i: int, j: int) -> bool:
    """Whether the run ``s[i:j]`` can open or close emphasis (CommonMark's flanking rules)."""
    before, after = s[i - 1] if i > lo else " ", s[j] if j < hi else " "
    pb, pa = (c in _PUNCT or unicodedata.category(c)[0] in "PS" for c in (before, after))
    left = not after.isspace() and (not pa or before.isspace() or pb)
    right = not before.isspace() and (not pb or after.isspace() or pa)
    if s[i] == "_":  # no intraword emphasis with "_": snake_case stays
        return (left and (not right or pb)) or (right and (not left or pa))
    return (left or right) and (s[i] != "~" or j - i == 2)


_BLOCKS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROP = frozenset(
    "script style noscript template svg nav header footer aside form button iframe head "
    "title select textarea object canvas math".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split())
# The next markup: a comment, a start or end tag, or another "<!", "<?" or "</" construct.
_MARKUP = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\s/>]*)|[!?/])")
_TAG_STOP = re.compile(r"""=\s*(["'])|>""")  # a tag's end, or a quoted value in it
_CLASS_ID = re.compile(
    r"""(?<![\w-])(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# Class/id words of page furniture; matched as whole words after splitting camelCase.
_BOILERPLATE = re.compile(
    r"(?:^|[^a-z])(?:cookies?|consent|gdpr|newsletters?|share|sharing|social|related|"
    r"comments?|breadcrumbs?|menus?|advert\w*|ads?|adslot|sponsored|promo)(?:[^a-z]|$)")


class _HTMLText:
    """The text lines of an HTML page with their source offsets, read in one linear pass (not
    with html.parser, which rescans the rest of the file at every unterminated tag)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, drops its content)
        self.open: Counter[str] = Counter()  # open elements by tag
        self.skip = 0  # open elements that drop their content
        self.title: _Buf | None = None  # the <title> text, once its tag was seen
        self.in_title, self.block, self.block_region = False, _Buf(), False
        self.lines: list[tuple[str, list[int], bool, bool]] = []  # text, offsets, region, h1
        self.unclosed: set[str] = set()  # quote marks with no closing partner further on

    def read(self) -> tuple[str, list[int], str]:
        """Clean text, offsets and title of the page."""
        raw, pos, n = self.raw, 0, len(self.raw)
        while pos < n:
            m = _MARKUP.search(raw, pos)
            self.text(pos, m.start() if m else n)
            if not m:
                break
            if not m.group(3):  # a comment (unclosed, it hides the rest as in a browser), or
                stop = "-->" if m.group(1) else ">"  # <!doctype>, <?xml?>, </3>: no text
                end = raw.find(stop, m.end())
                pos = n if end < 0 else end + len(stop)
                continue
            pos, tag = self._tag_end(m.end()), m.group(3).lower()
            if tag in _BLOCKS:
                self._break()
            if m.group(2):
                self.end(tag)
                continue
            self.start(tag, raw[m.end():pos])
            if tag in _RAW_TEXT:  # no markup inside: the text runs to the end tag
                close = re.compile(rf"</{tag}(?:[\s/>]|\Z)", re.I).search(raw, pos)
                self.text(pos, close.start() if close else n)
                pos = close.start() if close else n
        self._break()
        kept = [ln for ln in self.lines if ln[2]] or self.lines  # <article>/<main> text if any
        title = next((text for text, _, _, h1 in kept if h1), "")
        if not title and self.title is not None:
            title = _clean_page_title("".join(self.title.parts))
        return (*_join_lines([(t, o) for t, o, _, _ in kept]), title)

    def _tag_end(self, pos: int) -> int:
        """The index after the ">" that ends a tag whose attributes start at ``pos``."""
        while m := _TAG_STOP.search(self.raw, pos):
            if m.group() == ">":
                return m.end()
            close = -1 if m.group(1) in self.unclosed else self.raw.find(m.group(1), m.end())
            if close < 0:  # an unclosed quoted value ends at the next ">"
                self.unclosed.add(m.group(1))
            pos = m.end() if close < 0 else close + 1
        return len(self.raw)

    def _drops(self, tag: str, attrs: str) -> bool:
        if tag == "form" and self.stack and self.stack[-1][0] in ("body", "html"):
            return False  # a form wrapping the whole page (ASP.NET) is not a widget
        if tag in _DROP and not (tag == "header" and self.open["article"] + self.open["main"]):
            return True  # but an article's own <header> carries its headline
        names = " ".join("".join(m.groups("")) for m in _CLASS_ID.finditer(attrs))
        names = re.sub(r"([a-z])([A-Z])", r"\1-\2", names).lower()
        return tag not in ("html", "body", "main") and bool(_BOILERPLATE.search(names))

    def _break(self) -> None:
        if self.block.parts:
            text, offs = self.block.squashed()
            if text:
                self.lines.append((text, offs, self.block_region, self.open["h1"] > 0))
            self.block = _Buf()

    def text(self, a: int, b: int) -> None:
        """Decode ``raw[a:b]`` into the title or the current block, unless it is dropped."""
        if a >= b or (self.skip and not self.in_title):
            return
        buf = self.title if self.in_title and self.title is not None else self.block
        if buf is self.block and not buf.parts:
            self.block_region = self.open["article"] + self.open["main"] > 0
        _decode(self.raw, a, b, buf)

    def start(self, tag: str, attrs: str) -> None:
        if tag in _VOID:
            return
        # Inside dropped content nothing more can be dropped: skip the attribute checks.
        drop = not self.skip and self._drops(tag, attrs)
        self.stack.append((tag, drop))
        self.open[tag] += 1
        self.skip += drop
        if tag == "title" and self.title is None and not self.open["svg"]:
            self.in_title, self.title = True, _Buf()

    def end(self, tag: str) -> None:
        while self.open[tag] and self.stack:  # unclosed elements inside end with it
            name, drop = self.stack.pop()
            self.open[name] -= 1
            self.skip -= drop
            self.in_title = self.in_title and name != "title"
            if name == tag:
                break


def _clean_page_title(title: str) -> str:
    """A <title> without the site name: "Headline | Section | Site", "Headline - Site"."""
    title = re.split(r"\s+[|｜·•»]\s+", " ".join(title.split()))[0]
    m = re.fullmatch(r"(.*\S)\s+[-–—]\s+\S+(?:\s\S+){0,3}", title)
    return m.group(1) if m else title
