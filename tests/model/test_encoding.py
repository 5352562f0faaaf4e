"""Model inputs: context segments, pool masks, long-sentence windows, padding, token budgets.

Uses the real e5 tokenizer of the tiny encoder (XLM-R layout: ``<s> A </s></s> B </s>``),
so the special-token arithmetic checked here is the one the shipped model sees.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geostance.model.batching import token_budget_batches
from geostance.model.encoding import (
    CONTEXT_CHARS,
    Collator,
    context_text,
    encode,
    encode_windows,
    pad_batch,
    predict_logits,
)

PREFIX = "passage: "
SHORT = "Moscow warns Baku of serious consequences."
LONG = " ".join(f"Minister{i} said NATO and Moscow disagree." for i in range(30))


@pytest.fixture(scope="module")
def tok(tiny_encoder):
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast.from_pretrained(tiny_encoder)


def cfg(context: str = "title_prev", max_seq_length: int = 64,
        speaker: bool = False) -> SimpleNamespace:
    """The config fields encoding reads (a GeoStanceConfig has them too)."""
    return SimpleNamespace(context=context, max_seq_length=max_seq_length, text_prefix=PREFIX,
                           speaker=speaker)


def own_ids(tok, text: str) -> list[int]:
    """The sentence's own tokens with ``<s>`` and ``</s>``: what the pool mask must cover."""
    return tok(PREFIX + text)["input_ids"]


# ------------------------------------------------------------------------- context


def test_context_text_modes():
    assert context_text("none", "T", "P") is None
    assert context_text("prev", "T", "P") == "P"
    assert context_text("title_prev", "T", "P") == "T | P"
    # The previous sentence of the first sentence is the title itself: said once.
    assert context_text("title_prev", "T", "T") == "T"
    assert context_text("title_prev", "", "P") == "P"
    assert context_text("title_prev", "T", "") == "T"
    assert context_text("prev", "T", "") == ""
    long_title, long_prev = "t" * 1000, "p" * 1000
    assert context_text("title_prev", long_title, long_prev) == \
        "t" * CONTEXT_CHARS["title"] + " | " + "p" * CONTEXT_CHARS["prev"]


def test_context_text_with_the_speaker():
    # None: the model was not trained with the speaker; "": no speaker found.
    assert context_text("none", "T", "P", None) is None
    assert context_text("none", "T", "P", "Sergej Lavrov") == "Sergej Lavrov"
    assert context_text("none", "T", "P", "") == "-"
    assert context_text("prev", "T", "P", "Kreml") == "Kreml | P"
    assert context_text("prev", "T", "", "Kreml") == "Kreml"
    assert context_text("title_prev", "T", "P", "") == "- | T | P"
    assert context_text("none", "", "", "x" * 500) == "x" * CONTEXT_CHARS["speaker"]


@pytest.mark.parametrize("mode, speakers, second", [
    ("none", ["Sergej Lavrov"], "Sergej Lavrov"),
    ("none", None, "-"),
    ("prev", [""], "- | The minister spoke."),
])
def test_encode_puts_the_speaker_in_the_second_segment(tok, mode, speakers, second):
    f = encode(tok, [SHORT], ["Title"], ["The minister spoke."], cfg(mode, 128, speaker=True),
               speakers)
    n = len(own_ids(tok, SHORT))
    assert f["input_ids"][0] == tok(PREFIX + SHORT, second)["input_ids"]
    assert sum(f["pool_mask"][0]) == n


def test_speakers_are_ignored_by_a_model_trained_without_them(tok):
    plain = encode(tok, [SHORT], ["T"], ["P"], cfg("prev", 128))
    assert encode(tok, [SHORT], ["T"], ["P"], cfg("prev", 128), ["Lavrov"]) == plain


def test_encode_without_context_pools_every_token(tok):
    f = encode(tok, [SHORT, "NATO."], ["Title", "T"], ["Prev", "P"], cfg("none"))
    assert f["input_ids"] == [own_ids(tok, SHORT), own_ids(tok, "NATO.")]
    assert f["pool_mask"] == f["attention_mask"]
    assert all(set(m) == {1} for m in f["attention_mask"])


