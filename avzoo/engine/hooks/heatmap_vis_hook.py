"""Heatmap samples logged while training, through MMEngine's visualizer (its backends: local PNG
files by default; add ``dict(type='TensorboardVisBackend')`` to ``visualizer.vis_backends`` for
TensorBoard)."""
from __future__ import annotations

from typing import List

import torch
from mmengine.hooks import Hook

from avzoo.registry import HOOKS
from avzoo.visualization.overlays import heatmap_strip


@HOOKS.register_module()
class HeatmapVisHook(Hook):
    """After each validation run, the first ``n_samples`` maps of the first validation batch over
    their frames, with the GT outlined, as one image ``heatmaps`` (step = epoch) for every
    backend of the runner's visualizer."""

    priority = 'LOW'

    def __init__(self, n_samples: int = 4, interval: int = 1) -> None:
        self.n_samples, self.interval = n_samples, interval
        self._pending: List[tuple] = []

    def before_val_epoch(self, runner) -> None:
        self._pending = []

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if batch_idx != 0 or not outputs or (runner.epoch % self.interval):
            return
        images = data_batch['inputs']['image'][:self.n_samples]
        if images.dtype != torch.uint8:
            return
        preds = outputs[:self.n_samples]
        self._pending = [(img.cpu(), torch.as_tensor(p['heatmap']).float().cpu(),
                          torch.as_tensor(p['gt_map']).float().cpu()) for img, p in zip(images, preds)]

    def after_val_epoch(self, runner, metrics=None) -> None:
        if not self._pending:
            return
        model = getattr(runner.model, 'module', runner.model)
        title = f'{type(model.method).__name__}, epoch {runner.epoch}: validation maps'
        strip = heatmap_strip(*zip(*self._pending), title=title)
        runner.visualizer.add_image('heatmaps', strip, step=runner.epoch)
        self._pending = []
