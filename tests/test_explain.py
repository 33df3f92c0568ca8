import json

from model.paths import MODEL_METRICS
from model.techniques import TECHNIQUES
from ui.explain import guideline_section, guideline_text, metrics_table, precisions

GUIDE = """# Guideline
## 3. Techniques
### 3.1 `loaded_language`
Charged words: "pogroms".
#### Hard case
Still inside.
### 3.2 `name_calling`
Labels: "puppet".
## 4. Voice
Not a technique.
"""


def test_a_technique_section_runs_to_the_next_heading_of_its_level():
    assert guideline_section(GUIDE, "loaded_language") == 'Charged words: "pogroms".\n#### Hard case\nStill inside.'
    assert guideline_section(GUIDE, "name_calling") == 'Labels: "puppet".'
    assert guideline_section(GUIDE, "foreign_hand") == ""


def test_the_real_guideline_has_a_section_with_examples_per_technique():
    guide = guideline_text()
    for technique in TECHNIQUES:
        section = guideline_section(guide, technique)
        assert "Definition" in section and section.count("\n- ") >= 3, technique  # a definition and examples


def test_metrics_table_reads_the_evaluate_output(tmp_path):
    path = tmp_path / "metrics.json"
    assert metrics_table(path) is None
    m = {"precision": 0.5, "recall": 0.25, "f1": 0.3333, "n_predicted": 8, "n_gold": 16, "data": "PTC test split"}
    path.write_text(json.dumps({"loaded_language": m, "name_calling": m | {"f1": 0.2},
                                "baseline": {"loaded_language": m | {"f1": 0.1}}, "thresholds": {}}))
    table = metrics_table(path)
    assert list(table["technique"]) == ["Loaded language", "Name calling"]
    assert list(table["F1"]) == [0.33, 0.2]  # two decimals: what the page shows
    assert table["baseline F1"].iloc[0] == 0.1
    assert table["measured on"].iloc[0] == "PTC test split"


def test_metrics_table_adds_foreign_hand_on_real_news(tmp_path):
    path = tmp_path / "metrics.json"
    fh = {"precision": 0.3, "recall": 0.4, "f1": 0.34, "n_predicted": 5, "n_gold": 4, "data": "seeds"}
    real = {"precision": 0.1, "recall": 0.2, "f1": 0.13, "n_predicted": 9, "n_gold": 7}
    path.write_text(json.dumps({"foreign_hand": fh, "foreign_hand_real_news": {
        "articles": 3, "model": real, "baseline": {"f1": 0.07}}}), encoding="utf-8")
    table = metrics_table(path)
    assert list(table["F1"]) == [0.34, 0.13]
    assert list(table["baseline F1"])[1] == 0.07
    assert "never trained on (3 articles)" in table["measured on"].iloc[1]


def test_metrics_table_shows_the_more_highlights_setting_too(tmp_path):
    path = tmp_path / "metrics.json"
    m = {"precision": 0.5, "recall": 0.25, "f1": 0.3333, "n_predicted": 8, "n_gold": 16, "data": "PTC test split"}
    more = m | {"precision": 0.4, "recall": 0.4, "f1": 0.4}
    path.write_text(json.dumps({"loaded_language": m, "ptc_test_balanced": {
        "articles": 75, "thresholds": {"loaded_language": 0.25, "foreign_hand": 0.6},
        "model": {"loaded_language": more}}}), encoding="utf-8")
    table = metrics_table(path)
    assert list(table["technique"]) == ["Loaded language", "Loaded language"]
    assert list(table["precision"]) == [0.5, 0.4]
    assert "More highlights, less sure" in table["measured on"].iloc[1] and "0.25" in table["measured on"].iloc[1]


def test_the_precision_of_each_technique_is_that_of_the_thresholds_in_use(tmp_path):
    path = tmp_path / "metrics.json"
    assert precisions(None, path) == {}
    m = {"precision": 0.5, "recall": 0.25, "f1": 0.3333, "n_predicted": 8, "n_gold": 16}
    path.write_text(json.dumps({
        "loaded_language": m, "name_calling": m | {"precision": 0.6}, "foreign_hand": m | {"precision": 0.1},
        "thresholds": {"loaded_language": 0.45, "name_calling": 0.4, "foreign_hand": 0.6},
        "ptc_test_balanced": {"thresholds": {"loaded_language": 0.25, "name_calling": 0.2, "foreign_hand": 0.6},
                              "model": {"loaded_language": m | {"precision": 0.4},
                                        "name_calling": m | {"precision": 0.35}}}}), encoding="utf-8")
    assert precisions(None, path) == {"loaded_language": 0.5, "name_calling": 0.6, "foreign_hand": 0.1}
    more = {"loaded_language": 0.25, "name_calling": 0.2, "foreign_hand": 0.6}  # "More highlights, less sure"
    assert precisions(more, path) == {"loaded_language": 0.4, "name_calling": 0.35, "foreign_hand": 0.1}
    by_hand = {"loaded_language": 0.3, "name_calling": 0.4000001}  # a slider moved; another at its default
    assert precisions(by_hand, path) == {"loaded_language": None, "name_calling": 0.6, "foreign_hand": 0.1}


def test_the_app_reads_the_committed_precisions():
    metrics = json.loads(MODEL_METRICS.read_text(encoding="utf-8"))
    assert precisions() == {t: metrics[t]["precision"] for t in TECHNIQUES}
