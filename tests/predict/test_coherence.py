"""Article mode's stance coherence: the sticky chain's posteriors, and how the Predictor and
predict.py apply it (article mode only, in the fingerprint)."""

from __future__ import annotations

import itertools
import json
import shutil

import numpy as np
import pytest

from geostance.config import FITTED_CHAIN_TEMPERATURE, STANCE_CHAIN_TEMPERATURE
from geostance.model.artifacts import ModelSpec, write_stance_transitions
from geostance.predict.coherence import smooth_stance
from geostance.predict.predictor import Predictor


def _brute_force(p: np.ndarray, stay: float, evidence: np.ndarray,
                 matrix: np.ndarray | None = None) -> np.ndarray:
    """Posterior marginals by summing over every stance path (K^n of them); one-step moves
    from ``matrix`` (row: from) or, without it, kept with ``stay`` and else alike."""
    n, k = p.shape
    move = (1 - stay) / (k - 1)
    post = np.zeros((n, k))
    for path in itertools.product(range(k), repeat=n):
        w = 1.0 / k
        for i, c in enumerate(path):
            if i and matrix is not None:
                w *= matrix[path[i - 1], c]
            elif i:
                w *= stay if c == path[i - 1] else move
            if evidence[i]:
                w *= p[i, c]
        for i, c in enumerate(path):
            post[i, c] += w
    return post / post.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("stay", [0.4, 0.6, 0.9])
def test_posteriors_match_enumerating_every_path(stay):
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(3), size=6)
    evidence = np.array([True, True, False, True, True, True])
    got = smooth_stance(p, stay, evidence)
    assert got.dtype == np.float32 and got.shape == p.shape
    np.testing.assert_allclose(got, _brute_force(p, stay, evidence), atol=1e-6)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-6)


# Rows: from; the two sides rarely follow each other directly (as in real documents).
MATRIX = np.array([[0.70, 0.03, 0.27], [0.03, 0.75, 0.22], [0.11, 0.10, 0.79]])


def test_a_fitted_matrix_matches_enumerating_every_path():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(3), size=6)
    evidence = np.array([True, False, True, True, True, True])
    got = smooth_stance(p, 0.8, evidence, transitions=MATRIX)
    np.testing.assert_allclose(got, _brute_force(p, 0.8, evidence, MATRIX), atol=1e-6)
    # The sticky matrix given explicitly is the chain that stay makes.
    sticky = np.full((3, 3), 0.1) + np.eye(3) * 0.7
    np.testing.assert_allclose(smooth_stance(p, 0.8, evidence, transitions=sticky),
                               smooth_stance(p, 0.8, evidence), atol=1e-6)
    # Over a gap, the matrix's power: the sample chained as the whole with the rest unseen.
    full = rng.dirichlet(np.ones(3), size=8)
    seen = [0, 3, 4, 7]
    want = smooth_stance(full, 0.8, np.isin(np.arange(8), seen), transitions=MATRIX)[seen]
    got = smooth_stance(full[seen], 0.8, gaps=np.diff(seen), transitions=MATRIX)
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_a_weak_warning_between_warnings_keeps_its_side_under_the_fitted_matrix():
    # The middle sentence leans pro_nato a little; its neighbours are clear warnings. A
    # direct move between the two sides is rare in the matrix, so the warning holds.
    p = np.array([[0.05, 0.9, 0.05], [0.5, 0.4, 0.1], [0.05, 0.9, 0.05]])
    assert smooth_stance(p, 0.8, transitions=MATRIX)[1].argmax() == 1


@pytest.mark.parametrize("bad", [np.eye(3), np.full((3, 3), 0.5), np.full((2, 2), 0.5)])
def test_a_matrix_must_be_positive_and_row_stochastic(bad):
    with pytest.raises(ValueError, match="transitions must be"):
        smooth_stance(np.full((3, 3), 1 / 3), 0.8, transitions=bad)


