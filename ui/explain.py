"""What the "How it works" page shows, as plain data: guideline sections per technique and held-out metrics."""
import json
import re
from pathlib import Path

import pandas as pd

from model.paths import ANNOTATION_GUIDELINE, MODEL_METRICS
from model.techniques import TECHNIQUES, TITLES

METRICS_NOTE = ("Precision: of the spans the model marks, the share a person also marked. Recall: of the spans a "
                "person marked, the share the model finds. Measured on articles the model never saw in training, "
                "with partial overlaps counted in proportion (the SemEval-2020 task 11 scoring).")

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)


def guideline_text(path: Path = ANNOTATION_GUIDELINE) -> str:
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
    """Held-out precision, recall and F1 per technique from the model's metrics file, or None before it exists."""
    if not path.is_file():
        return None
    metrics = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for technique in TECHNIQUES:
        m = metrics.get(technique)
        if m:
            rows.append({"technique": TITLES[technique], "precision": m["precision"], "recall": m["recall"],
                         "f1": m["f1"]})
    return pd.DataFrame(rows)
