"""The partial-overlap scorer against cases worked out by hand (the arithmetic is in each test)."""
import random

import pytest

from model.spans import Span
from model.techniques import TECHNIQUES
from model.training.scoring import Metrics, merge_overlapping, overall, score

LL, NC, FH = "loaded_language", "name_calling", "foreign_hand"


def ll(start, end):
    return Span(start, end, LL)


def test_a_perfect_prediction_scores_one():
    result = score([([ll(0, 10)], [ll(0, 10)])])
    assert result[LL] == Metrics(1.0, 1.0, 1.0, 1, 1)


def test_half_overlap_earns_credit_by_length():
    # predicted 0-10 (10 chars), gold 5-25 (20 chars), overlap 5-10 = 5 chars
    # P = (5/10) / 1 = 0.5 ; R = (5/20) / 1 = 0.25 ; F1 = 2*0.5*0.25/0.75 = 1/3
    m = score([([ll(0, 10)], [ll(5, 25)])])[LL]
    assert m.precision == pytest.approx(0.5)
    assert m.recall == pytest.approx(0.25)
    assert m.f1 == pytest.approx(1 / 3)


def test_one_prediction_across_two_gold_spans():
    # predicted 0-20 ; gold 0-5 and 15-20 ; overlaps 5 and 5
    # P = (5/20 + 5/20) / 1 = 0.5 ; R = (5/5 + 5/5) / 2 = 1.0 ; F1 = 2*0.5*1/1.5 = 2/3
    m = score([([ll(0, 20)], [ll(0, 5), ll(15, 20)])])[LL]
    assert (m.precision, m.recall, m.n_predicted, m.n_gold) == (pytest.approx(0.5), pytest.approx(1.0), 1, 2)
    assert m.f1 == pytest.approx(2 / 3)


def test_a_miss_and_a_false_alarm():
    # predicted 0-4 (hits gold 0-4 fully) and 50-60 (hits nothing); gold 0-4 and 30-40 (missed)
    # P = (4/4 + 0) / 2 = 0.5 ; R = (4/4 + 0) / 2 = 0.5 ; F1 = 0.5
    m = score([([ll(0, 4), ll(50, 60)], [ll(0, 4), ll(30, 40)])])[LL]
    assert m == Metrics(0.5, 0.5, 0.5, 2, 2)


def test_overlapping_spans_of_one_technique_are_merged_first():
    # predicted 0-6 and 4-10 merge into 0-10 (one span) ; gold 0-10
    # P = (10/10) / 1 = 1 ; R = 1 ; counts: 1 predicted, not 2
    m = score([([ll(0, 6), ll(4, 10)], [ll(0, 10)])])[LL]
    assert m == Metrics(1.0, 1.0, 1.0, 1, 1)


def test_touching_spans_are_not_merged():
    assert merge_overlapping([ll(0, 5), ll(5, 9), ll(20, 30), ll(22, 25)]) == [(0, 5), (5, 9), (20, 30)]


def test_techniques_are_scored_separately():
    # a name_calling prediction on a loaded_language gold span earns nothing for either technique
    result = score([([Span(0, 10, NC)], [ll(0, 10)])])
    assert result[NC] == Metrics(0.0, 0.0, 0.0, 1, 0)
    assert result[LL] == Metrics(0.0, 0.0, 0.0, 0, 1)
    assert result[FH] == Metrics(0.0, 0.0, 0.0, 0, 0)


def test_sums_run_over_all_documents_before_dividing():
    # doc 1: predicted 0-10, gold 0-10 -> P-sum 1, R-sum 1
    # doc 2: predicted 0-10 and 20-30, gold 5-10 -> P-sum 5/10 = 0.5, R-sum 5/5 = 1
    # P = (1 + 0.5) / 3 = 0.5 ; R = (1 + 1) / 2 = 1.0 ; F1 = 2*0.5*1/1.5 = 2/3
    m = score([([ll(0, 10)], [ll(0, 10)]), ([ll(0, 10), ll(20, 30)], [ll(5, 10)])])[LL]
    assert (m.precision, m.recall) == (pytest.approx(0.5), pytest.approx(1.0))
    assert m.f1 == pytest.approx(2 / 3)
    assert (m.n_predicted, m.n_gold) == (3, 2)


