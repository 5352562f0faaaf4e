"""Evaluation numbers on synthetic data with known answers: temperature, ECE, macro-F1,
bootstrap intervals."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from geostance.evaluation.bootstrap import bootstrap_ci, macro_f1, paired_difference_ci
from geostance.evaluation.calibration import (
    calibration,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
)
from geostance.evaluation.metrics import head_report, per_group_macro_f1
from geostance.model.artifacts import softmax


def sample_labels(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One label per row drawn from that row's distribution."""
    u = rng.random(len(probs))[:, None]
    return (probs.cumsum(1) < u).sum(1).clip(max=probs.shape[1] - 1)


@pytest.mark.parametrize("true_t", [0.5, 1.0, 2.5])
def test_fit_temperature_recovers_a_known_temperature(true_t):
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(20_000, 4))
    gold = sample_labels(softmax(logits, true_t), rng)
    t = fit_temperature(logits, gold)
    assert t == pytest.approx(true_t, rel=0.05)


def test_fit_temperature_of_nothing_is_one():
    assert fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int)) == 1.0


def test_ece_calibrated_vs_overconfident():
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 2, size=(20_000, 3))
    probs = softmax(logits)
    gold = sample_labels(probs, rng)  # the labels really follow these probabilities
    calibrated = expected_calibration_error(probs, gold)
    overconfident = expected_calibration_error(softmax(logits, 0.3), gold)
    assert calibrated < 0.02
    assert overconfident > 0.1
    # Temperature scaling fitted on the overconfident logits repairs them.
    sharp = logits / 0.3
    report = calibration(sharp, gold, fit_temperature(sharp, gold))
    assert report["ece_before"] == pytest.approx(overconfident)
    assert report["ece_after"] < 0.02
    assert report["temperature"] == pytest.approx(1 / 0.3, rel=0.05)


def test_ece_hand_example_and_reliability_bins():
    # Two confident right answers (0.9) and two half-sure wrong ones (0.6).
    probs = np.array([[0.9, 0.1], [0.1, 0.9], [0.6, 0.4], [0.4, 0.6]])
    gold = np.array([0, 1, 1, 0])
    # Bins: {0.9, 0.9} accuracy 1 -> gap 0.1; {0.6, 0.6} accuracy 0 -> gap 0.6.
    assert expected_calibration_error(probs, gold, bins=10) == pytest.approx(0.5 * 0.1 + 0.5 * 0.6)
    bins = reliability_bins(probs, gold, bins=10)
    assert sum(b["count"] for b in bins) == 4
    full = [b for b in bins if b["count"]]
    assert [(b["count"], b["accuracy"]) for b in full] == [(2, 0.0), (2, 1.0)]
    assert np.isnan(expected_calibration_error(probs[:0], gold[:0]))


def test_macro_f1_averages_over_present_classes_only():
    labels = ["a", "b", "c", "d"]
    gold = [0, 0, 1, 1, 1]
    pred = [0, 1, 1, 1, 0]
    r = head_report(gold, pred, labels)
    # Classes c and d occur nowhere: macro-F1 is the mean over a and b.
    f_a, f_b = 2 * 1 / (2 + 2), 2 * 2 / (3 + 3)
    assert r["macro_f1"] == pytest.approx((f_a + f_b) / 2)
    assert r["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert r["accuracy"] == pytest.approx(3 / 5) and r["n"] == 5
    assert r["confusion"]["matrix"][:2] == [[1, 1, 0, 0], [1, 2, 0, 0]]
    # A class only predicted (never gold) counts, with F1 0.
    r2 = head_report([0, 0, 1], [0, 2, 1], labels)
    assert r2["macro_f1"] == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert head_report([], [], labels) == {"n": 0}


def test_bootstrap_macro_f1_matches_head_report():
    rng = np.random.default_rng(2)
    for _ in range(20):
        n_classes = 3
        gold = rng.integers(0, n_classes, 40)
        pred = np.where(rng.random(40) < 0.6, gold, rng.integers(0, n_classes, 40))
        present = sorted(set(gold) | set(pred))
        want = f1_score(gold, pred, labels=present, average="macro", zero_division=0)
        assert macro_f1(gold, pred, n_classes) == pytest.approx(want)
        assert head_report(gold, pred, ["x", "y", "z"])["macro_f1"] == pytest.approx(want)


def test_per_group_macro_f1():
    out = per_group_macro_f1(["sv", "sv", "en", "en"], [0, 1, 0, 0], [0, 1, 1, 0])
    assert out["sv"] == {"n": 2, "macro_f1": 1.0, "accuracy": 1.0}
    assert out["en"]["n"] == 2 and out["en"]["accuracy"] == 0.5


def _noisy(n: int, seed: int, acc: float = 0.7, n_classes: int = 3):
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, n_classes, n)
    pred = np.where(rng.random(n) < acc, gold, rng.integers(0, n_classes, n))
    return gold, pred


def test_bootstrap_interval_contains_the_estimate_and_narrows_with_n():
    widths = []
    for n in (100, 400, 1600):
        gold, pred = _noisy(n, seed=n)
        point, lo, hi = bootstrap_ci(gold, [pred], 3, resamples=500, seed=0)
        assert point == pytest.approx(macro_f1(gold, pred, 3))
        assert lo <= point <= hi
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2]
    # About 1/sqrt(n): four times the sentences, about half the width.
    assert widths[2] < 0.7 * widths[1] < 0.7 * 0.7 * widths[0]


def test_bootstrap_of_several_seeds_and_paired_difference():
    gold, pred_a = _noisy(300, seed=5, acc=0.8)
    _, pred_b = _noisy(300, seed=6, acc=0.4)
    pred_b = np.where(np.random.default_rng(7).random(300) < 0.4, gold, pred_b)
    point, lo, hi = bootstrap_ci(gold, [pred_a, pred_b], 3, resamples=300)
    assert point == pytest.approx((macro_f1(gold, pred_a, 3) + macro_f1(gold, pred_b, 3)) / 2)
    assert lo <= point <= hi
    d, dlo, dhi = paired_difference_ci(gold, [pred_a], [pred_b], 3, resamples=300)
    assert d == pytest.approx(macro_f1(gold, pred_a, 3) - macro_f1(gold, pred_b, 3))
    assert 0 < dlo <= d <= dhi  # A is clearly better: the interval excludes 0
    same = paired_difference_ci(gold, [pred_a], [pred_a], 3, resamples=100)
    assert same == (0.0, 0.0, 0.0)
    # Deterministic for a seed.
    assert bootstrap_ci(gold, [pred_a], 3, resamples=200, seed=1) == \
        bootstrap_ci(gold, [pred_a], 3, resamples=200, seed=1)
