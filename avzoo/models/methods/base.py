"""What a method is: the training objective and the test-time map on top of shared encoders."""
from __future__ import annotations

from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def cosine_map(v_map: Tensor, a_emb: Tensor) -> Tensor:
    """Cosine similarity of every location with the paired audio: ``[B, C, h, w]``, ``[B, C]`` ->
    ``[B, h, w]`` in [-1, 1]."""
    return torch.einsum('bchw,bc->bhw', F.normalize(v_map, dim=1), F.normalize(a_emb, dim=1))


class SSLMethod(nn.Module):
    """Base class of a method (registered in ``MODELS``).

    ``views``: the extra input views the method trains on (``'aug'``, ``'nn'``); the dataset must
    produce them. ``loss`` gets the encoder outputs per view: ``v_maps[view]`` ``[B, C, h, w]`` and
    ``a_embs[view]`` ``[B, C]`` (``view`` in ``'' | 'aug' | 'nn'``) and returns named losses.
    ``localization_map`` gives the raw test-time map ``[B, h, w]`` (higher = sounding),
    ``confidence`` a per-sample score ``[B]``, ``embeddings`` the global embeddings.
    """

    views: Tuple[str, ...] = ()

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        raise NotImplementedError

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        return cosine_map(v_map, a_emb)

    def confidence(self, raw_map: Tensor) -> Tensor:
        """Default: mean of the top 25 % of the raw map's values (SLAVC's rule without its
        method-specific rescaling, which is monotone per method)."""
        flat = raw_map.flatten(1)
        k = max(1, flat.shape[1] // 4)
        return flat.topk(k, dim=1).values.mean(dim=1)

    def embeddings(self, v_map: Tensor, a_emb: Tensor) -> Dict[str, Tensor]:
        """Backbone embeddings (visual average-pooled), L2-normalised."""
        return dict(visual=F.normalize(v_map.mean(dim=(2, 3)), dim=1), audio=F.normalize(a_emb, dim=1))
