"""Positive mining at the paper's scale: exact kNN over N x D float32 embeddings, k neighbours.

    python tools/bench_mining.py [--n 144000] [--k 1000] [--d 512] [--backend auto] [--busy] [--previous]
    python tools/bench_mining.py --backend faiss_ivf --clustered      # approximate: recall@k vs exact

Each phase runs in its own process, so its peak RSS is its own: ``mine`` (avzoo's blockwise
KNNMiner, checked against brute force on a subset of queries first) and ``naive`` (a full
similarity matrix + NumPy top-k, on the largest size that fits in --naive-gb, timed beside the
miner on the same size). ``--busy`` keeps one more process spinning on a core during the run (the
2-core machines are shared). Last line: one JSON object
``{"n", "k", "device", "wall_s", "peak_rss_gb", "naive_ratio", ...}``.
"""
import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import time

import numpy as np


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20


CLUSTERED = False


def _data(n: int, d: int) -> np.ndarray:
    """Gaussian embeddings; with --clustered, a mixture around n // 100 centres (closer to real
    encoders' embeddings, where approximate search has structure to use)."""
    rng = np.random.default_rng(0)
    if not CLUSTERED:
        return rng.standard_normal((n, d), dtype=np.float32)
    centres = rng.standard_normal((max(1, n // 100), d), dtype=np.float32)
    return centres[rng.integers(0, len(centres), n)] + 0.5 * rng.standard_normal((n, d), dtype=np.float32)


def phase_mine(n: int, d: int, k: int, backend: str, check: int) -> dict:
    import torch
    import torch.nn.functional as F

    from avzoo.miners import KNNMiner
    x = _data(n, d)
    miner = KNNMiner(k=k, backend=backend)
    t0 = time.perf_counter()
    nn = miner(x)
    wall = time.perf_counter() - t0
    peak = _peak_rss_gb()                 # before the check below allocates its own
    # brute force on the first `check` queries: the same k similarities, nearest first
    t = F.normalize(torch.from_numpy(x), dim=1)
    sims = (t[:check] @ t.t()).double()
    sims[torch.arange(check), torch.arange(check)] = -float('inf')
    best = sims.topk(k, dim=1)
    found = torch.from_numpy(nn[:check]).long()
    got = sims.gather(1, found.clamp_min(0)).masked_fill(found < 0, -float('inf'))   # -1: no neighbour found
    ok = bool(torch.allclose(got, best.values, atol=1e-5, rtol=0))
    recall = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(nn[:check].tolist(), best.indices.tolist())]))
    return dict(wall_s=round(wall, 2), peak_rss_gb=round(peak, 3), checked_queries=check,
                matches_brute_force=ok, recall_at_k=round(recall, 4), backend=miner._backend(),
                device='cuda' if miner._backend() == 'torch' and torch.cuda.is_available() else 'cpu')


def phase_previous(n: int, d: int, k: int) -> dict:
    """avzoo's miner before the blockwise one (kept here to measure against): one faiss search of
    all queries at once (N x (k + 1) float32 + int64 results) and the query dropped row by row."""
    import faiss
    import torch
    import torch.nn.functional as F
    x = F.normalize(torch.from_numpy(_data(n, d)), dim=1)
    t0 = time.perf_counter()
    index = faiss.IndexFlatIP(d)
    index.add(x.numpy())
    _, idx = index.search(x.numpy(), k + 1)
    idx = torch.from_numpy(idx)
    keep = idx != torch.arange(n).unsqueeze(1)
    torch.stack([r[m][:k] for r, m in zip(idx, keep)]).numpy().astype(np.int64)
    return dict(wall_s=round(time.perf_counter() - t0, 2), peak_rss_gb=round(_peak_rss_gb(), 3))


def phase_naive(n: int, d: int, k: int) -> dict:
    x = _data(n, d)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    t0 = time.perf_counter()
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    part = np.argpartition(-sims, k, axis=1)[:, :k]
    order = np.take_along_axis(sims, part, axis=1).argsort(axis=1)[:, ::-1]
    np.take_along_axis(part, order, axis=1)
    return dict(wall_s=round(time.perf_counter() - t0, 2), peak_rss_gb=round(_peak_rss_gb(), 3))


def _child(args, phase: str, n: int) -> dict:
    cmd = [sys.executable, __file__, '--phase', phase, '--n', str(n), '--k', str(args.k), '--d', str(args.d),
           '--backend', args.backend, '--check', str(args.check)] + (['--clustered'] if args.clustered else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    return json.loads(out[-1])


def _spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, default=144_000)
    parser.add_argument('--k', type=int, default=1000)
    parser.add_argument('--d', type=int, default=512)
    parser.add_argument('--backend', default='auto')
    parser.add_argument('--check', type=int, default=256)
    parser.add_argument('--naive-gb', type=float, default=4.0, help='memory for the naive similarity matrix')
    parser.add_argument('--busy', action='store_true', help='keep another core busy meanwhile')
    parser.add_argument('--clustered', action='store_true', help='clustered embeddings (for approximate search)')
    parser.add_argument('--previous', action='store_true', help="also time avzoo's previous miner at full size")
    parser.add_argument('--phase', choices=('mine', 'naive', 'previous'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CLUSTERED
    CLUSTERED = args.clustered
    if args.phase == 'mine':
        print(json.dumps(phase_mine(args.n, args.d, args.k, args.backend, args.check)))
        return
    if args.phase == 'naive':
        print(json.dumps(phase_naive(args.n, args.d, args.k)))
        return
    if args.phase == 'previous':
        print(json.dumps(phase_previous(args.n, args.d, args.k)))
        return
    spinner = multiprocessing.Process(target=_spin, daemon=True) if args.busy else None
    if spinner:
        spinner.start()
    try:
        full = _child(args, 'mine', args.n)
        print(json.dumps(dict(phase='miner', n=args.n, **full)), flush=True)
        previous = _child(args, 'previous', args.n) if args.previous else None
        if previous:
            print(json.dumps(dict(phase='previous miner', n=args.n, **previous)), flush=True)
        m = min(args.n, int((args.naive_gb * 2 ** 30 / 4) ** 0.5) // 1024 * 1024)   # largest n whose n x n fits
        naive = _child(args, 'naive', m)
        small = _child(args, 'mine', m)
        print(json.dumps(dict(phase='naive vs miner', n=m, naive=naive, miner=small)), flush=True)
    finally:
        if spinner:
            spinner.terminate()
    print(json.dumps(dict(n=args.n, k=args.k, device=full['device'], wall_s=full['wall_s'],
                          peak_rss_gb=full['peak_rss_gb'], matches_brute_force=full['matches_brute_force'],
                          recall_at_k=full['recall_at_k'], backend=full['backend'],
                          naive_n=m, naive_ratio=round(naive['wall_s'] / small['wall_s'], 2),
                          naive_peak_rss_gb=naive['peak_rss_gb'], busy_core=args.busy,
                          **(dict(previous_wall_s=previous['wall_s'], previous_peak_rss_gb=previous['peak_rss_gb'])
                             if previous else {}))))


if __name__ == '__main__':
    main()
