"""The blockwise kNN miner equals brute force; neighbour files refuse other inputs; the sampling
modes give what they promise."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from avzoo.miners import KNNMiner
from avzoo.utils.errors import AvzooError


def brute_force(x: np.ndarray, k: int):
    """Full similarity matrix, self excluded: similarities of the k best per row, sorted."""
    t = F.normalize(torch.from_numpy(x), dim=1).double()
    sims = t @ t.t()
    sims.fill_diagonal_(-float('inf'))
    return sims, sims.topk(k, dim=1).values


@pytest.mark.parametrize('backend,block', [('faiss', 7), ('torch', 5), ('faiss', 4096)])
def test_blockwise_neighbours_equal_brute_force_with_ties(backend, block):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 8)).astype(np.float32)
    x[10] = x[3]                              # an exact duplicate: a tie with the query itself
    x[20:25] = x[20]                          # a group of five identical rows
    x[30:33] = np.round(x[30:33], 0)          # near-ties
    k = 6
    got = KNNMiner(k=k, backend=backend, block=block)(x)
    assert got.shape == (60, k) and got.dtype == np.int32
    assert (got != np.arange(60)[:, None]).all()                         # never the query itself
    sims, best = brute_force(x, k)
    got_sims = sims.gather(1, torch.from_numpy(got).long())
    torch.testing.assert_close(got_sims, best, atol=1e-5, rtol=0)       # the k best, nearest first
    strict = best[:, -1] > sims.topk(k + 1, dim=1).values[:, -1] + 1e-6  # no tie at the k-th place
    ref = sims.topk(k, dim=1).indices
    for i in np.flatnonzero(strict.numpy()):
        assert set(got[i].tolist()) == set(ref[i].tolist())


def test_k_one_is_always_the_nearest_and_k_is_checked():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 5)).astype(np.float32)
    sims, _ = brute_force(x, 1)
    assert (KNNMiner(k=1, backend='faiss')(x)[:, 0] == sims.argmax(dim=1).numpy()).all()
    with pytest.raises(AvzooError, match='k=40 must be in'):
        KNNMiner(k=40)(x)


def test_neighbour_file_refuses_other_inputs(synth_copy, tmp_path):
    from avzoo.datasets.pairs import AVPairDataset
    from avzoo.miners import neighbour_key
    ds = AVPairDataset(f'{synth_copy}/train', id_list='synth_train.txt', image_size=32,
                       audio=dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0), views=('nn',))
    n = len(ds)
    path = tmp_path / 'nn.npz'
    feats, miner = dict(type='NpyFeatures', image='a.npy', audio='b.npy'), dict(type='KNNMiner', k=3)
    np.savez(path, ids=np.array(ds.ids), image=np.zeros((n, 3), np.int32), audio=np.zeros((n, 3), np.int32),
             key=np.array(neighbour_key(feats, miner, ds.ids)))
    ds.load_neighbours(str(path), key=neighbour_key(feats, miner, ds.ids))          # the same inputs: fine
    with pytest.raises(AvzooError, match='mined from other inputs'):
        ds.load_neighbours(str(path), key=neighbour_key(feats, dict(miner, k=4), ds.ids))


def test_sampling_modes(synth_copy):
    from avzoo.datasets.pairs import AVPairDataset
    kw = dict(id_list='synth_train.txt', image_size=32, audio=dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0),
              views=('nn',), image_pipeline=[dict(type='tv/RandomResizedCrop', size=32, scale=(0.2, 1.0))])
    itself = AVPairDataset(f'{synth_copy}/train', nn_sampling='self', **kw)
    for i in range(4):
        s = itself[i]['inputs']
        assert torch.equal(s['image_nn'], s['image']) and torch.equal(s['audio_nn'], s['audio'])   # bit-identical
    fixed = AVPairDataset(f'{synth_copy}/train', nn_sampling='fixed', **kw)
    n = len(fixed)
    table = np.stack([(np.arange(n) + j) % n for j in (1, 2, 3)], axis=1).astype(np.int32)
    fixed.set_neighbours(table, table)
    assert all(fixed._pick(i, table) == (i + 1) % n for i in range(n))                  # always the nearest
    rand = AVPairDataset(f'{synth_copy}/train', nn_sampling='random', **kw)
    rand.set_neighbours(table, table)
    picks = {rand._pick(0, table) for _ in range(60)}
    assert picks == {1, 2, 3}                                                            # uniform in the top-k


def test_approximate_search_is_exact_when_it_probes_every_cell_and_close_otherwise():
    rng = np.random.default_rng(2)
    centres = rng.standard_normal((20, 16)).astype(np.float32)
    x = (centres[rng.integers(0, 20, 1500)] + 0.3 * rng.standard_normal((1500, 16))).astype(np.float32)
    k = 10
    exact = KNNMiner(k=k, backend='faiss')(x)
    full = KNNMiner(k=k, backend='faiss_ivf', nlist=16, nprobe=16)(x)
    sims, best = brute_force(x, k)
    torch.testing.assert_close(sims.gather(1, torch.from_numpy(full).long()), best, atol=1e-5, rtol=0)
    few = KNNMiner(k=k, backend='faiss_ivf', nlist=64, nprobe=2)(x)
    recall = np.mean([len(set(a) & set(b)) / k for a, b in zip(few.tolist(), exact.tolist())])
    assert 0.5 < recall <= 1.0
