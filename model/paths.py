"""Every path the project uses. Nothing else builds paths by hand."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = PROJECT_ROOT / "model"
DATA_DIR = PROJECT_ROOT / "data"
SEEDS_DIR = DATA_DIR / "seeds"
SEED_GOLD = SEEDS_DIR / "annotations.jsonl"
SEED_SOURCES = SEEDS_DIR / "sources.csv"
SEED_FURNITURE = SEEDS_DIR / "page_furniture.jsonl"
DOCS_DIR = PROJECT_ROOT / "docs"

# Corpora we may read but never commit. They sit beside the checkout in ../shared; an environment
# variable points elsewhere when the user keeps them somewhere else.
SHARED_DIR = Path(os.environ.get("SLANT_SHARED", PROJECT_ROOT.parent / "shared"))
PTC_DIR = Path(os.environ.get("SLANT_PTC", SHARED_DIR / "ptc"))
EUVSDISINFO_DIR = Path(os.environ.get("SLANT_EUVSDISINFO", SHARED_DIR / "euvsdisinfo"))
SEMEVAL_DIR = Path(os.environ.get("SLANT_SEMEVAL", SHARED_DIR / "semeval2025-t10"))
SEMEVAL_FOREIGN_HAND_DIR = PROJECT_ROOT / "data" / "semeval_foreign_hand"
EUVSDISINFO_CLAIMS = "claims-2015-2019.csv"  # the claims file inside EUVSDISINFO_DIR (or the folder a loader is given)
CLASSROOM_DIR = DATA_DIR / "classroom"
CLASSROOM_REWRITES = CLASSROOM_DIR / "rewrites.jsonl"
LESSON_PLAN = DOCS_DIR / "lesson-plan.md"
ANNOTATION_GUIDELINE = DATA_DIR / "ANNOTATION_GUIDELINE.md"
MODEL_METRICS = MODEL_DIR / "metrics.json"
PTC_SPLITS = MODEL_DIR / "splits.json"
WEIGHTS_DIR = MODEL_DIR / "weights"
PTC_FOREIGN_HAND_DIR = DATA_DIR / "ptc_foreign_hand"
# the fully annotated articles, one list per round of annotation (the split alternates within each round)
PTC_FOREIGN_HAND_ROUNDS = (PTC_FOREIGN_HAND_DIR / "articles.txt", PTC_FOREIGN_HAND_DIR / "articles_round2.txt")
PTC_FOREIGN_HAND_SPANS = PTC_FOREIGN_HAND_DIR / "spans.jsonl"
MODEL_CARD = MODEL_DIR / "MODEL_CARD.md"
FOREIGN_HAND_DIR = DATA_DIR / "foreign_hand"
WORD_CLASSES = DATA_DIR / "word_classes" / "word_classes.tsv"
FOREIGN_HAND_PAIRS_DIR = FOREIGN_HAND_DIR / "pairs"
GROUP_SENTENCES = DATA_DIR / "group_sentences" / "sentences.json"
