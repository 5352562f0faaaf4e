"""The HTML/text report, predict.py --format html, the notebook plots, and headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import predict
from geostance.config import PredictConfig
from geostance.predict.summary import summarize
from geostance.report import html as report_html
from geostance.report import plots, terminal
from geostance.report.__main__ import main as report_main

ROOT = Path(__file__).resolve().parents[2]

DEMO = ROOT / "data" / "demo" / "demo_article_en.txt"
STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]
KINDS = ["claim", "heading", "boilerplate", "other"]
EVIL = "<script>document.title='pwned'</script> & <b>bold</b>"


class _Sents(HTMLParser):
    """Counts class="sent" elements (and their data-stance) and <script> elements."""

    def __init__(self):
        super().__init__()
        self.stances: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "sent" in (a.get("class") or "").split():
            self.stances.append(a.get("data-stance") or "")
        self.scripts += tag == "script"


def _parse(html: str) -> _Sents:
    p = _Sents()
    p.feed(html)
    return p


def _sentence(i: int, text: str, kind: str, stance: str, source: str = "") -> dict:
    probs = {s: (0.8 if s == stance else 0.1) for s in STANCES}
    return {"index": i, "start": 0, "end": len(text), "text": text, "kind": kind,
            "kind_probs": {k: (0.7 if k == kind else 0.1) for k in KINDS},
            "stance": "" if kind == "boilerplate" else stance, "stance_probs": probs,
            "source": source, "stance_confidence": 0.8}


@pytest.fixture
def records() -> list[dict]:
    sents = [_sentence(0, "NATO ties deepen", "heading", "pro_nato"),
             _sentence(1, "Peskov said it was a threat.", "claim", "moscow_warning", "Peskov"),
             _sentence(2, EVIL, "claim", "neutral_balancing"),
             _sentence(3, "© 2024 Wire", "boilerplate", "pro_nato")]
    ok = {"article_id": "a1", "input": "a1.txt", "lang": "en", "title": "NATO <ties>",
          "date": None, "outlet": None, "context_prev": None,
          "model": {"name": "m", "weights_sha256": "0" * 64, "quantized": None},
          "summary": summarize(sents, STANCES), "sentences": sents, "error": None,
          "encoding": "utf-8"}
    bad = {**ok, "article_id": "a2", "input": "a2.bin", "lang": None, "title": None,
           "summary": None, "sentences": [], "error": "binary file: NUL bytes"}
    return [ok, bad]


# --------------------------------------------------------------------------- rendering


def test_render_html_highlights_and_escapes(records):
    html = report_html.render_html(records)
    p = _parse(html)
    assert p.stances == ["pro_nato", "moscow_warning", "neutral_balancing", ""]
    assert p.scripts == 0  # the article's <script> is text, not markup
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "NATO &lt;ties&gt;" in html
    # Self-contained: no external stylesheet, script, font or image.
    assert "http://" not in html and "https://" not in html and "<link" not in html
    # Hover text carries probabilities and source; the summary its numbers.
    assert 'title="#1 kind: claim (claim 0.70' in html and "source: Peskov" in html
    assert "Balance index" in html and "Dominant stance" in html
    assert "Not scored: binary file" in html
    for st in STANCES:  # three distinct colours
        assert report_html.stance_colour(st) in html
    assert len({report_html.stance_colour(s) for s in STANCES}) == 3
    assert report_html.stance_colour("") == "transparent"


def test_render_text(records):
    text = terminal.render_text(records)
    assert "=== NATO <ties>" in text
    assert "lang en" in text and "dominant" in text and "balance" in text
    assert "  1 claim       moscow_warning (0.80)" in text and "Peskov" in text
    # Which model scored it: name, weights and version, in both renderings.
    assert "model m, weights 000000000000" in text
    assert "model m, weights 000000000000" in report_html.render_html(records)
    assert "NOT SCORED: binary file" in text
    long = [{**records[0], "sentences": [_sentence(0, "x" * 300, "claim", "pro_nato")]}]
    assert max(len(line) for line in terminal.render_text(long).splitlines()) < 180


def test_cli_html_and_show(records, tmp_path, capsys):
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "r.html"
    assert report_main(["html", str(pred), "--out", str(out)]) == 0
    assert len(_parse(out.read_text(encoding="utf-8")).stances) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl", "r.html"]  # no temp left
    capsys.readouterr()
    # Neither the input nor an earlier report is replaced without --overwrite.
    assert report_main(["html", str(pred), "--out", str(pred), "--overwrite"]) == 2
    assert "is also an input" in capsys.readouterr().err
    assert json.loads(pred.read_text(encoding="utf-8").splitlines()[0]) == records[0]
    assert report_main(["html", str(pred), "--out", str(out)]) == 2
    assert f"{out} exists; --overwrite replaces it" in capsys.readouterr().err
    assert report_main(["html", str(pred), "--out", str(out), "--overwrite"]) == 0
    assert report_main(["show", str(pred)]) == 0
    assert "Peskov" in capsys.readouterr().out
    assert report_main(["show", str(tmp_path / "missing.jsonl")]) == 2
    other = tmp_path / "other.jsonl"  # JSON, but not predict.py's records
    other.write_text('{"id": 1, "text": "NATO"}\n', encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    capsys.readouterr()
    assert report_main(["show", str(other)]) == 2
    assert f"{other}:1: article_id: missing" in capsys.readouterr().err
    assert report_main(["show", str(empty)]) == 2
    assert "no prediction records" in capsys.readouterr().err
    assert report_main(["html", str(pred), "--out", str(tmp_path / "no" / "r.html")]) == 2


def test_predict_format_html(tiny_run, tmp_path, capsys):
    out = tmp_path / "report.html"
    jsonl = tmp_path / "pred.jsonl"
    args = ["--model", str(tiny_run), "--no-progress"]
    assert predict.main([str(DEMO), "--out", str(out), "--format", "html", *args]) == 0
    assert predict.main([str(DEMO), "--out", str(jsonl), *args]) == 0
    (rec,) = terminal.load_records(jsonl)
    assert len(_parse(out.read_text(encoding="utf-8")).stances) == len(rec["sentences"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pred.jsonl", "report.html"]
    # The extension alone picks the format too.
    assert PredictConfig(inputs=[str(DEMO)], out="r.html").format == "html"


# --------------------------------------------------------------------------- notebook helpers


def test_tables(tiny_run):
    m = plots.load_metrics(tiny_run)
    t = plots.metrics_table(m)
    assert {(r["split"], r["head"], r["model"]) for r in t} >= {
        ("test", "stance", "transformer"), ("test", "stance", "baseline"),
        ("dev", "kind", "transformer")}
    assert "<table>" in t._repr_html_() and "macro_f1" in str(t)
    pc = plots.per_class_table(tiny_run, "stance")
    assert [r["label"] for r in pc] == STANCES and all("baseline_f1" in r for r in pc)
    # A split the baseline was not scored on gets no empty baseline column.
    # A split the baseline was not scored on (realnews_dev, say): no empty column.
    news = plots.per_class_table({**m, "other": m["test"]}, "stance", "other")
    assert len(news) == len(STANCES) and all("baseline_f1" not in r for r in news)
    assert "no baseline" in str(news)
    langs = plots.per_language_table(m)
    assert any(r["split"] == "test" for r in langs)
    assert all({"lang", "n", "macro_f1", "accuracy"} <= set(r) for r in langs)


@pytest.mark.parametrize("head", ["kind", "stance"])
def test_plots(tiny_run, head, tmp_path):
    m = plots.load_metrics(tiny_run)
    fig = plots.plot_confusion(m, head)
    (ax,) = fig.axes[:1]
    assert ax.get_title() == f"test {head} confusion (transformer)"
    assert [t.get_text() for t in ax.get_yticklabels()] == (KINDS if head == "kind" else STANCES)
    fig = plots.plot_reliability(m, head)
    titles = [a.get_title() for a in fig.axes]
    assert len(titles) == 2 and "before scaling" in titles[0] and "after scaling" in titles[1]
    fig.savefig(tmp_path / "r.png")  # renders without a display
    assert (tmp_path / "r.png").stat().st_size > 1000


def test_f1_bars_and_stance_mix(tiny_run, records):
    fig = plots.plot_f1_bars(tiny_run)
    assert [a.get_title() for a in fig.axes] == ["test kind: per-class F1",
                                                 "test stance: per-class F1"]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["transformer",
                                                                           "baseline"]
    fig = plots.plot_stance_mix(records)
    assert fig.axes[0].get_title() == "Stance mix per article"
    src = plots.sources_table(records[0])
    assert [r["source"] for r in src] == ["Peskov"]


# --------------------------------------------------------------------------- Chromium


def _apt(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(["apt-get", *args], capture_output=True, text=True, env=env,
                          timeout=900)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium; installed with apt-get when missing only where asked
    (``GEOSTANCE_INSTALL_CHROMIUM=1``, set by ``make test-all``) and we are root: the
    default run never installs system packages."""
    found = shutil.which("chromium") or ("/usr/bin/chromium"
                                         if Path("/usr/bin/chromium").exists() else None)
    if found:
        return found
    if os.environ.get("GEOSTANCE_INSTALL_CHROMIUM") != "1":
        pytest.skip("chromium is not installed (GEOSTANCE_INSTALL_CHROMIUM=1 installs it)")
    if not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and apt-get is not available")
    if os.geteuid() != 0:
        pytest.skip("chromium is not installed and installing it needs root (apt-get)")
    r = _apt("install", "-y", "-q", "chromium")
    if r.returncode != 0:  # a fresh machine has no package lists yet
        upd = _apt("update", "-q")
        r = _apt("install", "-y", "-q", "chromium") if upd.returncode == 0 else upd
    if r.returncode != 0 or not Path("/usr/bin/chromium").exists():
        pytest.skip(f"could not install chromium: {(r.stderr or r.stdout).strip()[-300:]}")
    return "/usr/bin/chromium"


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--window-size=1200,1600", *args],
        capture_output=True, text=True, timeout=120)


