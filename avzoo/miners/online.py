"""Online positives (beyond the paper): neighbours mined in the model's own embedding space.

:func:`model_embeddings` embeds every training clip's anchor (frame resized, centred audio window,
no augmentation) with the model being trained; the projected embeddings where the method has
projection heads (the alignment space), else the pooled backbone features.
"""
from __future__ import annotations

from typing import Tuple

import numpy as np
import torch
from torch.utils.data import DataLoader

from avzoo.miners.features import _ClipItems


@torch.no_grad()
def model_embeddings(model, dataset, batch_size: int = 128, projected: bool = True) -> Tuple[np.ndarray, np.ndarray]:
    """``[N, D_v]``, ``[N, D_a]`` float32 embeddings of ``dataset``'s clips, in its order."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    loader = DataLoader(_ClipItems(dataset.items, dataset.image_size, dataset.audio), batch_size=batch_size)
    feats = dict(visual=[], audio=[])
    for image, audio, _, _ in loader:
        batch = model.data_preprocessor(dict(inputs=dict(image=image.to(device), audio=audio.to(device))))['inputs']
        v_map, a_emb = model.encode(batch['image'], batch['audio'])
        emb = model.method.embeddings(v_map, a_emb)
        for m in ('visual', 'audio'):
            key = f'{m}_proj' if projected and f'{m}_proj' in emb else m
            feats[m].append(emb[key].float().cpu())
    model.train(was_training)
    return torch.cat(feats['visual']).numpy(), torch.cat(feats['audio']).numpy()
