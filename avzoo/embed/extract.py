"""Embed a training list with a frozen encoder, in resumable shards.

``out/`` receives ``shard_00000.npy`` ... (``[<= shard_size, D]`` float32, rows in id order), a
``meta.json`` that records the encoder config, the weights' SHA-256, the id list (path and SHA-1)
and the shards written, and at the end ``embeddings.npy`` ``[N, D]`` + ``ids.txt``, which
:class:`~avzoo.miners.NpyFeatures` reads. A restarted run with the same inputs skips finished
shards; a run whose inputs differ from ``meta.json`` is refused instead of mixing shards.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from typing import List, Optional, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from avzoo.utils.errors import AvzooError

# Shortcuts for `avzoo embed --encoder NAME`: the paper's four pre-trained encoders.
ENCODERS = {
    'imagenet_resnet18': dict(type='ImageNetResNet', arch='resnet18'),
    'imagenet_resnet50': dict(type='ImageNetResNet', arch='resnet50'),
    'vggsound_audio': dict(type='VGGSoundAudioNet'),
    'clip_image': dict(type='OpenCLIPImage', model_name='ViT-B-32'),
    'wav2clip_audio': dict(type='Wav2CLIPAudio'),
}


def encoder_config(name: str, config: Optional[str] = None, modality: str = 'image', projected: bool = False) -> dict:
    """The embedder config of ``avzoo embed --encoder NAME``: a pre-trained encoder of
    :data:`ENCODERS`, or ``checkpoint`` (an avzoo model of ``config``: its ``modality`` encoder,
    ``projected`` through the method's heads)."""
    if name == 'checkpoint':
        if config is None:
            raise AvzooError('--encoder checkpoint needs --config (the config the checkpoint was trained with)')
        return dict(type='CheckpointEmbedder', config=config, modality=modality, projected=projected)
    if name not in ENCODERS:
        raise AvzooError(f'unknown --encoder {name!r}; choose from {sorted(ENCODERS) + ["checkpoint"]}')
    return dict(ENCODERS[name])


def file_sha256(path: Optional[str]) -> Optional[str]:
    if path is None:
        return None
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


class _Items(Dataset):
    """Item ``i`` -> (prepared input, ok); a missing or corrupt file gives zeros and ok=False."""

    def __init__(self, embedder, paths: Sequence[str]) -> None:
        self.embedder, self.paths = embedder, list(paths)
        self._shape = None

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int):
        from avzoo.datasets.media import MediaError
        try:
            x = self.embedder.prepare(self.embedder.read(self.paths[i]))
            return x, True
        except MediaError:
            return None, False


def _collate(batch):
    shapes = [x.shape for x, ok in batch if ok]
    if not shapes:
        return None, torch.zeros(len(batch), dtype=torch.bool)
    ok = torch.tensor([o for _, o in batch])
    xs = [x if o else torch.zeros(shapes[0], dtype=next(x for x, o2 in batch if o2).dtype) for x, o in batch]
    return torch.stack(xs), ok


def _meta_inputs(encoder: dict, weights: Optional[str], ids: List[str], id_list: str, template: str,
                 shard_size: int) -> dict:
    return dict(encoder=encoder, weights=weights and os.path.abspath(weights), weights_sha256=file_sha256(weights),
                id_list=id_list, ids_sha1=hashlib.sha1('\n'.join(ids).encode()).hexdigest(), n=len(ids),
                template=template, shard_size=shard_size)


