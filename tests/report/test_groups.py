"""Stance shares per group of articles (report groups): pooling, intervals over articles,
grouping keys, and the command's outputs."""

from __future__ import annotations

import csv
import json

import pytest

from geostance.report.__main__ import main as report_main
from geostance.report.groups import group_key, group_shares, groups_table

STANCES = ["pro_nato", "moscow_warning", "neutral_balancing"]
MODEL = {"name": "run-x", "weights_sha256": "ab" * 32, "geostance_version": "0.2.0"}


def _rec(outlet: str, counts: tuple[int, int, int], date: str = "2024-05-03",
         error: str | None = None) -> dict:
    return {"article_id": f"{outlet}-{date}-{counts}", "input": "x.jsonl", "lang": "en",
            "title": "", "outlet": outlet, "date": date, "model": MODEL,
            "summary": None if error else {
                "sentences": sum(counts) + 1, "claims": sum(counts),
                "stance_counts": dict(zip(STANCES, counts, strict=True))},
            "sentences": [], "error": error}


def test_shares_pool_the_claims_and_the_interval_resamples_articles():
    recs = [_rec("A", (3, 1, 0)), _rec("A", (1, 1, 2)), _rec("B", (0, 2, 0)),
            _rec("A", (2, 0, 0)), _rec("A", (0, 0, 4)), _rec("A", (4, 0, 0)),
            _rec("C", (0, 0, 0)), _rec("D", (1, 1, 1), error="binary file")]
    stances, groups, failed = group_shares(recs, "outlet", resamples=500, min_articles=5)
    assert stances == STANCES and failed == 1
    a, b, c = groups
    assert (a.key, a.articles, a.claims) == ("A", 5, 18)
    assert a.shares == pytest.approx({"pro_nato": 10 / 18, "moscow_warning": 2 / 18,
                                      "neutral_balancing": 6 / 18})
    for k in STANCES:  # an interval around the share, inside [0, 1]
        assert 0 <= a.low[k] <= a.shares[k] <= a.high[k] <= 1
    assert a.high["pro_nato"] - a.low["pro_nato"] > 0.1  # five articles: a wide interval
    # Too few articles for an interval; no claims, no shares.
    assert b.shares == {"pro_nato": 0, "moscow_warning": 1, "neutral_balancing": 0}
    assert b.low is None and c.shares is None and c.articles == 1
    head, rows = groups_table(stances, groups, "outlet")
    assert head == ["outlet", "articles", "claims", *STANCES]
    assert rows[1] == ["B", "1", "2", "0.00", "1.00", "0.00"] and rows[2][3:] == ["–"] * 3
    assert rows[0][3].startswith("0.56 [")
    # The same seed, the same interval.
    assert group_shares(recs, "outlet", resamples=500, min_articles=5)[1][0].low == a.low


@pytest.mark.parametrize("by, date, key", [
    ("year", "2024-05-03", "2024"), ("month", "2024-05-03T10:00:00Z", "2024-05"),
    ("date", "2024-05-03", "2024-05-03"), ("month", "2024", "(date not YYYY-MM-DD)"),
    ("month", "3 May 2024", "(date not YYYY-MM-DD)"), ("year", "", "(no date)"),
    ("outlet", "2024-05-03", "A"),
    # Not a real month or day: no group of its own ("2020-13" is no month).
    ("month", "2020-13-45", "(date not YYYY-MM-DD)"),
    ("date", "2024-02-30", "(date not YYYY-MM-DD)"),
    ("month", "2024-02-30", "(date not YYYY-MM-DD)"), ("date", "2024-02-29", "2024-02-29")])
def test_group_keys(by, date, key):
    assert group_key(_rec("A", (1, 0, 0), date=date), by) == key


def test_group_key_without_an_outlet_and_a_bad_choice():
    assert group_key({"outlet": None}, "outlet") == "(no outlet)"
    with pytest.raises(ValueError, match="by: 'genre' not in"):
        group_key({}, "genre")


