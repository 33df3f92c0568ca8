"""What the "How it works" page shows, as plain data: guideline sections per technique and held-out metrics; and the
model's features behind a span in words (Analyse's "Details for the curious")."""
import json
import re
from pathlib import Path

import pandas as pd

from model.foreign_hand import ACTOR, STEER
from model.paths import ANNOTATION_GUIDELINE, MODEL_CARD, MODEL_METRICS
from model.techniques import TECHNIQUES, TITLES

METRICS_NOTE = ("Precision: of the spans the model marks, the share a person also marked. Recall: of the spans a "
                "person marked, the share the model finds. F1 combines the two (1 is perfect). Measured on articles "
                "the model never saw in training, partial overlaps counted in proportion (the SemEval-2020 task 11 "
                "scoring). The baseline only finds again phrases that were marked in its training articles (— where "
                "it was not measured). A technique measured on two sets of news has two rows: how far they differ "
                "says how much its figures depend on the news.")

HOW_IT_WORKS = """
- **Loaded language and name calling**: a statistical model (a conditional random field) reads each sentence word
  by word. For every word it weighs clues learned from examples: the word itself, its beginning and ending, its
  meaning (groups of words of like meaning, from a language model's word vectors, for about 109,000 English words,
  so that a charged word it never saw marked, or never saw at all, can still look like ones that were), the words
  around it, whether it sits inside quotation marks.
  It learned those weights from news articles in which people had marked the techniques (the Propaganda
  Techniques Corpus, SemEval-2020) and from the seed articles. A small language model (MiniLM) also reads each
  sentence as a whole and says, for every word, how likely it is to be part of a marked phrase there: it learned
  that from the same news, and the two opinions are averaged. Reading the whole sentence helps it tell where a phrase
  stops, and (with sentences we wrote for it) that naming a group of people is not calling them names.
  It is not a list of bad words: the same word can be marked in one sentence and not in another.
- **Foreign hand**: a second model first judges how likely each sentence is to claim that events are steered from
  abroad. It reads the sentence's meaning as a whole (a small language model, MiniLM, turns each sentence into
  numbers), the sentences around it and a few clue words, and it learned from news about the war in Ukraine and
  climate change, news articles and the seed articles in which people marked such claims. Then it picks the words of
  that sentence that carry the claim; the tooltip lists the words it found most claim-like.
- **The score** of a span is the model's confidence, from 0 to 1. Each technique has its own threshold in the
  sidebar: a span shows when its score is at least that high (the scores of the three techniques are not on one
  scale, so one number for all would hide most of one and flood another). The defaults were chosen so that, on news
  the model had not seen, about half of the loaded language and name calling highlights or more were right; that
  misses most of what people marked. "More highlights, less sure" moves to the thresholds that balance the two:
  about twice as many highlights, and more of them wrong (the figures are in the table below and the model card).
  The page says how many weaker guesses are hidden.
- **Voice**: a span inside quotation marks or reported speech counts as *quoted* (someone else's words, which the
  article reports); otherwise it is in the *author's own voice*.
- **Why this span?** The tooltip gives evidence you can check: how charged its words are (in the VADER sentiment
  lexicon), which of them annotators often marked with that technique in the news the model learned from, words
  close in meaning that they marked, and for a foreign hand claim the outside actor and the word of steering. These
  are clues, not the model's whole computation; *Analyse your text* shows that too, under "Details for the curious".
- Everything runs on this computer. Nothing you paste is stored or sent anywhere.
"""

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)


def guideline_text(path: Path = ANNOTATION_GUIDELINE) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def model_card_text(path: Path = MODEL_CARD) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def guideline_section(markdown: str, technique: str) -> str:
    """The body of the guideline section whose heading names `technique`, up to the next heading of its level."""
    headings = list(_HEADING.finditer(markdown))
    for i, heading in enumerate(headings):
        if technique in heading.group(2):
            level = len(heading.group(1))
            end = next((h.start() for h in headings[i + 1:] if len(h.group(1)) <= level), len(markdown))
            return markdown[heading.end():end].strip()
    return ""


