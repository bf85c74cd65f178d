"""Datasets of (frame, audio) pairs named by an id list: training clips, labelled clips, retrieval."""
from __future__ import annotations

import csv
import os
import random
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from avzoo.datasets import annotations
from avzoo.datasets.base import AVDataset, AVTestDataset
from avzoo.datasets.media import MediaError, load_frame
from avzoo.datasets.sampler import sample_rng
from avzoo.datasets.transforms import build_image_pipeline
from avzoo.registry import DATASETS
from avzoo.utils.errors import AvzooError

NN_SAMPLING = ('random', 'fixed', 'self')


def read_id_list(path: str) -> List[str]:
    """One id per line (``vggss_144k.txt`` style, or the first csv column); blank lines ignored; a
    csv whose first line is a header naming the ``id`` column (``labels.csv``) has it dropped."""
    ids = annotations.read_id_list(path)
    return ids[1:] if path.endswith('.csv') and ids[:1] == ['id'] else ids


def _list_path(id_list: str, data_root: str) -> str:
    """An id list under ``data_root``, else a shipped one (``vggss_144k.txt``), else an error."""
    if os.path.isabs(id_list) or os.path.isfile(os.path.join(data_root, id_list)):
        return id_list if os.path.isabs(id_list) else os.path.join(data_root, id_list)
    return annotations.annotation_path(id_list)


def _read_ids(path: str) -> List[str]:
    """An id list, or the ``file`` names of a VGG-SS-style ``.json`` test annotation."""
    if path.endswith('.json'):
        return [r['file'] for r in annotations.read_json_records(path, ('file',))]
    return read_id_list(path)


class _IdListMixin:
    def _items_from_ids(self, ids: Sequence[str], data_root: Optional[str] = None) -> List[dict]:
        root = self.data_root if data_root is None else data_root
        return [dict(id=i, frame=os.path.join(root, self.frame_tpl.format(id=i)),
                     audio=os.path.join(root, self.audio_tpl.format(id=i))) for i in ids]


