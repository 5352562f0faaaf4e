"""The self-contained HTML report of prediction records (``predict.py --format html``).

One page: every sentence highlighted by stance, its kind as a small tag,
probabilities and source on hover, and a summary bar per article. No external
assets and no JavaScript, so the file can be mailed, archived or opened offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from ..config import STANCES

__all__ = ["STANCE_COLOURS", "stance_colour", "stances_of", "balance_text", "sources_line",
           "model_label",
           "sentence_tooltip", "render_html", "NotebookView", "score_files"]

# Light background and strong underline per stance (blue / red / amber, told apart by
# lightness too); any further stance of a custom label set gets one of the extras in turn.
STANCE_COLOURS = {"pro_nato": ("#dbeafe", "#2563eb"), "moscow_warning": ("#fee2e2", "#dc2626"),
                  "neutral_balancing": ("#fef3c7", "#d97706")}
EXTRA_COLOURS = (("#dcfce7", "#16a34a"), ("#ede9fe", "#7c3aed"), ("#e5e7eb", "#4b5563"))
KIND_TAGS = {"claim": "C", "heading": "H", "boilerplate": "B", "other": "O"}


def stance_colour(stance: str, stances: Sequence[str] = STANCES,
                  strong: bool = False) -> str:
    """Background (or, ``strong``, underline) colour of ``stance``; none: "transparent"."""
    if not stance:
        return "transparent"
    if stance in STANCE_COLOURS:
        pair = STANCE_COLOURS[stance]
    else:
        others = [s for s in stances if s not in STANCE_COLOURS]
        i = others.index(stance) if stance in others else len(others)
        pair = EXTRA_COLOURS[i % len(EXTRA_COLOURS)]
    return pair[1] if strong else pair[0]


def stances_of(records: Sequence[dict[str, Any]]) -> list[str]:
    """Stance labels in head order, taken from the records (custom label sets work too)."""
    out: list[str] = []
    for rec in records:
        for s in rec.get("sentences") or []:
            for k in (s.get("stance_probs") or {}):
                if k not in out:
                    out.append(k)
        for k in ((rec.get("summary") or {}).get("stance_shares") or {}):
            if k not in out:
                out.append(k)
    return out or list(STANCES)


def _probs(d: dict[str, float] | None) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in (d or {}).items() if v is not None)


def model_label(model: dict[str, Any] | None) -> str:
    """The model a record was scored with, in one line: name, weights (first 12 hex digits
    of their sha256), geostance version, and quantisation when not float32; "" for none."""
    if not isinstance(model, dict) or not model.get("name"):
        return ""
    parts = [str(model["name"])]
    if model.get("weights_sha256"):
        parts.append(f"weights {str(model['weights_sha256'])[:12]}")
    if model.get("members"):
        parts.append(f"ensemble of {len(model['members'])}")
    if model.get("geostance_version"):
        parts.append(f"geostance {model['geostance_version']}")
    if model.get("quantized"):
        parts.append(str(model["quantized"]))
    return ", ".join(parts)


def balance_text(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.2f}"


def sources_line(summary: dict[str, Any], limit: int = 8) -> str:
    srcs = summary.get("sources") or []
    parts = [f"{s['source']} ({s['sentences']}: "
             + ", ".join(f"{k} {v}" for k, v in s["stances"].items()) + ")"
             for s in srcs[:limit]]
    if len(srcs) > limit:
        parts.append(f"... {len(srcs) - limit} more")
    return "; ".join(parts) or "none attributed"


def sentence_tooltip(s: dict[str, Any]) -> str:
    """Hover text of one sentence: kind and stance probabilities and the source."""
    return (f"#{s.get('index')} kind: {s.get('kind')} ({_probs(s.get('kind_probs'))})\n"
            f"stance: {s.get('stance') or 'none'} ({_probs(s.get('stance_probs'))})\n"
            f"source: {s.get('source') or '-'}")


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
 background:#f6f6f4;color:#222}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
h1{font-size:1.4rem;margin:.5rem 0}
.legend span.key{display:inline-block;padding:0 .5em;margin-right:.5em;border-radius:3px}
article{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1.2rem 0;
 padding:1rem 1.3rem}
article h2{font-size:1.2rem;margin:0 0 .2rem}
.meta{color:#666;font-size:.85rem}
.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#eee;margin:.5rem 0}
.bar span{display:block;height:100%}
.summary{font-size:.9rem;margin-bottom:.8rem}
.summary dt{font-weight:600;float:left;clear:left;margin-right:.4em}
.summary dd{margin:0 0 .1rem}
.text{border-top:1px solid #eee;padding-top:.6rem}
.text{line-height:1.9}
.sent{border-radius:3px 3px 0 0;padding:1px 2px;cursor:help;border-bottom:2px solid transparent}
.sent .kind{font-size:.6rem;font-weight:700;color:#555;vertical-align:super;margin-right:1px;
 border:1px solid #999;border-radius:2px;padding:0 2px;background:#fff}
.sent.k-heading{display:block;font-weight:700;font-size:1.05rem;margin:.3rem 0}
.sent.k-boilerplate{color:#999;font-style:italic}
.sent.k-other{text-decoration:underline dotted #888}
.sent:hover{outline:2px solid #333}
.error{color:#a00;font-weight:600}
.sources{font-size:.85rem;color:#333}
"""


