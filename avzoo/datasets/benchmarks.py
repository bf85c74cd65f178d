"""Named benchmarks (``--bench NAME``): the test dataset and metric for a data root.

Each entry is a function ``(data_root, image_size, audio) -> dict(dataset=..., metric=...)``
returning configs, so ``avzoo eval --bench NAME`` scores every method on identical data.
"""
from __future__ import annotations

from typing import Optional

from avzoo.registry import BENCHMARKS

SYNTH_ROOT = 'data/avzoo-synth'


@BENCHMARKS.register_module('synth_single')
def synth_single(data_root: str = SYNTH_ROOT, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth single-source test split (VGG-SS layout)."""
    return dict(dataset=dict(type='VGGSSDataset', data_root=f'{data_root}/test_single',
                             ann_file='synth_single.json', image_size=image_size, audio=audio),
                metric=dict(type='LocalizationMetric', interactive=False))


@BENCHMARKS.register_module('synth_interactive')
def synth_interactive(data_root: str = SYNTH_ROOT, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth interactive split (IS3 layout, boxes): IIoU groups the two sounds of an image."""
    return dict(dataset=dict(type='InteractiveDataset', data_root=f'{data_root}/test_interactive',
                             ann_file='synth_interactive_bbox.json', gt='box', image_size=image_size,
                             audio=audio),
                metric=dict(type='LocalizationMetric', interactive=True))


@BENCHMARKS.register_module('synth_interactive_seg')
def synth_interactive_seg(data_root: str = SYNTH_ROOT, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth interactive split with mask ground truth (IS3 ``_seg.json`` layout)."""
    cfg = synth_interactive(data_root, image_size, audio)
    cfg['dataset'].update(ann_file='synth_interactive_seg.json', gt='seg')
    return cfg