@DATASETS.register_module()
class AVPairDataset(_IdListMixin, AVDataset):
    """Training pairs, with the extra views a method asks for.

    ``inputs``: ``image`` (uint8 ``[3, S, S]``), ``audio`` (``[T]``) and, per ``views``:
    ``image_aug`` (``aug_pipeline``, SimCLR-style) / ``audio_aug`` (time-shifted window) for
    ``'aug'``; ``image_nn`` / ``audio_nn`` (the frame / audio of a mined neighbour) for ``'nn'``.
    Neighbours come from ``nn_file`` (``.npz`` with ``ids``, ``image`` ``[N, k]``, ``audio``
    ``[N, k]`` row indices) or :meth:`set_neighbours`; ``nn_sampling`` picks one uniformly in the
    top-k (``'random'``), the nearest (``'fixed'``) or the anchor itself (``'self'``).
    ``extra_lists`` (``[dict(data_root=..., id_list=...)]``) appends the clips of other folders, in
    the same layout, after the list's own (how the leakage experiment adds test clips; the run's
    checkpoint records them); ``drop_last_n`` leaves out the last N clips of ``id_list`` first (so
    a run that adds N clips keeps the same budget).
    ``positive_modalities`` switches the extra positives per modality (an ablation of the paper):
    a modality left out gets the anchor's own frame / audio window in its extra views instead of
    loading others. The method's own ``positive_modalities`` decides what the loss uses (and keeps
    those duplicates out of the encoders); ``load_config`` gives the dataset the method's values.
    """

    def __init__(self, data_root: str, id_list: str, frame_tpl: str = 'frames/{id}.jpg',
                 audio_tpl: str = 'audio/{id}.wav', views: Sequence[str] = (),
                 aug_pipeline: Optional[Sequence[dict]] = None, nn_file: Optional[str] = None,
                 nn_sampling: str = 'random', positive_modalities: Sequence[str] = ('image', 'audio'),
                 extra_lists: Sequence[dict] = (), drop_last_n: int = 0, **kwargs) -> None:
        self.id_list, self.frame_tpl, self.audio_tpl = id_list, frame_tpl, audio_tpl
        self.extra_lists, self.drop_last_n = [dict(e) for e in extra_lists], int(drop_last_n)
        for e in self.extra_lists:
            if set(e) != {'data_root', 'id_list'}:
                raise AvzooError(f'AVPairDataset.extra_lists: {e!r}; expected dict(data_root=DIR, id_list=FILE)')
        if set(positive_modalities) - {'image', 'audio'}:
            raise AvzooError(f"AVPairDataset.positive_modalities={positive_modalities!r}; expected 'image' and/or 'audio'")
        self.positive_modalities = tuple(positive_modalities)
        unknown = set(views) - {'aug', 'nn'}
        if unknown:
            raise AvzooError(f"AVPairDataset.views: unknown {sorted(unknown)}; expected 'aug' and/or 'nn'")
        if nn_sampling not in NN_SAMPLING:
            raise AvzooError(f'AVPairDataset.nn_sampling={nn_sampling!r}; expected one of {NN_SAMPLING}')
        super().__init__(data_root, **kwargs)
        self.views, self.nn_sampling = tuple(views), nn_sampling
        self.aug_pipeline = build_image_pipeline(aug_pipeline) if aug_pipeline else self.image_pipeline
        self.image_nn: Optional[np.ndarray] = None
        self.audio_nn: Optional[np.ndarray] = None
        if nn_file is not None and os.path.isfile(nn_file):
            self.load_neighbours(nn_file)

    def load_items(self) -> List[dict]:
        ids = read_id_list(_list_path(self.id_list, self.data_root))
        items = self._items_from_ids(ids[:len(ids) - self.drop_last_n])
        for e in self.extra_lists:
            items += self._items_from_ids(_read_ids(_list_path(e['id_list'], e['data_root'])), e['data_root'])
        return items

    @property
    def ids(self) -> List[str]:
        return [it['id'] for it in self.items]

    def load_neighbours(self, path: str, key: Optional[str] = None) -> None:
        """Read a neighbour file; with ``key`` (its inputs' hash), a file mined from other inputs
        (another encoder, k or id list) is refused instead of silently reused."""
        data = np.load(path, allow_pickle=False)
        for name in ('ids', 'image', 'audio'):
            if name not in data:
                raise AvzooError(f'{path}: neighbour file lacks key {name!r} (expected ids, image, audio)')
        if key is not None and 'key' in data and str(data['key']) != key:
            raise AvzooError(f'{path}: neighbours mined from other inputs (key {data["key"]} != {key}: another '
                             f'encoder, k or id list); delete it or point `cache` elsewhere to mine again')
        ids = [str(i) for i in data['ids']]
        pos = {i: n for n, i in enumerate(ids)}
        missing = [i for i in self.ids if i not in pos]
        if missing:
            raise AvzooError(f'{path}: no neighbours for {len(missing)} training ids (first: '
                             f'{missing[0]}); re-run `avzoo mine` for this id list')
        # neighbour file rows -> this dataset's rows (the file may cover a superset of ids)
        to_self = np.full(len(ids), -1, dtype=np.int64)
        for n, i in enumerate(self.ids):
            to_self[pos[i]] = n
        rows = np.array([pos[i] for i in self.ids])
        self.set_neighbours(to_self[data['image'][rows]], to_self[data['audio'][rows]])

    def set_neighbours(self, image_nn: np.ndarray, audio_nn: np.ndarray) -> None:
        """``[N, k]`` indices into this dataset (``-1`` = unusable neighbour, ignored)."""
        if image_nn.shape[0] != len(self) or audio_nn.shape[0] != len(self):
            raise AvzooError(f'neighbour arrays have {image_nn.shape[0]}/{audio_nn.shape[0]} rows, '
                             f'dataset has {len(self)} samples')
        self.image_nn, self.audio_nn = image_nn, audio_nn

    def _pick(self, idx: int, table: Optional[np.ndarray]) -> int:
        if table is None:
            raise AvzooError("AVPairDataset: the 'nn' view needs mined neighbours (nn_file or a "
                             "PositiveMiningHook); run `avzoo mine CONFIG` or drop 'nn' from views")
        row = table[idx][table[idx] >= 0]
        if row.size == 0:
            return idx
        return int(row[0]) if self.nn_sampling == 'fixed' else int(random.choice(row))

    def _load(self, idx: int) -> Dict[str, torch.Tensor]:
        item = self.items[idx]
        frame, clip = load_frame(item['frame']), self.audio.load_clip(item['audio'])
        out = dict(image=self.image_pipeline(frame), audio=self.audio.crop(clip))
        image_on, audio_on = 'image' in self.positive_modalities, 'audio' in self.positive_modalities
        if 'aug' in self.views:
            out['image_aug'] = self.aug_pipeline(frame) if image_on else out['image']
            out['audio_aug'] = self.audio.crop(clip, shift=True) if audio_on else out['audio']
        if 'nn' in self.views:
            anchor_itself = self.nn_sampling == 'self'        # the anchor's own tensors, bit for bit
            out['image_nn'] = (self.load_image(self.items[self._pick(idx, self.image_nn)]['frame'])
                               if image_on and not anchor_itself else out['image'])
            out['audio_nn'] = (self.audio.load(self.items[self._pick(idx, self.audio_nn)]['audio'])
                               if audio_on and not anchor_itself else out['audio'])
        return out

    def __getitem__(self, idx: int) -> dict:
        """Sample ``idx``; a :class:`~avzoo.datasets.sampler.SeededIndex` draws its augmentations
        and neighbour pick from its own seed."""
        seed = getattr(idx, 'seed', None)
        if seed is None:
            return self._get(int(idx))
        with sample_rng(seed):
            return self._get(int(idx))

    def _get(self, idx: int) -> dict:
        for attempt in range(len(self)):
            j = (idx + attempt) % len(self)
            try:
                return dict(inputs=self._load(j), data_samples=dict(id=self.items[j]['id'], index=j))
            except MediaError as err:
                self._count_skip(err)
        raise AvzooError(f'{type(self).__name__}: no readable sample under {self.data_root}')


