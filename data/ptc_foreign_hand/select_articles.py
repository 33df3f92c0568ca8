"""How the annotated PTC articles were chosen: every article with a foreign-steering cue, plus 30 random controls.

    .venv/bin/python data/ptc_foreign_hand/select_articles.py    # cue articles by score, then the controls

Score of an article = 2 x strong cues + min(foreign names, 10) + 3 x lines where a steering word meets a foreign or
outside actor. Articles longer than MAX_CHARS are skipped (too long to annotate completely by hand). Controls: a
random sample (seed 7) of the articles outside the FIRST_BATCH best-scoring ones. The first batch was annotated
first; the cue articles after it were annotated in a second pass (some of them were also drawn as controls).
"""
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from model.paths import PTC_DIR  # noqa: E402

STRONG = (r"behind the|funded by|financed by|backed by|orchestrat\w*|instigat\w*|staged? by|puppet\w*"
          r"|colou?r revolution\w*|regime change|meddl\w*|interfer\w*|foreign agents?|Soros|CIA|KGB|FSB|Mossad"
          r"|deep state|globalists?|outside agitators|paid protesters|foreign-funded|prox(?:y|ies)")
FOREIGN = r"Kremlin|Moscow|Russian?s?|Iran(?:ian)?s?|China|Chinese"
STEERING = (r"funded|financed|backed|orchestrat|instigat|stage[d]?|puppet|meddl|interfer|behind|engineer|steer"
            r"|pull\w* the strings|hack\w*|collu\w*|coup|proxy|proxies|sponsor")
FIRST_BATCH, CONTROLS, SEED, MAX_CHARS = 90, 30, 7, 40000


def select(folder: Path = PTC_DIR) -> tuple[list[str], list[str]]:
    strong, foreign, steering = (re.compile(rf"\b(?:{p})", re.IGNORECASE) for p in (STRONG, FOREIGN, STEERING))
    rows = []
    for path in sorted((Path(folder) / "train-articles").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        n_strong, n_foreign = len(strong.findall(text)), len(foreign.findall(text))
        co = sum(1 for line in text.splitlines()
                 if steering.search(line) and (foreign.search(line) or strong.search(line)))
        rows.append((2 * n_strong + min(n_foreign, 10) + 3 * co, n_strong, n_foreign, co, path.stem, len(text)))
    rows.sort(reverse=True)
    cue = [r[4] for r in rows if r[1] + r[2] > 0 and r[5] <= MAX_CHARS]
    rest = sorted(r[4] for r in rows if r[4] not in cue[:FIRST_BATCH] and r[5] <= MAX_CHARS)
    random.seed(SEED)
    return cue, sorted(random.sample(rest, CONTROLS))


if __name__ == "__main__":
    cue_articles, controls = select()
    print("\n".join(cue_articles + [name for name in controls if name not in cue_articles]))