def _summary_html(rec: dict[str, Any], stances: Sequence[str]) -> str:
    summ = rec.get("summary") or {}
    shares = summ.get("stance_shares") or {}
    segs = "".join(
        f'<span style="width:{100 * float(shares.get(st) or 0):.1f}%;'
        f'background:{stance_colour(st, stances, strong=True)}" '
        f'title="{escape(st)}: {100 * float(shares.get(st) or 0):.0f}%"></span>'
        for st in stances if shares.get(st))
    share_txt = ", ".join(f"{st} {100 * float(shares.get(st) or 0):.0f}%" for st in stances)
    return (
        f'<div class="bar" role="img" aria-label="stance shares among claims: '
        f'{escape(share_txt)}">{segs}</div>'
        '<dl class="summary">'
        f"<dt>Claims</dt><dd>{escape(str(summ.get('claims', 0)))} of "
        f"{escape(str(summ.get('sentences', 0)))} sentences"
        f" &middot; {escape(share_txt)}</dd>"
        f"<dt>Dominant stance</dt><dd>{escape(str(summ.get('dominant_stance') or 'none'))}</dd>"
        f"<dt>Balance index</dt><dd>{balance_text(summ.get('balance_index'))} "
        '<span class="meta">(+1 all pro_nato, -1 all moscow_warning)</span></dd>'
        f'<dt>Sources</dt><dd class="sources">{escape(sources_line(summ))}</dd>'
        "</dl>")


def _sentence_html(s: dict[str, Any], stances: Sequence[str]) -> str:
    kind = str(s.get("kind") or "")
    stance = str(s.get("stance") or "")
    tag = KIND_TAGS.get(kind, kind[:1].upper() or "?")
    return (f'<span class="sent k-{escape(kind)}" data-stance="{escape(stance)}" '
            f'data-kind="{escape(kind)}" style="background:{stance_colour(stance, stances)};'
            f'border-bottom-color:{stance_colour(stance, stances, strong=True)}" '
            f'title="{escape(sentence_tooltip(s))}"><span class="kind">{escape(tag)}</span>'
            f"{escape(str(s.get('text') or ''))}</span>")


def _article_html(rec: dict[str, Any], stances: Sequence[str]) -> str:
    title = rec.get("title") or rec.get("article_id") or "(untitled)"
    model = model_label(rec.get("model"))
    meta = " &middot; ".join(escape(str(x)) for x in (
        rec.get("article_id"), f"lang {rec.get('lang') or '?'}", rec.get("outlet"),
        rec.get("date"), f"model {model}" if model else None) if x)
    head = f"<h2>{escape(str(title))}</h2><div class=\"meta\">{meta}</div>"
    if rec.get("error"):
        return (f'<article>{head}<p class="error">Not scored: {escape(str(rec["error"]))}</p>'
                "</article>")
    # Sentences are inline so the article reads as running text; headings break the line (CSS).
    sents = " ".join(_sentence_html(s, stances) for s in rec.get("sentences") or [])
    return f'<article>{head}{_summary_html(rec, stances)}<div class="text">{sents}</div></article>'


def render_html(records: Sequence[dict[str, Any]], title: str = "geostance report") -> str:
    """One self-contained HTML page for prediction records (inline CSS, no scripts).

    Every sentence is a ``<span class="sent" data-stance=...>`` coloured by its
    stance (boilerplate: none), with a kind tag (C/H/B/O) and a hover tooltip
    with kind and stance probabilities and the source. All record text is
    escaped, so article text containing HTML shows as text.
    """
    stances = stances_of(records)
    legend = " ".join(
        f'<span class="key" style="background:{stance_colour(st, stances)};border-bottom:2px '
        f'solid {stance_colour(st, stances, strong=True)}">{escape(st)}</span>'
        for st in stances)
    kinds = " ".join(f"{tag} = {escape(k)}" for k, tag in KIND_TAGS.items())
    n_sent = sum(len(r.get("sentences") or []) for r in records)
    body = "\n".join(_article_html(r, stances) for r in records)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="legend meta">{len(records)} articles, {n_sent} sentences. Stance: {legend}'
        f" &middot; no colour = no stance (boilerplate). Kind: {kinds}. "
        "Hover a sentence for its probabilities and source.</p>"
        f"{body}</main></body></html>\n")


class NotebookView:
    """The HTML report shown in a notebook, isolated in an iframe so its CSS stays inside."""

    def __init__(self, records: Sequence[dict[str, Any]], height: int = 700):
        self.html = render_html(records)
        self.height = height

    def __repr__(self) -> str:
        n = self.html.count('class="sent ')
        return f"<geostance report: {n} sentences>"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{escape(self.html)}" style="width:100%;height:{self.height}px;'
                'border:1px solid #ddd"></iframe>')


def score_files(predictor, paths: Sequence[str | Path]) -> list[dict[str, Any]]:
    """Prediction records (``article_id`` = file stem, ``input`` = path) for text files."""
    texts = [Path(p).read_text(encoding="utf-8-sig") for p in paths]  # the seed has a BOM
    recs = predictor.predict_articles(texts)
    return [{"article_id": Path(p).stem, "input": str(p), **r}
            for p, r in zip(paths, recs, strict=True)]


