"""Test sets with localisation ground truth, one class per annotation format:

- :class:`VGGSSDataset`: ``vggss.json`` (normalised boxes, union map);
- :class:`FlickrDataset`: Flickr-SoundNet test ids + per-sample XML boxes (256 px, consensus map);
- :class:`InteractiveDataset`: IS3 / VPO / AVSBench record json (224-px box or mask path);
- :class:`ExtendedDataset`: a localisation set plus the non-sounding pairs of a
  ``*_test_plus_silent.csv`` (Extended VGG-SS / Extended Flickr: AP, max-F1, LocAcc).

Annotation files are looked up under ``data_root`` first, then among the shipped ones
(:func:`avzoo.datasets.annotations.annotation_path`), so ``ann_file='vggss.json'`` works with
only media under the data root.
"""
from __future__ import annotations

import copy
import os
from typing import List, Sequence

import torch

from avzoo.datasets.annotations import (
    annotation_path,
    read_extended_csv,
    read_flickr_xml,
    read_id_list,
    read_json_records,
)
from avzoo.datasets.base import AVTestDataset, resolve_media_path
from avzoo.datasets.gt_maps import boxes_to_gt_map, check_box, consensus_gt_map, normalized_boxes_to_gt_map
from avzoo.datasets.media import load_mask
from avzoo.registry import DATASETS
from avzoo.utils.errors import AvzooError


def find_annotation(name: str, data_root: str) -> str:
    """``name`` as given if absolute, else under ``data_root`` if present, else a shipped file."""
    if os.path.isabs(name):
        return name
    local = os.path.join(data_root, name)
    return local if os.path.isfile(local) else annotation_path(name)


def read_json_list(path: str, required: tuple) -> List[dict]:  # kept for callers of the first release
    return read_json_records(path, required)


def interactive_group(name: str) -> str:
    """IS3 / VPO / AVSBench grouping: file stem minus its last ``_<token>``
    (``accordion_baby_10467_accordion.jpg`` -> ``accordion_baby_10467``; S4 frames
    ``<vid>_<k>.png`` -> ``<vid>``; MS3 ``<vid>.mp4_<k>.png`` -> ``<vid>.mp4``)."""
    stem = os.path.splitext(os.path.basename(name))[0]
    return '_'.join(stem.split('_')[:-1])


