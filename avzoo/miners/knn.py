"""Exact k-nearest-neighbour positive miners over L2-normalised embeddings (cosine), in blocks:
memory O(N * k + block), never N * N."""
from __future__ import annotations

from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F

from avzoo.registry import MINERS
from avzoo.utils.errors import AvzooError

PAPER_K, PAPER_N = 1000, 144_000  # the paper's k for VGGSound-144K
BACKENDS = ('auto', 'faiss', 'torch', 'faiss_ivf')


def scaled_k(n: int, k: Optional[int]) -> int:
    """``k`` if given, else the paper's ratio (1000 per 144K samples) applied to ``n``; at least 1."""
    k = max(1, round(n * PAPER_K / PAPER_N)) if k is None else k
    if not 1 <= k < n:
        raise AvzooError(f'kNN miner: k={k} must be in [1, {n - 1}] for {n} samples')
    return k


def drop_self(idx: torch.Tensor, rows: torch.Tensor, k: int) -> torch.Tensor:
    """``[B, k + 1]`` neighbour lists of the queries ``rows`` ``[B]`` -> ``[B, k]`` without the
    query itself; a row whose query is not among them (exact duplicates tie with it) loses its
    last entry instead. Order is kept."""
    keep = idx != rows[:, None]
    full = keep.all(dim=1)
    keep[full, -1] = False
    return idx[keep].view(idx.shape[0], k)


@MINERS.register_module()
class KNNMiner:
    """Top-k neighbours of every row, the row itself excluded: ``[N, D]`` -> ``[N, k]`` int32,
    nearest first (cosine similarity).

    Queries are searched ``block`` rows at a time and written into one int32 result, so memory is
    O(N * k + block * N) at most. ``backend``: ``'faiss'`` (exact inner-product index, the CPU
    path), ``'torch'`` (matrix product + ``topk``, on ``device``; the GPU path) or ``'auto'``
    (torch on a GPU when one is present, else faiss). ``'faiss_ivf'`` is approximate, for sets past
    a few million: an inverted file of ``nlist`` cells (default ``4 * sqrt(N)``), ``nprobe`` of them
    searched per query; ``tools/bench_mining.py --backend faiss_ivf`` measures its recall@k against
    exact search. ``k=None`` scales the paper's k = 1000 @ 144K with the data size.
    """

    def __init__(self, k: Optional[int] = None, backend: str = 'auto', block: int = 4096,
                 device: Optional[str] = None, nlist: Optional[int] = None, nprobe: int = 32) -> None:
        if backend not in BACKENDS:
            raise AvzooError(f'KNNMiner.backend must be one of {BACKENDS}, got {backend!r}')
        self.k, self.backend, self.block, self.device = k, backend, block, device
        self.nlist, self.nprobe = nlist, nprobe

    def _backend(self) -> str:
        if self.backend != 'auto':
            return self.backend
        return 'torch' if torch.cuda.is_available() or (self.device or '').startswith('cuda') else 'faiss'

    def __call__(self, feats: np.ndarray) -> np.ndarray:
        x = F.normalize(torch.as_tensor(np.asarray(feats, dtype=np.float32)), dim=1)
        n = x.shape[0]
        k = scaled_k(n, self.k)
        out = np.empty((n, k), dtype=np.int32)
        if self._backend() == 'faiss_ivf':
            self._search_ivf(x.numpy(), k, out)
        elif self._backend() == 'faiss':
            import faiss
            base = x.numpy()                  # searched in place: no index copy of the embeddings
            for s in range(0, n, self.block):
                _, idx = faiss.knn(base[s:s + self.block], base, k + 1, metric=faiss.METRIC_INNER_PRODUCT)
                rows = torch.arange(s, min(s + self.block, n))
                out[s:s + len(rows)] = drop_self(torch.from_numpy(idx), rows, k).numpy()
        else:
            device = torch.device(self.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
            keys = x.to(device)
            block = self.block if device.type == 'cuda' else max(1, min(self.block, (64 << 20) // (4 * n)))
            for s in range(0, n, block):
                sims = keys[s:s + block] @ keys.t()                                # [b, N]
                idx = sims.topk(k + 1, dim=1).indices
                rows = torch.arange(s, min(s + block, n), device=device)
                out[s:s + len(rows)] = drop_self(idx, rows, k).cpu().numpy()
        return out

    def _search_ivf(self, base: np.ndarray, k: int, out: np.ndarray) -> None:
        import faiss
        n, d = base.shape
        nlist = self.nlist or max(1, int(4 * n ** 0.5))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = base[np.random.default_rng(0).permutation(n)[:min(n, 64 * nlist)]]
        index.train(sample)
        index.add(base)
        index.nprobe = min(self.nprobe, nlist)
        for s in range(0, n, self.block):
            _, idx = index.search(base[s:s + self.block], k + 1)
            rows = torch.arange(s, min(s + self.block, n))
            out[s:s + len(rows)] = drop_self(torch.from_numpy(idx), rows, k).numpy()