def metrics_table(path: Path = MODEL_METRICS) -> pd.DataFrame | None:
    """Held-out precision, recall and F1 per technique, beside the phrase-memorisation baseline's F1, from the
    model's metrics file (written by `python -m model evaluate`); None before it exists."""
    if not path.is_file():
        return None
    metrics = json.loads(path.read_text(encoding="utf-8"))
    baseline = metrics.get("baseline", {})
    measured = [(t, metrics.get(t), baseline.get(t, {})) for t in TECHNIQUES]
    balanced = metrics.get("ptc_test_balanced")
    if balanced:
        measured += [(t, m | {"data": f"the same articles, “More highlights, less sure” (threshold "
                                       f"{balanced['thresholds'][t]})"}, {}) for t, m in balanced["model"].items()]
    real_news = metrics.get("foreign_hand_real_news")
    if real_news:
        data = f"news articles we annotated, never trained on ({real_news['articles']} articles)"
        measured.append(("foreign_hand", real_news["model"] | {"data": data}, real_news["baseline"]))
    rows = []
    # One technique's rows together (default, "More highlights", another data set), in the order of TECHNIQUES.
    measured.sort(key=lambda row: TECHNIQUES.index(row[0]))
    for technique, m, base in measured:
        if m:
            rows.append({"technique": TITLES[technique], "precision": round(m["precision"], 2),
                         "recall": round(m["recall"], 2), "F1": round(m["f1"], 2),
                         "baseline F1": None if base.get("f1") is None else round(base["f1"], 2),
                         "spans marked by people": m.get("n_gold"), "measured on": m.get("data", "")})
    return pd.DataFrame(rows)


def precisions(threshold: dict[str, float] | None = None, path: Path = MODEL_METRICS) -> dict[str, float | None]:
    """Each technique's held-out precision at the thresholds in use (`threshold`: the sidebar's, None for the
    defaults), from model/metrics.json: at the default thresholds, at those of "More highlights, less sure", or
    None for a threshold set by hand (not measured). {} before the file exists."""
    if not path.is_file():
        return {}
    metrics = json.loads(path.read_text(encoding="utf-8"))
    defaults = metrics.get("thresholds", {})
    balanced = metrics.get("ptc_test_balanced") or {}
    found = {}
    for t in TECHNIQUES:
        at = (threshold or {}).get(t)
        if isinstance(metrics.get(t), dict) and (at is None or _same(at, defaults.get(t))):
            found[t] = metrics[t]["precision"]
        elif t in balanced.get("model", {}) and _same(at, balanced.get("thresholds", {}).get(t)):
            found[t] = balanced["model"][t]["precision"]
        else:
            found[t] = None
    return found


def _same(a: float | None, b: float | None) -> bool:
    """Two thresholds alike as the sidebar shows them (to 2 decimals)."""
    return a is not None and b is not None and round(a, 2) == round(b, 2)


# -- the model's features in words (Details for the curious) ---------------------------------------------------------

FEATURE_NAMES = {
    "w": "the word “{}”", "p3": "starts with “{}”", "p5": "starts with “{}”", "s3": "ends with “{}”",
    "s2": "ends with “{}”", "sh": "word shape {}", "w-1": "word before: “{}”", "w+1": "word after: “{}”",
    "w-2": "two words before: “{}”", "w+2": "two words after: “{}”", "b-": "word pair “{}”", "b+": "word pair “{}”",
}


def describe_feature(attr: str, examples=()) -> str:
    """A feature of Tagger.explain as a phrase a student can read; a word class is shown by `examples` of its words,
    if any; a foreign_hand claim word is named as an outside actor or a steering word where it is one."""
    if attr.startswith("claim="):
        word = attr[6:]
        kind = "an outside actor " if ACTOR.fullmatch(word) else "a steering word " if STEER.fullmatch(word) else ""
        return f"{kind}“{word}”"
    attr, _, where = attr.partition("@")
    place = {"-1": " (the word before)", "+1": " (the word after)"}.get(where, "")
    if attr.startswith("cue:"):
        return f"a word often marked as {attr[4:].replace('_', ' ')} in the training articles{place}"
    if attr.startswith("val:"):
        strength, sign = ("strongly " if attr.endswith("2") else ""), ("negative" if "neg" in attr else "positive")
        return f"a {strength}{sign} word in the sentiment lexicon{place}"
    if attr.startswith("sent-cues:"):
        technique, _, n = attr[10:].partition("=")
        return f"a sentence with {n} word(s) often marked as {technique.replace('_', ' ')}"
    if attr.startswith("sent-charged="):
        return f"a sentence with {attr[13:]} strongly charged word(s)"
    if attr == "sent-exclamation":
        return "a sentence with an exclamation mark"
    if attr == "context":
        return "the sentence around it, as a small language model reads it (its probability of the technique)"
    if attr == "quoted":
        return "inside quotation marks"
    if attr == "upper":
        return "written in capitals"
    if attr == "first":
        return "first word of the sentence"
    key, _, value = attr.partition("=")
    if re.fullmatch(r"c\d+", key):
        if examples:
            return f"a word of like meaning to {', '.join(f'“{w}”' for w in examples)} (group {value} of {key[1:]})"
        return f"a word of like meaning to others in group {value} (of {key[1:]} groups of words)"
    template = FEATURE_NAMES.get(key)
    if not template:
        return attr
    if value in ("<s>", "</s>"):  # the padding beyond the sentence's edges
        return "near the start of the sentence" if value == "<s>" else "near the end of the sentence"
    return template.format(value.replace("<s>", "…").replace("</s>", "…").replace("|", " "))