def vggss_file(clip_id: str) -> str:
    """A VGG-SS clip id as ``vggss.json`` names it: ``<ytid>_<start ms>_<end ms>`` (the alignment
    release's lists) -> ``<ytid>_<start s as 6 digits>``; a frame name (``<id>.jpg``, SSL-TIE's
    list) loses its extension; any other id is returned unchanged."""
    stem, ext = os.path.splitext(clip_id)
    clip_id = stem if ext.lower() in ('.jpg', '.png', '.wav', '.mp4') else clip_id
    parts = clip_id.rsplit('_', 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit() and int(parts[2]) - int(parts[1]) == 10000:
        return f'{parts[0]}_{int(parts[1]) // 1000:06d}'
    return clip_id


def _report_clipped(path: str, n: int) -> None:
    if n:
        from mmengine.logging import print_log
        print_log(f'{path}: {n} boxes reach outside the frame; clipped to it', logger='current', level=30)


@DATASETS.register_module()
class VGGSSDataset(AVTestDataset):
    """``vggss.json``: ``[{"file", "class", "bbox": [[x0, y0, x1, y1] in 0..1]}]``; GT map =
    union of ``(clip(b, 0, 1) * 224).astype(int)`` boxes; ``n_sources`` = number of boxes.
    Media at ``frame_tpl`` / ``audio_tpl`` (``{file}`` substituted) under ``data_root``;
    ``id_list`` (optional) keeps only the listed files (``vggss_heard_test.csv``...); its ids may
    also be in the alignment release's ``<ytid>_<start ms>_<end ms>`` form (``ours_vggss.txt``),
    which maps to ``<ytid>_<start s, 6 digits>``; ``exclude`` drops files by name."""

    def __init__(self, data_root: str, ann_file: str = 'vggss.json', frame_tpl: str = 'frames/{file}.jpg',
                 audio_tpl: str = 'audio/{file}.wav', id_list: str = None, exclude: Sequence[str] = (),
                 **kwargs) -> None:
        self.ann_file, self.frame_tpl, self.audio_tpl, self.id_list = ann_file, frame_tpl, audio_tpl, id_list
        self.exclude = {vggss_file(e) for e in exclude}
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        path = find_annotation(self.ann_file, self.data_root)
        records = read_json_records(path, ('file', 'bbox'))
        if self.id_list is not None:
            keep = {vggss_file(i) for i in read_id_list(find_annotation(self.id_list, self.data_root))}
            records = [r for r in records if r['file'] in keep]
        records = [r for r in records if r['file'] not in self.exclude]
        items, self.n_clipped_boxes = [], 0
        for n, r in enumerate(records):
            boxes = r['bbox']
            if not (isinstance(boxes, list) and all(isinstance(b, list) and len(b) == 4 for b in boxes)):
                raise AvzooError(f'{path}: record {n} ({r["file"]}) has bbox {boxes!r}; expected a list of '
                                 f'[x0, y0, x1, y1] boxes normalised to [0, 1]')
            for b in boxes:      # the official evaluator clips to [0, 1] when drawing; avzoo counts it
                self.n_clipped_boxes += check_box(b, 1.0, f'{path}: record {n} ({r["file"]})')[1]
            items.append(dict(id=r['file'], cls=r.get('class'), bbox=boxes, n_sources=len(boxes),
                              frame=os.path.join(self.data_root, self.frame_tpl.format(file=r['file'])),
                              audio=os.path.join(self.data_root, self.audio_tpl.format(file=r['file']))))
        _report_clipped(path, self.n_clipped_boxes)
        return items

    def gt_map(self, item: dict) -> torch.Tensor:
        return normalized_boxes_to_gt_map(item['bbox'])


@DATASETS.register_module()
class FlickrDataset(AVTestDataset):
    """Flickr-SoundNet test: ids from ``id_list`` (``flickr_test.csv``: ``<id>,<int>``), boxes of
    all annotators from ``ann_dir/<id>.xml`` (256-px space), GT = consensus map (0 / 0.5 / 1).
    A missing XML is a missing-media skip like a missing frame."""

    def __init__(self, data_root: str, id_list: str = 'flickr_test.csv', ann_dir: str = 'Annotations',
                 frame_tpl: str = 'frames/{id}.jpg', audio_tpl: str = 'audio/{id}.wav', **kwargs) -> None:
        self.id_list, self.ann_dir, self.frame_tpl, self.audio_tpl = id_list, ann_dir, frame_tpl, audio_tpl
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        ids = read_id_list(find_annotation(self.id_list, self.data_root), column=0, strip_ext=True)
        ann_dir = self.ann_dir if os.path.isabs(self.ann_dir) else os.path.join(self.data_root, self.ann_dir)
        return [dict(id=i, xml=os.path.join(ann_dir, f'{i}.xml'), n_sources=1,
                     frame=os.path.join(self.data_root, self.frame_tpl.format(id=i)),
                     audio=os.path.join(self.data_root, self.audio_tpl.format(id=i))) for i in ids]

    def media_paths(self, item: dict) -> List[str]:
        return super().media_paths(item) + [item['xml']]

    def gt_map(self, item: dict) -> torch.Tensor:
        if 'boxes' not in item:
            item['boxes'] = read_flickr_xml(item['xml'])
        return consensus_gt_map(item['boxes'])


@DATASETS.register_module()
class InteractiveDataset(AVTestDataset):
    """IS3 / VPO / AVSBench record json: ``[{"image", "audio", "gt_box"}]``, one record per
    (image, sounding object). ``gt_box`` is a 224-px box (``gt='box'``) or a mask path
    (``gt='seg'``, the ``*_seg.json`` twin). Records are grouped by :func:`interactive_group`.
    Paths are mapped onto ``data_root`` by :func:`resolve_media_path`. A ``[0, 0, 0, 0]`` box
    (29 MS3 frames) is an empty GT map, kept and counted by the metrics."""

    def __init__(self, data_root: str, ann_file: str, gt: str = 'box', **kwargs) -> None:
        if gt not in ('box', 'seg'):
            raise AvzooError(f"InteractiveDataset.gt must be 'box' or 'seg', got {gt!r}")
        self.ann_file, self.gt = ann_file, gt
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        path = find_annotation(self.ann_file, self.data_root)
        items, self.n_clipped_boxes = [], 0
        for r in read_json_records(path, ('image', 'audio', 'gt_box')):
            frame = resolve_media_path(r['image'], self.data_root)
            item = dict(id=os.path.splitext(os.path.basename(frame))[0], frame=frame,
                        audio=resolve_media_path(r['audio'], self.data_root), group=interactive_group(frame))
            box = r['gt_box']
            if self.gt == 'seg':
                if not isinstance(box, str):
                    raise AvzooError(f'{path}: gt_box of {r["image"]} is {box!r}; expected a mask path '
                                     f'(a box means the box json: use gt="box")')
                item['mask'] = resolve_media_path(box, self.data_root)
            else:
                if not (isinstance(box, list) and len(box) == 4):
                    raise AvzooError(f'{path}: gt_box of {r["image"]} is {box!r}; expected [x0, y0, x1, y1] '
                                     f'(a mask path means the *_seg.json file: use gt="seg")')
                item['box'], clipped = check_box(box, 224, f'{path}: record of {r["image"]}')
                self.n_clipped_boxes += clipped
            items.append(item)
        _report_clipped(path, self.n_clipped_boxes)
        return items

    def media_paths(self, item: dict) -> List[str]:
        return super().media_paths(item) + ([item['mask']] if 'mask' in item else [])

    def gt_map(self, item: dict) -> torch.Tensor:
        if self.gt == 'seg':
            return load_mask(item['mask'])
        return boxes_to_gt_map([item['box']])


@DATASETS.register_module()
class ExtendedDataset(AVTestDataset):
    """Extended VGG-SS / Extended Flickr (SLAVC): every sample of ``base`` (a localisation
    dataset config; ``n_sources`` >= 1) plus the ``non-sounding`` rows of ``extended_csv``
    (frame of ``video``, audio of ``audio``, both from the extended media folders), whose GT map
    is all zero and ``n_sources`` 0."""

    def __init__(self, data_root: str, base: dict, extended_csv: str,
                 frame_tpl: str = 'extend_frames/{id}.jpg', audio_tpl: str = 'extend_audio/{id}.wav',
                 **kwargs) -> None:
        base = copy.deepcopy(base)
        base_type = base.pop('type')
        shared = {k: kwargs[k] for k in ('strict', 'check_files') if k in kwargs}
        self.base = DATASETS.get(base_type)(**dict(base, data_root=base.get('data_root', data_root), **shared))
        self.extended_csv, self.frame_tpl, self.audio_tpl = extended_csv, frame_tpl, audio_tpl
        kwargs.setdefault('image_size', self.base.image_size)
        super().__init__(data_root, **kwargs)
        self.n_missing += self.base.n_missing

    def load_items(self) -> List[dict]:
        rows = read_extended_csv(find_annotation(self.extended_csv, self.data_root))
        negatives = [dict(id=f'{r["video"]}__{r["audio"]}', n_sources=0, negative=True,
                          frame=os.path.join(self.data_root, self.frame_tpl.format(id=r['video'])),
                          audio=os.path.join(self.data_root, self.audio_tpl.format(id=r['audio'])))
                     for r in rows]
        return [dict(it, base_index=i) for i, it in enumerate(self.base.items)] + negatives

    def gt_map(self, item: dict) -> torch.Tensor:
        if item.get('negative'):
            return torch.zeros(224, 224)
        return self.base.gt_map(self.base.items[item['base_index']])