def embed_ids(encoder: dict, weights: Optional[str], data_root: str, ids: List[str], out: str,
              id_list: str = '', template: Optional[str] = None, batch_size: int = 64, num_workers: int = 0,
              shard_size: int = 4096, device: Optional[str] = None, progress: bool = True) -> str:
    """Embed ``ids`` (files ``data_root/template.format(id=...)``; default ``frames/{id}.jpg`` or
    ``audio/{id}.wav`` by the encoder's modality) into ``out`` (see the module docstring); returns
    the path of ``embeddings.npy``. Missing / corrupt files are embedded as zero rows (cosine 0 to
    every row), counted per shard in ``meta.json`` and logged."""
    from mmengine.logging import print_log
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401  (registration)
    from avzoo.registry import EMBEDDERS
    init_default_scope('avzoo')
    cfg = dict(encoder, weights=weights)
    embedder = EMBEDDERS.build(cfg).eval()
    template = template or ('frames/{id}.jpg' if embedder.modality == 'image' else 'audio/{id}.wav')
    inputs = _meta_inputs(encoder, weights, ids, id_list, template, shard_size)
    os.makedirs(out, exist_ok=True)
    meta_path = os.path.join(out, 'meta.json')
    meta = dict(inputs=inputs, shards={}, n_failed=0)
    if os.path.isfile(meta_path):
        with open(meta_path) as f:
            old = json.load(f)
        if old.get('inputs') != inputs:
            changed = sorted(k for k in inputs if old.get('inputs', {}).get(k) != inputs[k])
            raise AvzooError(f'{out}: holds embeddings of other inputs (differs in {changed}); '
                             f'choose another --out or delete the folder')
        meta = old
    dev = torch.device(device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    embedder.to(dev)
    n_shards = (len(ids) + shard_size - 1) // shard_size
    t0 = time.time()
    for s in range(n_shards):
        name = f'shard_{s:05d}.npy'
        if name in meta['shards'] and os.path.isfile(os.path.join(out, name)):
            continue
        chunk = ids[s * shard_size:(s + 1) * shard_size]
        paths = [os.path.join(data_root, template.format(id=i)) for i in chunk]
        loader = DataLoader(_Items(embedder, paths), batch_size=batch_size, num_workers=num_workers,
                            collate_fn=_collate, pin_memory=dev.type == 'cuda')
        feats, failed = [], 0
        iterator = loader
        if progress:
            from avzoo.utils.terminal import track
            iterator = track(loader, description=f'embed {embedder.modality} shard {s + 1}/{n_shards}')
        with torch.no_grad():
            for x, ok in iterator:
                failed += int((~ok).sum())
                if x is None:                       # a batch with no readable item: zero rows, sized below
                    feats.append(len(ok))
                    continue
                f = embedder(x.to(dev, non_blocking=True)).float().cpu()
                f[~ok] = 0.0
                feats.append(f)
        dims = [f.shape[1] for f in feats if isinstance(f, torch.Tensor)]
        if not dims:
            raise AvzooError(f'embed: no readable item among the {len(chunk)} ids of shard {s + 1} '
                             f'(first path: {paths[0]}); check --data-root and --template')
        arr = torch.cat([f if isinstance(f, torch.Tensor) else torch.zeros(f, dims[0]) for f in feats]).numpy()
        tmp = os.path.join(out, name + '.partial.npy')
        np.save(tmp, arr)
        os.replace(tmp, os.path.join(out, name))
        meta['shards'][name] = dict(rows=len(chunk), failed=failed)
        meta['n_failed'] = sum(v['failed'] for v in meta['shards'].values())
        _write_json(meta_path, meta)
        print_log(f'embed: shard {s + 1}/{n_shards} ({len(chunk)} items, {failed} unreadable) '
                  f'in {time.time() - t0:.0f} s', logger='current')
    final = os.path.join(out, 'embeddings.npy')
    arr = np.concatenate([np.load(os.path.join(out, f'shard_{s:05d}.npy')) for s in range(n_shards)])
    tmp = final + '.partial.npy'
    np.save(tmp, arr.astype(np.float32))
    os.replace(tmp, final)
    with open(os.path.join(out, 'ids.txt'), 'w') as f:
        f.write('\n'.join(ids) + '\n')
    meta['dim'] = int(arr.shape[1])
    _write_json(meta_path, meta)
    if meta['n_failed']:
        print_log(f'embed: {meta["n_failed"]} of {len(ids)} items unreadable, embedded as zero rows '
                  f'(listed per shard in {meta_path})', logger='current', level=30)
    return final


def _write_json(path: str, obj: dict) -> None:
    from avzoo.utils.io import write_atomic
    write_atomic(path, json.dumps(obj, indent=1))