@pytest.mark.parametrize("stay", [0.5, 0.8])
def test_gaps_chain_a_sample_as_the_whole_article_with_the_rest_unseen(stay):
    # Sentences 0, 1, 4 and 9 of a 10-sentence article: the same posteriors as the chain
    # over all ten with the six unseen ones giving no evidence.
    rng = np.random.default_rng(1)
    full = rng.dirichlet(np.ones(3), size=10)
    seen = [0, 1, 4, 9]
    evidence = np.isin(np.arange(10), seen)
    want = smooth_stance(full, stay, evidence)[seen]
    got = smooth_stance(full[seen], stay, gaps=np.diff(seen))
    np.testing.assert_allclose(got, want, atol=1e-6)
    # Far apart, the sentences barely inform each other; adjacent gaps are the default.
    far = smooth_stance(full[seen], stay, gaps=np.array([1, 50, 50]))
    np.testing.assert_allclose(far[3], full[9], atol=1e-4)
    np.testing.assert_allclose(smooth_stance(full[seen], stay, gaps=np.ones(3)),
                               smooth_stance(full[seen], stay), atol=1e-7)


@pytest.mark.parametrize("bad", [[1, 0, 2], [1, 2]])
def test_gaps_must_be_one_per_neighbour_pair_and_positive(bad):
    with pytest.raises(ValueError, match="gaps"):
        smooth_stance(np.full((4, 3), 1 / 3), 0.8, gaps=np.array(bad))


def test_equal_moves_leave_the_probabilities_as_they_are():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])
    np.testing.assert_allclose(smooth_stance(p, 1 / 3), p, atol=1e-7)
    assert smooth_stance(np.zeros((0, 3)), 0.8).shape == (0, 3)


def test_a_weak_sentence_takes_the_side_of_its_neighbours():
    # A quoted warning over three sentences; the middle one alone leans neutral.
    p = np.array([[0.05, 0.9, 0.05], [0.2, 0.35, 0.45], [0.05, 0.9, 0.05]])
    assert smooth_stance(p, 1 / 3)[1].argmax() == 2
    assert smooth_stance(p, 0.7)[1].argmax() == 1
    # A confident sentence keeps its own stance between two of the other side.
    q = np.array([[0.05, 0.9, 0.05], [0.97, 0.02, 0.01], [0.05, 0.9, 0.05]])
    assert smooth_stance(q, 0.7)[1].argmax() == 0


def test_a_sentence_without_evidence_gets_its_neighbours_belief():
    p = np.array([[0.8, 0.1, 0.1], [0.0, 0.0, 1.0], [0.8, 0.1, 0.1]])
    out = smooth_stance(p, 0.8, np.array([True, False, True]))
    assert out[1].argmax() == 0
    # Long articles do not underflow: the passes are normalised at every step.
    long = np.tile([[0.01, 0.98, 0.01]], (5000, 1))
    assert np.isfinite(smooth_stance(long, 0.95)).all()


def test_tempering_keeps_the_labels_and_softens_the_posteriors():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(3) * 0.5, size=40)
    sharp, soft = smooth_stance(p, 0.8), smooth_stance(p, 0.8, temperature=2.0)
    assert (sharp.argmax(axis=1) == soft.argmax(axis=1)).all()
    assert (soft.max(axis=1) <= sharp.max(axis=1) + 1e-6).all()
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, atol=1e-6)
    # p^(1/2) renormalised, exactly.
    want = np.sqrt(sharp.astype(np.float64))
    np.testing.assert_allclose(soft, want / want.sum(axis=1, keepdims=True), atol=1e-6)
    with pytest.raises(ValueError, match="temperature"):
        smooth_stance(p, 0.8, temperature=0.0)


@pytest.mark.parametrize("bad", [0.2, 1.0, 1.5, -0.1])
def test_stay_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match="stay must be in"):
        smooth_stance(np.full((2, 3), 1 / 3), bad)
    with pytest.raises(ValueError, match="stance_p must be"):
        smooth_stance(np.ones(3), 0.5)


ARTICLE = ("Nato i Kaukasus\n\nAzerbajdzjan närmar sig Nato, säger ministern. Moskva varnar "
           "för en ny front. Hoten kommer att öka kraftigt. Baku vill ändå undvika en "
           "konfrontation. Landet är en viktig handelspartner för Ryssland.")