def test_report_in_headless_chromium(chromium, tiny_run, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(f"Evil headline\nThe article quotes {EVIL} in its text.\n", encoding="utf-8")
    out, jsonl = tmp_path / "report.html", tmp_path / "pred.jsonl"
    args = ["--model", str(tiny_run), "--no-progress"]
    assert predict.main([str(DEMO), str(evil), "--out", str(out), "--format", "html", *args]) == 0
    assert predict.main([str(DEMO), str(evil), "--out", str(jsonl), *args]) == 0
    expected = sum(len(r["sentences"]) for r in terminal.load_records(jsonl))
    assert expected > 10

    url = out.resolve().as_uri()
    dom = _chromium(chromium, tmp_path / "profile1", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-500:]
    parsed = _parse(dom.stdout)
    assert len(parsed.stances) == expected
    # The quoted <script> stayed text: no script element, and it never ran.
    assert parsed.scripts == 0
    assert "pwned" not in dom.stdout.split("</title>")[0]
    assert "&lt;script&gt;" in dom.stdout

    shot = tmp_path / "shot.png"
    r = _chromium(chromium, tmp_path / "profile2", f"--screenshot={shot}", url)
    assert r.returncode == 0, r.stderr[-500:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a rendered page, not a blank one


def test_records_the_renderers_would_trip_over_are_named(records, tmp_path, capsys):
    bad_probs = json.loads(json.dumps(records[0]))
    bad_probs["sentences"][1]["stance_probs"] = "x"
    bad_shares = json.loads(json.dumps(records[0]))
    bad_shares["summary"]["stance_shares"] = {"pro_nato": "abc"}
    for rec, says in ((bad_probs, "sentences[1].stance_probs: must map labels to numbers"),
                      (bad_shares, "summary.stance_shares: must map stances to numbers")):
        path = tmp_path / "p.jsonl"
        path.write_text(json.dumps(records[1]) + "\n" + json.dumps(rec) + "\n",
                        encoding="utf-8")
        assert report_main(["show", str(path)]) == 2
        assert f"{path}:2: {says}" in capsys.readouterr().err
    path.write_bytes(json.dumps(records[1]).encode() + b"\n\xff\n")
    assert report_main(["show", str(path)]) == 2
    assert f"error: {path}:2: not UTF-8" in capsys.readouterr().err  # the line is named
    path.write_text(json.dumps({"realdev": {"stance": 0.7}}, indent=2), encoding="utf-8")
    assert report_main(["show", str(path)]) == 2  # metrics.json, say
    assert f"{path}: a JSON document, not the JSONL records" in capsys.readouterr().err
    table = tmp_path / "p.csv"  # predict.py's other output formats
    table.write_text("article_id,input\nx,y\n", encoding="utf-8")
    assert report_main(["show", str(table)]) == 2
    assert "reports read the JSONL records predict.py writes" in capsys.readouterr().err


@pytest.mark.parametrize(("field", "value", "says"), [
    ("summary.balance_index", "abc", "summary.balance_index: must be a number or null"),
    ("summary.sources", [{"source": "a"}], "summary.sources[0]: must be an object"),
    ("summary.sources", "Peskov", "summary.sources: must be a list"),
    ("summary.claims", "<script>alert(1)</script>", "summary.claims: must be a whole number"),
    ("summary.sentences", [1], "summary.sentences: must be a whole number"),
    ("sentences.0.index", {"a": 1}, "sentences[0].index: must be a whole number"),
    ("model.members", 3, "model.members: must be a list"),
])
def test_summary_fields_the_renderers_use_are_checked(records, tmp_path, capsys, field, value,
                                                      says):
    """A hand-edited or foreign record: an error naming file, line and field, exit 2, never
    a traceback (a string balance_index or a source without counts crashed both commands)
    and never unescaped markup in the page (summary counts were written as they came)."""
    rec = json.loads(json.dumps(records[0]))
    node = rec
    *parents, last = field.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(records[1]) + "\n" + json.dumps(rec) + "\n", encoding="utf-8")
    for cmd in (["show", str(path)], ["html", str(path), "--out", str(tmp_path / "r.html")]):
        assert report_main(cmd) == 2
        assert f"error: {path}:2: {says}" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_html_escapes_summary_counts(records):
    rec = {**records[0], "summary": {**records[0]["summary"], "claims": "<b>x</b>"}}
    assert "<b>x</b>" not in report_html.render_html([rec])


def test_a_null_sentence_index_still_renders(records):
    rec = json.loads(json.dumps(records[0]))
    rec["sentences"][0]["index"] = None
    assert "NATO ties deepen" in terminal.render_text([rec])


def test_cli_html_empty_out_and_a_failed_write(records, tmp_path, capsys, monkeypatch):
    """--out "" and a write that fails after the checks: one error line, exit 2, no
    traceback (both were tracebacks)."""
    import geostance.report.__main__ as report_cli

    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert report_main(["html", str(pred), "--out", ""]) == 2
    assert "error: --out: give a file name" in capsys.readouterr().err

    def full(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_cli, "write_text_atomic", full)
    out = tmp_path / "r.html"
    assert report_main(["html", str(pred), "--out", str(out)]) == 2
    assert f"error: cannot write {out} (No space left on device)" in capsys.readouterr().err


def test_a_broken_gzip_file_is_named(records, tmp_path, capsys):
    """A .jsonl.gz cut short was an EOFError traceback; one that is not gzip at all an
    error without the file's name."""
    import gzip

    data = gzip.compress("".join(json.dumps(r) + "\n" for r in records * 20).encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    for path in (cut, plain):
        assert report_main(["show", str(path)]) == 2
        assert f"error: {path}: not a complete gzip file" in capsys.readouterr().err


def test_a_folder_given_as_predictions_says_which_file_to_name(tmp_path, capsys):
    # It was "error: [Errno 21] Is a directory".
    folder = tmp_path / "preds"
    folder.mkdir()
    for cmd in (["show", str(folder)], ["html", str(folder), "--out", str(tmp_path / "r.html")]):
        assert report_main(cmd) == 2
        assert (f"error: {folder}: a folder; name the predictions file in it (predict.py "
                "--out DIR/ writes DIR/predictions.jsonl)") in capsys.readouterr().err


@pytest.mark.parametrize(("field", "says"), [
    ("sentences.1.text", "sentences[1].text"),
    ("title", "title"),
    ("summary.sources.0.source", "summary.sources[0].source"),
])
def test_a_lone_surrogate_is_named_not_a_traceback(records, tmp_path, capsys, field, says):
    """A "\\ud800" escape (valid JSON, not valid Unicode) reached the UTF-8 writers of
    show and html as a UnicodeEncodeError traceback, exit 1."""
    rec = json.loads(json.dumps(records[0]))
    node = rec
    *parents, last = field.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = "Peskov \ud800 said"
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(records[1]) + "\n" + json.dumps(rec) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    for cmd in (["show", str(path)], ["html", str(path), "--out", str(out)]):
        assert report_main(cmd) == 2
        assert (f"error: {path}:2: {says}: not valid Unicode text (lone surrogate U+D800 at "
                "character 8") in capsys.readouterr().err
    assert not out.exists()


def test_show_prints_control_characters_visibly_not_to_the_terminal(records, tmp_path,
                                                                    capsys):
    # Text scraped from the web may hold ESC and other control characters; show printed
    # them raw, so an article could recolour, retitle or blank the reader's terminal.
    rec = json.loads(json.dumps(records[0]))
    rec["sentences"][1]["text"] = "Peskov \x1b[8msaid\x1b]0;pwned\x07 it."
    rec["title"] = "NATO \x9b31m ties"
    rec["sentences"][1]["source"] = "Pes\x00kov"
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    assert report_main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b\x00")
    assert "Peskov \\x1b[8msaid\\x1b]0;pwned\\x07 it." in out
    assert "Pes\\x00kov" in out


def test_a_title_not_valid_utf8_is_one_error_line(records, tmp_path, capsys):
    # --title $'\xff' reaches Python as a lone surrogate: a UnicodeEncodeError traceback at
    # the write, exit 1.
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "r.html"
    assert report_main(["html", str(pred), "--out", str(out), "--title", "bad \udcff"]) == 2
    assert capsys.readouterr().err == ("error: --title: not valid UTF-8 text (byte 0xff at "
                                       "character 5)\n")
    assert not out.exists()
