"""Benchmark: one training step of the demo model (the synth alignment config) with NCHW and with
channels_last (NHWC) convolutions, side by side on the same random batch. Last line: JSON.

    python tools/bench_channels_last.py [--steps 6] [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import time

import torch
from mmengine.optim import OptimWrapper

from avzoo.engine.config import load_config
from avzoo.registry import MODELS


def batch(cfg, n: int) -> dict:
    """A batch of the demo's shape: uint8 frames and raw audio windows for the anchor + 2 views."""
    size, length = cfg.image_size, int(cfg.audio['sample_rate'] * cfg.audio['window_seconds'])
    g = torch.Generator().manual_seed(0)
    inputs = {}
    for suffix in ('', '_aug', '_nn'):
        inputs['image' + suffix] = torch.randint(0, 255, (n, 3, size, size), generator=g, dtype=torch.uint8)
        inputs['audio' + suffix] = torch.randn(n, length, generator=g) * 0.1
    return dict(inputs=inputs, data_samples={})


def seconds_per_step(channels_last: bool, cfg, data: dict, steps: int) -> float:
    torch.manual_seed(0)
    model_cfg = dict(cfg.model, channels_last=channels_last)
    model = MODELS.build(model_cfg).train()
    wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), 1e-3))
    model.train_step(data, wrapper)                     # warm-up (oneDNN primitive creation)
    start = time.perf_counter()
    for _ in range(steps):
        model.train_step(data, wrapper)
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default='alignment/alignment_small_1xb32-sup-nn-5e_synth.py')
    parser.add_argument('--steps', type=int, default=6)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401  (registration)
    init_default_scope('avzoo')
    cfg = load_config(args.config)
    data = batch(cfg, cfg.train_dataloader.batch_size)
    nchw = seconds_per_step(False, cfg, data, args.steps)
    nhwc = seconds_per_step(True, cfg, data, args.steps)
    print(f'train step, batch {cfg.train_dataloader.batch_size} x 3 views: NCHW {nchw:.3f} s, channels_last {nhwc:.3f} s')
    print(json.dumps(dict(nchw_s=round(nchw, 4), channels_last_s=round(nhwc, 4), speedup=round(nchw / nhwc, 2))))


if __name__ == '__main__':
    main()