@pytest.mark.parametrize("mode, title, prev, second", [
    ("prev", "Armenia and NATO", "The minister spoke.", "The minister spoke."),
    ("title_prev", "Armenia and NATO", "The minister spoke.",
     "Armenia and NATO | The minister spoke."),
    ("title_prev", "Armenia and NATO", "Armenia and NATO", "Armenia and NATO"),
])
def test_pool_mask_covers_the_sentence_up_to_its_first_eos(tok, mode, title, prev, second):
    f = encode(tok, [SHORT], [title], [prev], cfg(mode, 128))
    ids, pool, att = f["input_ids"][0], f["pool_mask"][0], f["attention_mask"][0]
    own = own_ids(tok, SHORT)
    n = len(own)
    assert pool == [1] * n + [0] * (len(ids) - n)
    assert ids[:n] == own  # <s> sentence </s>
    assert att == [1] * len(ids)  # attention still sees the context
    assert ids == tok(PREFIX + SHORT, second)["input_ids"]
    assert tok.decode(ids[n:], skip_special_tokens=True).strip() == second


def test_empty_context_still_gets_its_own_segment(tok):
    f = encode(tok, [SHORT], [""], [""], cfg("title_prev"))
    n = len(own_ids(tok, SHORT))
    assert f["input_ids"][0][n:] == [tok.eos_token_id, tok.eos_token_id]
    assert sum(f["pool_mask"][0]) == n


def test_encode_truncates_to_max_seq_length(tok):
    f = encode(tok, [LONG, SHORT], ["T", "T"], ["x " * 200, "P"], cfg("title_prev", 32))
    assert [len(x) for x in f["input_ids"]][0] == 32
    assert all(len(x) <= 32 for x in f["input_ids"])
    for ids, pool in zip(f["input_ids"], f["pool_mask"], strict=True):
        end = ids.index(tok.eos_token_id) + 1
        assert pool == [1] * end + [0] * (len(ids) - end)


def test_a_sentence_that_fits_is_never_cut_for_its_context(tok):
    sentence = "Moscow warns Baku of serious consequences if it joins the alliance. " * 2
    own = own_ids(tok, sentence)
    assert len(own) + 2 < 64  # fits beside a short context
    f = encode(tok, [sentence], ["A title"], ["word " * 300], cfg("title_prev", 64))
    assert sum(f["pool_mask"][0]) == len(own)


# ------------------------------------------------------------------------- windows


def test_short_sentences_are_encoded_as_by_encode(tok):
    texts, titles, prevs = [SHORT, "NATO expands."], ["T1", "T2"], ["P1", ""]
    for mode in ("none", "prev", "title_prev"):
        feats, owner = encode_windows(tok, texts, titles, prevs, cfg(mode))
        assert feats == encode(tok, texts, titles, prevs, cfg(mode))
        assert owner == [0, 1]


def _offset(own: list[int], inner: list[int]) -> int:
    """Where ``inner`` starts inside ``own`` (windows are contiguous slices)."""
    for s in range(len(own) - len(inner) + 1):
        if own[s:s + len(inner)] == inner:
            return s
    raise AssertionError("window is not a slice of the sentence")


def test_long_sentence_becomes_overlapping_windows_covering_every_token(tok):
    max_len = 32
    own = tok(PREFIX + LONG, add_special_tokens=False)["input_ids"]
    assert len(own) > 3 * max_len
    feats, owner = encode_windows(tok, [SHORT, LONG, "NATO."], ["T"] * 3, ["P"] * 3,
                                  cfg("title_prev", max_len))
    # Sentences that fit come first, in input order, then the long one's windows.
    assert owner[:2] == [0, 2] and set(owner[2:]) == {1} and len(owner) >= 4
    short = encode(tok, [SHORT, "NATO."], ["T"] * 2, ["P"] * 2, cfg("title_prev", max_len))
    assert {k: v[:2] for k, v in feats.items()} == short
    starts, covered = [], np.zeros(len(own), dtype=int)
    for row, att, pool in zip(feats["input_ids"][2:], feats["attention_mask"][2:],
                              feats["pool_mask"][2:], strict=True):
        assert len(row) == max_len  # full windows, no context segment
        assert row[0] == tok.cls_token_id and row[-1] == tok.eos_token_id
        assert att == pool == [1] * len(row)
        s = _offset(own, row[1:-1])
        starts.append(s)
        covered[s:s + len(row) - 2] += 1
    assert starts == sorted(starts) and starts[0] == 0
    assert starts[-1] + max_len - 2 == len(own)  # the last window ends with the sentence
    assert covered.min() >= 1, "a token of the long sentence is in no window"
    gaps = np.diff(starts)
    assert (gaps < max_len - 2).all(), "consecutive windows must overlap"


