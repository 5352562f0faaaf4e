"""Property: whatever the files hold, every input gets exactly one record or one named error.

Hypothesis writes random bytes, random Unicode text, JSONL rows whose ``text``/``id``/
``title`` have random types, and random CSVs, and runs them through the local engine
(:func:`geostance.predict.run.run`) in-process with one Predictor loaded for all
examples (loading per example would take most of the time budget). No exception may
escape, and the output must account for every file, every table row and nothing else.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from geostance.config import PredictConfig  # noqa: E402

MAX_CHARS = 3000  # small, so the too-large path is reached too

_json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                 | st.text(max_size=40))
_json_values = st.recursive(_json_scalars, lambda c: st.lists(c, max_size=3)
                            | st.dictionaries(st.text(max_size=5), c, max_size=3), max_leaves=5)
# Words and punctuation that the segmenter acts on, plus any character at all.
_prose = st.lists(st.sampled_from(["NATO", "Moscow", "warns", "grows", ".", "!", "?", "。", "\n",
                                   " ", "«", "»", "—", "(AP)", "Dr.", "1.", "\t", "\r\n"])
                  | st.text(min_size=1, max_size=8), max_size=40).map("".join)
_row = st.fixed_dictionaries({}, optional={"id": _json_values, "title": _json_values,
                                           "text": _json_values | _prose, "lang": _json_values,
                                           "date": _json_values})
_jsonl_line = (_row.map(lambda r: json.dumps(r, ensure_ascii=False))
               | _row.map(json.dumps)
               | st.text(max_size=30).map(lambda t: t.replace("\n", " "))  # not JSON
               | st.just(""))  # a blank line: not a row


@st.composite
def _csv_text(draw) -> str:
    columns = draw(st.lists(st.sampled_from(["id", "text", "title", "x", ""]), min_size=1,
                            max_size=4))
    rows = draw(st.lists(st.lists(_prose | st.text(max_size=10), min_size=len(columns),
                                  max_size=len(columns)), max_size=4))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue() + draw(st.sampled_from(["", '"', "a,b\n", "\x00"]))


_inputs = st.lists(st.one_of(
    st.tuples(st.just("txt"), st.binary(max_size=300)),
    st.tuples(st.sampled_from(["txt", "md", "html"]),
              (_prose | st.text(max_size=200)).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.tuples(st.just("jsonl"),
              st.lists(_jsonl_line, max_size=5).map(lambda ls: "\n".join(ls).encode("utf-8",
                                                                                     "surrogatepass"))),
    st.tuples(st.just("csv"), _csv_text().map(lambda t: t.encode("utf-8", "surrogatepass"))),
), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def loaded_once(tiny_run):
    """run() with the Predictor loaded once for every example."""
    from geostance import Predictor

    predictor = Predictor.load(tiny_run, max_chars=MAX_CHARS)
    # The module itself: the package's lazy ``run`` attribute is the function.
    run_module = importlib.import_module("geostance.predict.run")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(run_module, "load_predictor", lambda cfg: predictor)
        yield run_module.run


def _rows(data: bytes, kind: str) -> int | None:
    """Data rows of a table as the reader sees them; None when the file is not UTF-8 text
    (then only a file-level record is checked)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if kind == "jsonl":
        return sum(1 for line in text.encode().split(b"\n") if line.decode().strip())
    try:
        return sum(1 for _ in csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error:
        return None


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs=_inputs, unit=st.sampled_from(["article", "sentence"]))
def test_every_input_gets_one_record_or_one_error(loaded_once, tiny_run, inputs, unit):
    run = loaded_once
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        paths = []
        for i, (kind, data) in enumerate(inputs):
            p = d / f"in{i}.{kind}"
            p.write_bytes(data)
            paths.append(p)
        out = d / "out.jsonl"
        cfg = PredictConfig(inputs=[str(p) for p in paths], model=str(tiny_run),
                            out=str(out), unit=unit, chunk_size=3, max_chars=MAX_CHARS,
                            progress=False)
        result = run(cfg)  # no exception may escape
        # JSONL lines end at "\n" only (U+2028 or U+0085 may stand inside strings).
        text = out.read_bytes().decode("utf-8")
        recs = [json.loads(line) for line in text.split("\n") if line]
        assert result.articles == len(recs) == result.scored + result.failed
        for rec in recs:
            assert (rec["error"] is None) != (rec["summary"] is None)
            if rec["error"] is None:
                assert rec["sentences"], rec
            else:  # a named error: one of the documented kinds, no scoring failure
                assert rec["error"].startswith((
                    "empty input", "binary file", "undecodable", "too large", "unreadable",
                    "bad row", "bad table")), rec["error"]
                assert rec["sentences"] == []
        for p, (kind, data) in zip(paths, inputs, strict=True):
            mine = [r for r in recs if r["input"] == str(p) or r["input"].startswith(f"{p}:")]
            assert mine, f"no record for {p.name}"
            file_level = [r for r in mine if r["input"] == str(p)]
            if kind in ("jsonl", "csv"):
                if file_level:  # the whole table failed: exactly one error for it
                    assert len(mine) == 1 and mine[0]["error"], mine
                    continue
                assert [r["input"] for r in mine] == [f"{p}:row {n}"
                                                      for n in range(1, len(mine) + 1)]
                n = _rows(data, kind)
                if n is not None:  # a UTF-8 table: one record per data row, no more
                    assert len(mine) == n, (n, mine)
            elif unit == "article" or file_level:
                assert len(mine) == 1 and file_level, mine
            else:  # one record per non-empty line, in order
                lines = [int(r["input"].rsplit(":line ", 1)[1]) for r in mine]
                assert lines == sorted(set(lines))
