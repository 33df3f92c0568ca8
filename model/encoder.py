"""The sentence encoder: all-MiniLM-L6-v2 exported to ONNX with its token head (model/training/build_token_head.py), run
with onnxruntime.

One pass per text: each sentence is encoded on its own (as the model was trained), one run per sentence.
The result gives every sentence its token vectors (with character offsets into the text), its sentence vector,
the mean of its token vectors as sentence-transformers pools it, scaled to unit length, and, when the graph has the
token head, each wordpiece's probability of being inside a span of each of TOKEN_TECHNIQUES. No PyTorch, no network.
"""
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ONNX_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEAD_OUTPUT = "techniques"  # the token head's output, beside the last hidden state
ENCODER_DIR = "encoder"  # its folder in a model folder
ENCODER_FILES = (f"{ENCODER_DIR}/{ONNX_FILE}", f"{ENCODER_DIR}/{TOKENIZER_FILE}")  # as the model's manifest names them
MAX_PIECES = 256  # the model's training length; a longer sentence is encoded in windows of this many wordpieces
BATCH = 1  # one sentence per run: the int8 model quantizes its activations per run, so a sentence batched with
# others would get other vectors; alone, its vectors depend on it only (and it was as fast here as batches of 8)


@dataclass(frozen=True)
class Encoded:
    """One sentence: `offsets[i]` = (start, end) of wordpiece i in the text, `tokens[i]` its vector."""
    start: int
    end: int
    offsets: np.ndarray  # (n, 2) int
    tokens: np.ndarray  # (n, 384) float32
    vector: np.ndarray  # (384,) float32, unit length
    techniques: np.ndarray | None = None  # (n, len(TOKEN_TECHNIQUES)) float32: the token head's probabilities


def default_threads() -> int:
    value = os.environ.get("SLANT_THREADS")
    if value and value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


class Encoder:
    def __init__(self, folder: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(folder / ONNX_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        names = [o.name for o in self.session.get_outputs()]
        self.has_head = HEAD_OUTPUT in names
        self.outputs = names[:1] + [HEAD_OUTPUT] * self.has_head  # the hidden state first
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def save(self, model_folder: Path) -> list[str]:
        """Copy the encoder's folder (its graph, tokenizer and licence) into the model folder `model_folder`; return
        the names its manifest lists."""
        target = Path(model_folder) / ENCODER_DIR
        if target.resolve() != self.folder.resolve():
            shutil.copytree(self.folder, target, dirs_exist_ok=True)
        return list(ENCODER_FILES)

    def _windows(self, text: str, sentences):
        """(sentence index, ids with [CLS]/[SEP], offsets of the pieces between them) per window of a sentence."""
        pieces = self.tokenizer.encode_batch([text[s:e] for s, e in sentences], add_special_tokens=False)
        for i, ((start, _), enc) in enumerate(zip(sentences, pieces, strict=True)):
            ids, offsets = enc.ids, enc.offsets
            step = MAX_PIECES - 2
            for w in range(0, max(len(ids), 1), step):
                window_ids = ids[w:w + step]
                window_offsets = np.array(offsets[w:w + step], dtype=np.int64).reshape(-1, 2) + start
                yield i, [self.cls, *window_ids, self.sep], window_offsets

    def run(self, batch: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """The last hidden states of each id sequence and the token head's probabilities (None without a head), both
        with the special tokens, unpadded."""
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        hidden, *head = self.session.run(self.outputs, {"input_ids": input_ids, "attention_mask": mask})
        return [(hidden[row, :len(ids)], head[0][row, :len(ids)] if head else None) for row, ids in enumerate(batch)]

    def encode(self, text: str, sentences: list[tuple[int, int]]) -> list[Encoded]:
        """Vectors for each (start, end) sentence of `text`, in the order given."""
        windows = list(self._windows(text, sentences))
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1]))
        states: list = [None] * len(windows)
        for b in range(0, len(order), BATCH):
            chunk = order[b:b + BATCH]
            for k, state in zip(chunk, self.run([windows[k][1] for k in chunk]), strict=True):
                states[k] = state
        parts: dict[int, list] = {}
        for (i, _, offsets), (state, head) in zip(windows, states, strict=True):
            parts.setdefault(i, []).append((offsets, state, head))
        out = []
        for i, (start, end) in enumerate(sentences):
            offsets = np.concatenate([o for o, _, _ in parts[i]])
            tokens = np.concatenate([s[1:-1] for _, s, _ in parts[i]]).astype(np.float32)
            pooled = np.concatenate([s for _, s, _ in parts[i]]).mean(axis=0)
            techniques = (np.concatenate([h[1:-1] for _, _, h in parts[i]]).astype(np.float32) if self.has_head
                          else None)
            out.append(Encoded(start, end, offsets, tokens, unit(pooled).astype(np.float32), techniques))
        return out

    def vector(self, text: str) -> np.ndarray:
        """The unit vector of a short text read on its own (a word, a span)."""
        return self.encode(text, [(0, len(text))])[0].vector


def sentence_at(encoded, position: int) -> Encoded | None:
    """The encoded sentence that holds character `position` of the text (None if none does, or no `encoded`)."""
    return next((e for e in encoded or () if e.start <= position < e.end), None)


def unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)