def test_a_sentence_exactly_at_the_limit_is_not_windowed(tok):
    own = tok(PREFIX + LONG, add_special_tokens=False)["input_ids"]
    limit = 40
    text = tok.decode(own[:limit])[len(PREFIX):]
    n = len(tok(PREFIX + text, add_special_tokens=False)["input_ids"])
    feats, owner = encode_windows(tok, [text], [""], [""], cfg("none", n + 2))
    assert owner == [0] and len(feats["input_ids"][0]) == n + 2
    feats, owner = encode_windows(tok, [text], [""], [""], cfg("none", n + 1))
    assert owner == [0, 0]


# ------------------------------------------------------------------------- padding


def test_pad_batch_pads_with_the_pad_id_and_zero_masks():
    feats = {"input_ids": [[0, 5, 2], [0, 5, 6, 7, 2], [0, 2]],
             "attention_mask": [[1, 1, 1], [1] * 5, [1, 1]],
             "pool_mask": [[1, 1, 0], [1, 1, 1, 0, 0], [1, 1]]}
    out = pad_batch(feats, [2, 0], pad_id=1)
    assert set(out) == {"input_ids", "attention_mask", "pool_mask"}
    assert all(a.dtype == np.int64 and a.shape == (2, 3) for a in out.values())
    assert out["input_ids"].tolist() == [[0, 2, 1], [0, 5, 2]]
    assert out["attention_mask"].tolist() == [[1, 1, 0], [1, 1, 1]]
    assert out["pool_mask"].tolist() == [[1, 1, 0], [1, 1, 0]]
    assert pad_batch(feats, [1, 2], pad_id=1)["input_ids"].shape == (2, 5)


def test_collator_shapes_and_dtypes():
    feats = [{"input_ids": [0, 5, 2], "attention_mask": [1, 1, 1], "pool_mask": [1, 1, 1],
              "kind_labels": 0, "stance_labels": -100, "sample_weight": 0.5},
             {"input_ids": [0, 5, 6, 7, 2], "attention_mask": [1] * 5, "pool_mask": [1] * 5,
              "kind_labels": 2, "stance_labels": 1, "sample_weight": 1.0}]
    b = Collator(pad_token_id=1)(feats)
    for k in ("input_ids", "attention_mask", "pool_mask"):
        assert b[k].shape == (2, 5) and b[k].dtype == torch.int64
    assert b["input_ids"][0].tolist() == [0, 5, 2, 1, 1]
    assert b["attention_mask"][0].tolist() == [1, 1, 1, 0, 0]
    assert b["kind_labels"].tolist() == [0, 2] and b["kind_labels"].dtype == torch.long
    assert b["stance_labels"].tolist() == [-100, 1]
    assert b["sample_weight"].dtype == torch.float32
    assert b["sample_weight"].tolist() == [0.5, 1.0]
    # Inference features carry no labels or weights.
    bare = Collator(1)([{k: f[k] for k in ("input_ids", "attention_mask", "pool_mask")}
                        for f in feats])
    assert set(bare) == {"input_ids", "attention_mask", "pool_mask"}


# ------------------------------------------------------------------------- batching


def _check_batches(lengths: list[int], max_tokens: int, max_batch: int) -> None:
    batches = token_budget_batches(lengths, max_tokens, max_batch)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths))), "every index exactly once"
    assert all(b for b in batches)
    for b in batches:
        assert len(b) <= max_batch
        width = max(lengths[i] for i in b)
        assert len(b) * width <= max_tokens or len(b) == 1, (b, width)
    # Longest first, stable: a plain stable sort by descending length.
    assert flat == sorted(range(len(lengths)), key=lambda i: -lengths[i])


def test_token_budget_batches_example():
    lengths = [5, 30, 10, 10, 100, 3]
    batches = token_budget_batches(lengths, max_tokens=40, max_batch=3)
    assert batches == [[4], [1], [2, 3, 0], [5]]
    _check_batches(lengths, 40, 3)
    assert token_budget_batches([], 10, 2) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 300), max_size=60), st.integers(1, 2000), st.integers(1, 20))
def test_token_budget_batches_properties(lengths, max_tokens, max_batch):
    _check_batches(lengths, max_tokens, max_batch)


# ------------------------------------------------------------------ concurrent batches