def test_the_predictor_applies_it_in_article_mode_only(tiny_run):
    off = Predictor.load(tiny_run, backend="torch", stance_stay=0.0)
    on = Predictor.load(tiny_run, backend="torch", stance_stay=0.8)
    a_off = off.predict_articles([ARTICLE])[0]["sentences"]
    a_on = on.predict_articles([ARTICLE])[0]["sentences"]
    stances = off.stances
    p_off = np.array([[s["stance_probs"][k] for k in stances] for s in a_off])
    p_on = np.array([[s["stance_probs"][k] for k in stances] for s in a_on])
    evidence = np.array([s["kind"] != "boilerplate" for s in a_off])
    np.testing.assert_allclose(
        p_on, smooth_stance(p_off, 0.8, evidence, STANCE_CHAIN_TEMPERATURE), atol=2e-5)
    for s, p in zip(a_on, p_on, strict=True):
        assert s["stance_confidence"] == pytest.approx(p.max(), abs=1e-6)
        assert s["stance"] in ("", stances[int(p.argmax())])
    # Sentence mode is never changed.
    rows = [{"text": s["text"]} for s in a_off]
    assert [r["stance_probs"] for r in off.predict_sentences(rows)] == \
        [r["stance_probs"] for r in on.predict_sentences(rows)]
    # Outputs differ, so the fingerprint (what --resume compares) does too.
    assert on.cache_key() != off.cache_key()
    with pytest.raises(ValueError, match="stance_stay"):
        Predictor.load(tiny_run, backend="torch", stance_stay=0.2)
    # A matrix of moves instead of the sticky chain: applied the same way, fingerprinted.
    fitted = Predictor.load(tiny_run, backend="torch", stance_stay=0.8,
                            stance_transitions=MATRIX)
    p_fit = np.array([[s["stance_probs"][k] for k in stances]
                      for s in fitted.predict_articles([ARTICLE])[0]["sentences"]])
    np.testing.assert_allclose(
        p_fit, smooth_stance(p_off, 0.8, evidence, FITTED_CHAIN_TEMPERATURE,
                             transitions=MATRIX), atol=2e-5)
    assert fitted.cache_key() not in (on.cache_key(), off.cache_key())
    with pytest.raises(ValueError, match="transitions must be"):
        Predictor.load(tiny_run, backend="torch", stance_transitions=np.eye(3))


def test_predict_py_takes_the_setting(tiny_run, tmp_path):
    import predict

    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    # A model folder with fitted moves: the default chain reads them, uniform does not.
    fitted = tmp_path / "model"
    shutil.copytree(tiny_run / "model", fitted, ignore=shutil.ignore_patterns("onnx"))
    write_stance_transitions(fitted, MATRIX, ModelSpec.from_dir(fitted).stance_labels, 100,
                             "test")
    settings = {"off": (tiny_run, "--stance-stay", "0"), "on": (tiny_run, "--stance-stay", "0.9"),
                "fitted": (fitted, "--stance-chain", "fitted"),
                "uniform": (fitted, "--stance-chain", "uniform")}
    outs = {}
    for name, (model, option, value) in settings.items():
        out = tmp_path / f"{name}.jsonl"
        assert predict.main([str(src), "--model", str(model), "--out", str(out),
                             "--backend", "torch", option, value]) == 0
        outs[name] = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    for a, b in (("off", "on"), ("fitted", "uniform")):
        assert outs[a]["model"]["fingerprint"] != outs[b]["model"]["fingerprint"]
        assert [s["stance_probs"] for s in outs[a]["sentences"]] != \
            [s["stance_probs"] for s in outs[b]["sentences"]]
    assert predict.main([str(src), "--model", str(tiny_run), "--out",
                         str(tmp_path / "bad.jsonl"), "--stance-stay", "1.5"]) != 0
    assert not (tmp_path / "bad.jsonl").exists()


def test_a_stance_stay_below_one_in_three_names_the_setting_not_the_model(tiny_run, tmp_path,
                                                                         capsys):
    import predict

    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    # 0.2 passes the configuration's check; only the model says it has three stances.
    assert predict.main([str(src), "--model", str(tiny_run), "--out",
                         str(tmp_path / "bad.jsonl"), "--stance-stay", "0.2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: stance_stay must be 0 (off) or in [1/3, 1) for 3 stances")
    assert "model:" not in err and not (tmp_path / "bad.jsonl").exists()
