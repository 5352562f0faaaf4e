"""Language-balance weights: what they do to each language's stance mix."""

from __future__ import annotations

import collections

import pytest

from geostance.config import ConfigError, DataConfig
from geostance.data import Labels, Sentence, to_datasets
from geostance.data.weighting import language_balance_factors


def _corpus() -> list[Sentence]:
    # Swedish mostly pro_nato, Russian mostly neutral: stance tied to language.
    spec = {("sv", "pro_nato"): 8, ("sv", "moscow_warning"): 2,
            ("ru", "neutral_balancing"): 6, ("ru", "moscow_warning"): 4}
    out = [Sentence(text=f"{lang} {st} {i}", kind="claim", stance=st, lang=lang)
           for (lang, st), n in spec.items() for i in range(n)]
    out.append(Sentence(text="Boilerplate.", kind="boilerplate", stance="", lang="sv"))
    return out


def _mix(sents, weights, lang):
    c = collections.Counter()
    for s, w in zip(sents, weights, strict=True):
        if s.lang == lang and s.stance:
            c[s.stance] += w
    total = sum(c.values())
    return {k: v / total for k, v in c.items()}


def test_off_is_all_ones():
    sents = _corpus()
    assert language_balance_factors(sents, [1.0] * len(sents), 0.0) == [1.0] * len(sents)


def test_full_balance_gives_every_language_the_overall_mix_and_keeps_its_total():
    sents = _corpus()
    base = [1.0] * len(sents)
    f = language_balance_factors(sents, base, 1.0, clip=100.0)
    overall = collections.Counter(s.stance for s in sents if s.stance)
    n = sum(overall.values())
    for lang in ("sv", "ru"):
        mix = _mix(sents, f, lang)
        # Stances the language has keep the overall proportions among themselves.
        have = {c: overall[c] / n for c in mix}
        z = sum(have.values())
        for c, p in mix.items():
            assert p == pytest.approx(have[c] / z)
        # The language's summed weight over stance-bearing sentences is unchanged.
        assert sum(w for s, w in zip(sents, f, strict=True) if s.lang == lang and s.stance) \
            == pytest.approx(sum(1 for s in sents if s.lang == lang and s.stance))
    assert f[-1] == 1.0  # no stance: untouched


def test_half_balance_moves_part_way_and_rare_stances_are_clipped():
    sents = _corpus()
    base = [1.0] * len(sents)
    before = _mix(sents, base, "sv")["moscow_warning"]
    half = _mix(sents, language_balance_factors(sents, base, 0.5, clip=100.0), "sv")
    full = _mix(sents, language_balance_factors(sents, base, 1.0, clip=100.0), "sv")
    assert before < half["moscow_warning"] < full["moscow_warning"]
    clipped = language_balance_factors(sents, base, 1.0, clip=1.1)
    raw = [w for s, w in zip(sents, clipped, strict=True) if s.lang == "sv" and s.stance]
    # Before renormalisation each factor is within [1/1.1, 1.1], so their ratio is too.
    assert max(raw) / min(raw) <= 1.1 ** 2 + 1e-9


def test_counts_use_the_given_weights():
    sents = _corpus()
    # Swedish weighted x2 (like real_weight): the overall mix moves toward Swedish's
    # (fewer moscow_warning), so Swedish moscow_warning needs less of a lift.
    i = next(k for k, s in enumerate(sents) if (s.lang, s.stance) == ("sv", "moscow_warning"))
    w1 = language_balance_factors(sents, [1.0] * len(sents), 1.0, clip=100.0)
    w2 = language_balance_factors(sents, [2.0 if s.lang == "sv" else 1.0 for s in sents], 1.0,
                                  clip=100.0)
    assert w2[i] < w1[i]


def test_to_datasets_applies_it_to_train_only():
    sents = _corpus()
    labels = Labels.from_config(DataConfig())
    dsd = to_datasets({"train": sents, "dev": sents}, labels, language_balance=1.0)
    assert dsd["dev"]["weight"] == [1.0] * len(sents)
    assert dsd["train"]["weight"] != dsd["dev"]["weight"]


def test_config_bounds():
    with pytest.raises(ConfigError, match="data.language_balance"):
        DataConfig(language_balance=1.5)