def test_cli_prints_writes_csv_and_markdown_and_checks_its_output(tmp_path, capsys):
    preds = tmp_path / "p.jsonl"
    recs = [_rec("=Outlet", (2, 1, 0), date=f"2024-0{m}-01") for m in (1, 1, 2)]
    preds.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    assert report_main(["groups", str(preds), "--by", "month", "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "2024-01" in out and "2024-02" in out and "run-x, weights abababababab" in out
    table = tmp_path / "t.csv"
    assert report_main(["groups", str(preds), "--out", str(table), "--min-articles",
                        "2", "--resamples", "50"]) == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    # Formula-like text is made safe for spreadsheets, as in predict.py's CSV output.
    assert [(r["outlet"], r["articles"], r["pro_nato_claims"]) for r in rows] == [
        ("'=Outlet", "3", "6")]
    assert float(rows[0]["pro_nato_share"]) == pytest.approx(6 / 9, abs=1e-4)
    assert rows[0]["pro_nato_low"] != ""
    capsys.readouterr()
    # An existing output is kept without --overwrite; another suffix is refused.
    assert report_main(["groups", str(preds), "--out", str(table)]) == 2
    assert "exists" in capsys.readouterr().err
    assert report_main(["groups", str(preds), "--out", str(tmp_path / "t.txt")]) == 2
    assert "name a .md or .csv file" in capsys.readouterr().err
    md = tmp_path / "t.md"
    assert report_main(["groups", str(preds), "--out", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("| outlet | articles | claims |")


def test_cli_with_only_failed_records_says_so(tmp_path, capsys):
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps(_rec("A", (0, 0, 0), error="empty input")) + "\n",
                     encoding="utf-8")
    assert report_main(["groups", str(preds)]) == 1
    assert "no scored article" in capsys.readouterr().err


def test_draws_that_all_miss_the_claims_give_no_interval_not_a_traceback():
    # Six articles, one with claims: a single resample usually draws only the others; the
    # percentile of no draws was numpy's IndexError.
    recs = [_rec("A", (1, 0, 0))] + [_rec("A", (0, 0, 0)) for _ in range(5)]
    for seed in range(10):
        (a,) = group_shares(recs, "outlet", resamples=1, seed=seed)[1]
        assert a.shares == {"pro_nato": 1, "moscow_warning": 0, "neutral_balancing": 0}
        assert (a.low is None) == (a.high is None)


@pytest.mark.parametrize("counts", ["many", {"pro_nato": None}, {"pro_nato": 1.5}, [1, 2]])
def test_a_record_with_unusable_stance_counts_is_named(tmp_path, capsys, counts):
    # It was an AttributeError or TypeError traceback from the pooling.
    rec = _rec("A", (1, 0, 0))
    rec["summary"]["stance_counts"] = counts
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps(_rec("B", (1, 0, 0))) + "\n" + json.dumps(rec) + "\n",
                     encoding="utf-8")
    assert report_main(["groups", str(preds)]) == 2
    assert (f"error: {preds}:2: summary.stance_counts: must map stances to counts"
            in capsys.readouterr().err)


def test_groups_help_gives_each_default(capsys):
    # `report groups --help` named no default: a user could not tell that articles are
    # grouped by outlet unless --by says otherwise, nor how many resamples are drawn.
    with pytest.raises(SystemExit) as stop:
        report_main(["groups", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option, default in (("--by", "outlet"), ("--resamples RESAMPLES", "1000"),
                            ("--seed SEED", "13"), ("--min-articles MIN_ARTICLES", "5")):
        assert f"(default: {default})" in text.split(f" {option} ", 1)[1].split(" --", 1)[0]


def test_resamples_past_the_bound_are_refused_not_run_for_hours(tmp_path, capsys):
    # 10^11 resamples ran on, its draws piling up in memory, until killed.
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps(_rec("A", (1, 0, 0))) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        report_main(["groups", str(preds), "--resamples", "1000001"])
    assert e.value.code == 2
    assert "--resamples: must be at most 1000000, got 1000001" in capsys.readouterr().err


def test_the_same_file_twice_is_refused_and_repeated_articles_are_named(tmp_path, capsys):
    # "groups a.jsonl ./a.jsonl" counted every article twice without a word.
    preds = tmp_path / "p.jsonl"
    preds.write_text("".join(json.dumps(_rec("A", (i, 1, 0))) + "\n" for i in range(3)),
                     encoding="utf-8")
    same = tmp_path / "link.jsonl"
    same.symlink_to(preds)
    assert report_main(["groups", str(preds), str(same)]) == 2
    assert f"error: {same} is given twice (as {preds})" in capsys.readouterr().err
    # A copy (an earlier run and its rerun): counted, and said.
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(preds.read_bytes())
    assert report_main(["groups", str(preds), str(copy)]) == 0
    assert "warning: 3 records repeat an earlier one's article_id and input" in \
        capsys.readouterr().err


def test_the_same_file_check_looks_at_each_file_once(tmp_path, monkeypatch, capsys):
    # 72e3dd9 compared every file with every earlier one (two stat calls a pair): 400
    # files took 160,000 os.stat calls, 10,000 files 10^8, before any was read.
    import os

    paths = []
    for i in range(400):
        p = tmp_path / f"p{i}.jsonl"
        p.write_text(json.dumps({**_rec("A", (1, 0, 0)), "article_id": f"a{i}"}) + "\n",
                     encoding="utf-8")
        paths.append(str(p))
    calls = 0
    real_stat = os.stat

    def counting_stat(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real_stat(*args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    assert report_main(["groups", *paths, "--resamples", "1"]) == 0
    assert calls < 20 * len(paths)