class _Recorder:
    """A backend whose logits are a function of each row alone; records the threads it
    ran on and the most batches that ran at once."""

    def __init__(self, fail_at: int | None = None):
        import threading

        self.lock, self.running, self.most, self.threads = threading.Lock(), 0, 0, set()
        self.calls, self.fail_at = 0, fail_at

    def __call__(self, batch):
        import threading
        import time

        with self.lock:
            self.calls += 1
            call = self.calls
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        time.sleep(0.002)  # long enough for the other worker to start its batch
        with self.lock:
            self.running -= 1
        if call == self.fail_at:
            raise RuntimeError("backend failed")
        ids = batch["input_ids"] * batch["attention_mask"]
        total = ids.sum(1, keepdims=True).astype(np.float32)
        return np.hstack([total, -total]), np.hstack([total, 2 * total, 3 * total])


def _features(n: int, seed: int = 0) -> dict[str, list[list[int]]]:
    rng = np.random.default_rng(seed)
    ids = [rng.integers(5, 100, rng.integers(1, 60)).tolist() for _ in range(n)]
    return {"input_ids": ids, "attention_mask": [[1] * len(x) for x in ids],
            "pool_mask": [[1] * len(x) for x in ids]}


@pytest.mark.parametrize("workers", [2, 3])
def test_concurrent_batches_give_the_same_logits_in_input_order(workers):
    feats = _features(200)
    expect = np.array([sum(x) for x in feats["input_ids"]], dtype=np.float32)
    one, many = _Recorder(), _Recorder()
    k1, s1 = predict_logits(one, feats, 2, 3, pad_id=0, max_tokens=256, max_batch=16)
    kw, sw = predict_logits(many, feats, 2, 3, pad_id=0, max_tokens=256, max_batch=16,
                            workers=workers)
    assert np.array_equal(k1[:, 0], expect) and np.array_equal(s1[:, 2], 3 * expect)
    assert np.array_equal(k1, kw) and np.array_equal(s1, sw)
    assert one.most == 1 and len(one.threads) == 1
    assert 1 < many.most <= workers and len(many.threads) > 1
    assert many.calls == one.calls


def test_a_small_input_is_cut_into_one_batch_per_worker():
    feats = _features(6)
    rec = _Recorder()
    predict_logits(rec, feats, 2, 3, pad_id=0, max_tokens=100_000, workers=2)
    assert rec.calls >= 2
    rec1 = _Recorder()
    predict_logits(rec1, feats, 2, 3, pad_id=0, max_tokens=100_000, workers=1)
    assert rec1.calls == 1


def test_an_error_in_a_worker_reaches_the_caller():
    rec = _Recorder(fail_at=3)
    with pytest.raises(RuntimeError, match="backend failed"):
        predict_logits(rec, _features(200), 2, 3, pad_id=0, max_tokens=256, max_batch=16,
                       workers=2)
    # Batches not started when the error surfaced are dropped, not run.
    assert rec.calls < len(token_budget_batches([len(x) for x in _features(200)["input_ids"]],
                                                256, 16))


def test_fast_tokenizer_tokenises_each_sentence_once_with_the_same_ids(tok, tiny_encoder):
    """encode_windows with the torch-free FastTokenizer pairs each sentence's own tokens
    with its context without tokenising the sentence again, and gets the ids (and masks)
    the transformers tokenizer gets: for context that is cut, sentences near the limit
    (cut longest-first) and sentences scored by windows."""
    from geostance.model.artifacts import load_tokenizer

    fast = load_tokenizer(tiny_encoder)
    seen: list[str] = []

    class Counting:
        def __init__(self, inner):
            self._inner = inner

        def encode_batch(self, batch, **kw):
            seen.extend(x if isinstance(x, str) else x[0] for x in batch)
            return self._inner.encode_batch(batch, **kw)

        def __getattr__(self, name):
            return getattr(self._inner, name)

    fast._tok = Counting(fast._tok)
    near = "NATO " * 57  # 57 of 62 own tokens with the prefix (checked below): cut longest-first
    texts = [SHORT, LONG, near, "NATO expands.", SHORT + " " + SHORT]
    titles = ["A title", "T", "Title " * 40, "", "T"]
    prevs = ["word " * 300, "P", "Prev " * 40, "", ""]
    assert 60 <= len(own_ids(tok, near)) <= 62
    for mode, speaker in (("title_prev", False), ("prev", True), ("none", True)):
        c = cfg(mode, 64, speaker)
        speakers = ["Peskov", "", "Stoltenberg " * 30, "", "the minister"]
        seen.clear()
        ours = encode_windows(fast, texts, titles, prevs, c, speakers)
        theirs = encode_windows(tok, texts, titles, prevs, c, speakers)
        assert ours == theirs, mode
        assert sorted(t for t in seen if t.startswith(PREFIX)) == sorted(PREFIX + t
                                                                         for t in texts), mode
