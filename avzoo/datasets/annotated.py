"""Test sets with localisation ground truth: VGG-SS-style json and IS3-style record json."""
from __future__ import annotations

import json
import os
from typing import List

import torch

from avzoo.datasets.base import AVTestDataset, resolve_media_path
from avzoo.datasets.gt_maps import boxes_to_gt_map, normalized_boxes_to_gt_map
from avzoo.datasets.media import load_mask
from avzoo.errors import AvzooError
from avzoo.registry import DATASETS


def read_json_list(path: str, required: tuple) -> List[dict]:
    if not os.path.isfile(path):
        raise AvzooError(f'annotation file not found: {path}')
    try:
        with open(path) as f:
            data = json.load(f)
    except json.JSONDecodeError as exc:
        raise AvzooError(f'{path}: not valid JSON ({exc})') from None
    if not isinstance(data, list):
        raise AvzooError(f'{path}: expected a JSON list of records')
    for n, rec in enumerate(data):
        missing = [k for k in required if k not in rec]
        if missing:
            raise AvzooError(f'{path}: record {n} lacks key(s) {missing} (expected {list(required)})')
    return data


def interactive_group(name: str) -> str:
    """IS3 / VPO grouping: file stem minus its last ``_<token>``
    (``accordion_baby_10467_accordion.jpg`` -> ``accordion_baby_10467``)."""
    stem = os.path.splitext(os.path.basename(name))[0]
    return '_'.join(stem.split('_')[:-1])


@DATASETS.register_module()
class VGGSSDataset(AVTestDataset):
    """``vggss.json``: ``[{"file", "class", "bbox": [[x0, y0, x1, y1] in 0..1]}]``; GT map =
    union of ``(clip(b, 0, 1) * 224).astype(int)`` boxes. Media at ``frame_tpl`` / ``audio_tpl``
    (``{file}`` substituted) under ``data_root``."""

    def __init__(self, data_root: str, ann_file: str, frame_tpl: str = 'frames/{file}.jpg',
                 audio_tpl: str = 'audio/{file}.wav', **kwargs) -> None:
        self.ann_file, self.frame_tpl, self.audio_tpl = ann_file, frame_tpl, audio_tpl
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        path = self.ann_file if os.path.isabs(self.ann_file) else os.path.join(self.data_root, self.ann_file)
        return [dict(id=r['file'], cls=r.get('class'), bbox=r['bbox'],
                     frame=os.path.join(self.data_root, self.frame_tpl.format(file=r['file'])),
                     audio=os.path.join(self.data_root, self.audio_tpl.format(file=r['file'])))
                for r in read_json_list(path, ('file', 'bbox'))]

    def gt_map(self, item: dict) -> torch.Tensor:
        return normalized_boxes_to_gt_map(item['bbox'])


@DATASETS.register_module()
class InteractiveDataset(AVTestDataset):
    """IS3 / VPO / AVSBench record json: ``[{"image", "audio", "gt_box"}]``, one record per
    (image, sounding object). ``gt_box`` is a 224-px box (``gt='box'``) or a mask path
    (``gt='seg'``, the ``*_seg.json`` twin). Records are grouped by :func:`interactive_group`.
    Paths are mapped onto ``data_root`` by :func:`resolve_media_path`."""

    def __init__(self, data_root: str, ann_file: str, gt: str = 'box', **kwargs) -> None:
        if gt not in ('box', 'seg'):
            raise AvzooError(f"InteractiveDataset.gt must be 'box' or 'seg', got {gt!r}")
        self.ann_file, self.gt = ann_file, gt
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        path = self.ann_file if os.path.isabs(self.ann_file) else os.path.join(self.data_root, self.ann_file)
        items = []
        for r in read_json_list(path, ('image', 'audio', 'gt_box')):
            frame = resolve_media_path(r['image'], self.data_root)
            item = dict(id=os.path.splitext(os.path.basename(frame))[0], frame=frame,
                        audio=resolve_media_path(r['audio'], self.data_root), group=interactive_group(frame))
            if self.gt == 'seg':
                item['mask'] = resolve_media_path(r['gt_box'], self.data_root)
            else:
                box = r['gt_box']
                if not (isinstance(box, list) and len(box) == 4):
                    raise AvzooError(f'{path}: gt_box of {r["image"]} is {box!r}; expected [x0, y0, x1, y1] '
                                     f'(a mask path means the *_seg.json file: use gt="seg")')
                item['box'] = box
            items.append(item)
        return items

    def media_paths(self, item: dict) -> List[str]:
        return super().media_paths(item) + ([item['mask']] if 'mask' in item else [])

    def gt_map(self, item: dict) -> torch.Tensor:
        if self.gt == 'seg':
            return load_mask(item['mask'])
        return boxes_to_gt_map([item['box']])