@DATASETS.register_module()
class LabelledAVDataset(AVPairDataset):
    """Pairs with a class label from ``labels.csv`` (``id,label[,class]``): the disjoint split the
    miner's pre-trained encoders learn from (the synthetic analogue of ImageNet / VGGSound)."""

    def __init__(self, data_root: str, label_file: str = 'labels.csv', **kwargs) -> None:
        self.label_file = label_file
        super().__init__(data_root, id_list=label_file, **kwargs)

    def load_items(self) -> List[dict]:
        path = os.path.join(self.data_root, self.label_file)
        if not os.path.isfile(path):
            raise AvzooError(f'label file not found: {path}')
        with open(path, newline='') as f:
            rows = list(csv.DictReader(f))
        if not rows or 'id' not in rows[0] or 'label' not in rows[0]:
            raise AvzooError(f'{path}: expected a csv with columns id,label')
        items = self._items_from_ids([r['id'] for r in rows])
        for item, r in zip(items, rows):
            item['label'] = int(r['label'])
        return items

    def __getitem__(self, idx: int) -> dict:
        sample = super().__getitem__(idx)
        sample['data_samples']['label'] = self.items[sample['data_samples']['index']]['label']
        return sample


@DATASETS.register_module()
class AVPairTestDataset(_IdListMixin, AVTestDataset):
    """Paired clips without boxes (retrieval, feature extraction): ``gt_map`` is all zero."""

    def __init__(self, data_root: str, id_list: str, frame_tpl: str = 'frames/{id}.jpg',
                 audio_tpl: str = 'audio/{id}.wav', limit: Optional[int] = None, **kwargs) -> None:
        self.id_list, self.frame_tpl, self.audio_tpl, self.limit = id_list, frame_tpl, audio_tpl, limit
        super().__init__(data_root, **kwargs)

    def load_items(self) -> List[dict]:
        """The clips of ``id_list`` (the first ``limit`` of them, if given)."""
        return self._items_from_ids(_read_ids(_list_path(self.id_list, self.data_root))[:self.limit])

    def gt_map(self, item: dict) -> torch.Tensor:
        return torch.zeros(224, 224)
