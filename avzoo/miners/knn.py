"""Exact k-nearest-neighbour positive miners over L2-normalised embeddings (cosine)."""
from __future__ import annotations

from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F

from avzoo.errors import AvzooError
from avzoo.registry import MINERS

PAPER_K, PAPER_N = 1000, 144_000  # the paper's k for VGGSound-144K


def scaled_k(n: int, k: Optional[int]) -> int:
    """``k`` if given, else the paper's ratio (1000 per 144K samples) applied to ``n``; at least 1."""
    k = max(1, round(n * PAPER_K / PAPER_N)) if k is None else k
    if not 1 <= k < n:
        raise AvzooError(f'kNN miner: k={k} must be in [1, {n - 1}] for {n} samples')
    return k


@MINERS.register_module()
class KNNMiner:
    """Top-k neighbours of every row (itself excluded): ``[N, D]`` -> ``[N, k]`` int64, nearest first.

    ``backend='faiss'`` uses an exact inner-product index (``IndexFlatIP``); ``'torch'`` a chunked
    matrix product + ``topk``. ``k=None`` scales the paper's k = 1000 @ 144K with the data size.
    """

    def __init__(self, k: Optional[int] = None, backend: str = 'faiss', chunk: int = 4096) -> None:
        if backend not in ('faiss', 'torch'):
            raise AvzooError(f"KNNMiner.backend must be 'faiss' or 'torch', got {backend!r}")
        self.k, self.backend, self.chunk = k, backend, chunk

    def __call__(self, feats: np.ndarray) -> np.ndarray:
        x = F.normalize(torch.as_tensor(np.asarray(feats, dtype=np.float32)), dim=1)
        n = x.shape[0]
        k = scaled_k(n, self.k)
        if self.backend == 'faiss':
            import faiss
            index = faiss.IndexFlatIP(x.shape[1])
            index.add(x.numpy())
            _, idx = index.search(x.numpy(), k + 1)
            idx = torch.from_numpy(idx)
        else:
            rows = []
            for s in range(0, n, self.chunk):
                rows.append((x[s:s + self.chunk] @ x.t()).topk(k + 1, dim=1).indices)
            idx = torch.cat(rows)
        # drop the query itself (it may not be first when duplicates tie)
        own = torch.arange(n).unsqueeze(1)
        keep = idx != own
        out = torch.stack([r[m][:k] for r, m in zip(idx, keep)])
        return out.numpy().astype(np.int64)