def test_no_prediction_means_zero_precision_and_no_gold_means_zero_recall():
    assert score([([], [ll(0, 5)])])[LL] == Metrics(0.0, 0.0, 0.0, 0, 1)
    assert score([([ll(0, 5)], [])])[LL] == Metrics(0.0, 0.0, 0.0, 1, 0)
    assert score([])[LL] == Metrics(0.0, 0.0, 0.0, 0, 0)


def test_every_technique_gets_an_entry():
    assert set(score([([], [])])) == set(TECHNIQUES)


def test_swapping_prediction_and_gold_swaps_precision_and_recall():
    pairs = [([ll(0, 10), Span(3, 30, FH)], [ll(5, 25), Span(0, 12, FH), Span(40, 50, FH)])]
    forward, backward = score(pairs), score((gold, pred) for pred, gold in pairs)
    for technique in TECHNIQUES:
        assert forward[technique].precision == pytest.approx(backward[technique].recall)
        assert forward[technique].recall == pytest.approx(backward[technique].precision)


def test_overall_is_the_micro_average():
    # LL: P-sum 0.5 over 1 predicted, R-sum 0.25 over 1 gold (half overlap case above)
    # NC: P-sum 1 over 1, R-sum 1 over 1 ; FH: 1 predicted, 0 gold
    # overall P = (0.5 + 1 + 0) / 3 = 0.5 ; R = (0.25 + 1) / 2 = 0.625 ; F1 = 2*0.5*0.625/1.125 = 5/9
    per = score([([ll(0, 10), Span(0, 3, NC), Span(40, 50, FH)], [ll(5, 25), Span(0, 3, NC)])])
    m = overall(per)
    assert (m.precision, m.recall, m.n_predicted, m.n_gold) == (pytest.approx(0.5), pytest.approx(0.625), 3, 2)
    assert m.f1 == pytest.approx(5 / 9)


def brute_force(predicted, gold):
    """The definition written out literally, for comparison with the linear sweep."""
    p = [(s.start, s.end) for s in predicted]
    g = [(t.start, t.end) for t in gold]
    p_sum = sum(max(0, min(a[1], b[1]) - max(a[0], b[0])) / (a[1] - a[0]) for a in p for b in g)
    r_sum = sum(max(0, min(a[1], b[1]) - max(a[0], b[0])) / (b[1] - b[0]) for a in p for b in g)
    return p_sum / len(p) if p else 0.0, r_sum / len(g) if g else 0.0


def random_disjoint(rng, n):
    cuts = sorted(rng.sample(range(1, 400), 2 * n))
    return [ll(cuts[2 * i], cuts[2 * i + 1]) for i in range(n)]


def test_the_sweep_agrees_with_the_literal_definition():
    rng = random.Random(7)
    for _ in range(300):
        predicted, gold = random_disjoint(rng, rng.randint(0, 8)), random_disjoint(rng, rng.randint(0, 8))
        m = score([(predicted, gold)])[LL]
        expected_p, expected_r = brute_force(predicted, gold)
        assert (m.precision, m.recall) == (pytest.approx(expected_p), pytest.approx(expected_r))


def test_bootstrap_interval_holds_the_point_figure_and_narrows_with_more_documents():
    from model.training.scoring import bootstrap

    def doc(hit: bool):
        gold = [Span(0, 10, "foreign_hand")]
        return ([Span(0, 10, "foreign_hand")] if hit else [Span(20, 30, "foreign_hand")], gold)

    few = [doc(i % 2 == 0) for i in range(10)]
    many = few * 10
    point = score(few)["foreign_hand"].f1
    low, high = bootstrap(few, "foreign_hand")["f1"]
    assert low <= point <= high
    many_low, many_high = bootstrap(many, "foreign_hand")["f1"]
    assert many_high - many_low < high - low
    assert bootstrap([doc(True)] * 5, "foreign_hand")["f1"] == (1.0, 1.0)
    assert bootstrap([], "foreign_hand")["f1"] == (0.0, 0.0)
