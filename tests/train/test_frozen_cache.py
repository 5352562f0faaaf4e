"""train.cache_frozen: the frozen layers computed once give the same logits and gradients
as running the whole encoder (dropout off), and train.py runs with it."""

from __future__ import annotations

import json

import pytest
import torch
from datasets import Dataset

from geostance.config import ConfigError, build_config
from geostance.model.encoding import Collator, encode
from geostance.model.modeling import GeoStanceModel
from geostance.train.frozen_cache import CACHE_INDEX, CachedCollator, build_frozen_cache

KINDS = ["claim", "heading", "boilerplate", "other"]
STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]
TEXTS = ["NATO.", "Moscow warned Baku that joining the alliance would have consequences "
         "for the whole region and its trade.", "Azerbaijan keeps talking to both sides.",
         "Ein Satz.", "Премьер-министр заявил, что страна не вступит в НАТО."]


@pytest.fixture()
def setup(tiny_encoder):
    from transformers import AutoTokenizer

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(tiny_encoder)
    model = GeoStanceModel.from_base(str(tiny_encoder), KINDS, STANCES, context="prev")
    model.freeze_layers(1)
    feats = encode(tok, TEXTS, [""] * len(TEXTS), ["Previous sentence here."] * len(TEXTS),
                   model.config)
    ds = Dataset.from_dict({**feats, "kind_labels": [0, 1, 2, 3, 0],
                            "stance_labels": [0, 1, 2, -100, 1],
                            "sample_weight": [1.0, 2.0, 1.0, 1.0, 2.0]})
    return tok, model, ds


def _batches(tok, model, ds):
    """The same five rows through the plain and the cached collator (one uneven batch)."""
    (cached_ds,), states = build_frozen_cache(model, [ds], 1, tok.pad_token_id)
    rows = [cached_ds[i] for i in range(len(cached_ds))]
    plain = Collator(tok.pad_token_id)([{k: v for k, v in r.items() if k != CACHE_INDEX}
                                        for r in rows])
    cached = CachedCollator(tok.pad_token_id, states)(rows)
    return plain, cached


def test_cached_states_give_the_encoders_logits_and_gradients(setup):
    tok, model, ds = setup
    model.eval()  # dropout off: the only difference the cache makes in training
    plain, cached = _batches(tok, model, ds)
    assert model.cached_layers == 1
    assert cached["frozen_states"].shape[:2] == plain["input_ids"].shape
    out_plain = model(**plain)
    out_plain.loss.backward()
    grads_plain = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    model.zero_grad()
    out_cached = model(**cached)
    out_cached.loss.backward()
    grads_cached = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    # float32 sums in another order (padded to another width): 1e-5 absolute.
    torch.testing.assert_close(out_cached.kind_logits, out_plain.kind_logits, atol=1e-5, rtol=0)
    torch.testing.assert_close(out_cached.stance_logits, out_plain.stance_logits, atol=1e-5,
                               rtol=0)
    torch.testing.assert_close(out_cached.loss, out_plain.loss, atol=1e-5, rtol=0)
    assert grads_plain.keys() == grads_cached.keys()
    assert any(n.startswith("encoder.encoder.layer.1.") for n in grads_cached)
    assert not any(n.startswith("encoder.encoder.layer.0.") for n in grads_cached)
    for name, g in grads_plain.items():
        torch.testing.assert_close(grads_cached[name], g, atol=1e-5, rtol=1e-4)


def test_cache_is_computed_without_dropout_and_keeps_train_mode(setup):
    tok, model, ds = setup
    model.train()
    (_,), first = build_frozen_cache(model, [ds], 1, tok.pad_token_id)
    (_,), again = build_frozen_cache(model, [ds], 1, tok.pad_token_id)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert model.training and model.encoder.encoder.layer[0].training
    assert [len(s) for s in first] == [len(x) for x in ds["input_ids"]]


def test_two_datasets_share_one_store(setup):
    tok, model, ds = setup
    (a, b), states = build_frozen_cache(model, [ds, ds.select([4, 0])], 1, tok.pad_token_id)
    assert a[CACHE_INDEX] == [0, 1, 2, 3, 4] and b[CACHE_INDEX] == [5, 6]
    assert torch.equal(states[5], states[4]) and torch.equal(states[6], states[0])


def test_frozen_states_without_cached_layers_is_refused(setup):
    tok, model, ds = setup
    batch = Collator(tok.pad_token_id)([ds[0]])
    with pytest.raises(ValueError, match="cached_layers"):
        model(**batch, frozen_states=torch.zeros(1, batch["input_ids"].shape[1], 32))


def test_cache_frozen_needs_frozen_layers_and_embeddings():
    with pytest.raises(ConfigError, match=r"train\.cache_frozen.*freeze_layers"):
        build_config({"train": {"cache_frozen": True}, "model": {"freeze_layers": 0}})
    with pytest.raises(ConfigError, match=r"train\.cache_frozen.*freeze_embeddings"):
        build_config({"train": {"cache_frozen": True},
                      "model": {"freeze_layers": 9, "freeze_embeddings": False}})
    build_config({"train": {"cache_frozen": False},
                  "model": {"freeze_layers": 9, "freeze_embeddings": False}})


def test_every_sweep_overlay_builds_over_the_default(repo_root):
    # The default caches its frozen layers: an overlay that unfreezes them must say so.
    from geostance.config import load_yaml
    from geostance.evaluation.sweep import merge

    base = load_yaml(repo_root / "configs" / "default.yaml")
    for overlay in sorted((repo_root / "configs" / "sweep").glob("*.yaml")):
        build_config(merge(base, load_yaml(overlay) or {}))


def test_train_py_with_the_cache(tmp_path, tiny_train_args, geostance_home):
    import train

    rc = train.main(tiny_train_args(tmp_path, "--train.cache_frozen", "true",
                                    "--train.baseline", "false"))
    assert rc == 0
    metrics = json.loads((tmp_path / "latest" / "metrics.json").read_text())
    assert metrics["cache_seconds"] > 0 and metrics["global_steps"] == 4
    assert "cache_frozen: true" in (tmp_path / "latest" / "config.yaml").read_text()
    # evaluation during training ran on the cached dev states
    log_text = (tmp_path / "latest" / "train_log.jsonl").read_text()
    log = [json.loads(x) for x in log_text.splitlines()]
    assert any("eval_stance_macro_f1" in e for e in log)
