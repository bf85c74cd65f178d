"""OnlineNeighbourHook: identity neighbours before the first refresh; at a refresh, exactly the
kNN of the model's own projected embeddings of the training anchors."""
from types import SimpleNamespace

import numpy as np
import pytest

from avzoo.apis.model import init_model
from avzoo.engine.config import load_config
from avzoo.engine.hooks.online_neighbour_hook import OnlineNeighbourHook
from avzoo.miners import KNNMiner
from avzoo.miners.online import model_embeddings
from avzoo.registry import DATASETS
from avzoo.utils.errors import AvzooError

CONFIG = 'alignment/alignment_small_1xb32-online-nn-5e_synth.py'


def _runner(tiny_synth, epoch, persistent=False):
    cfg = load_config(CONFIG, data_root=tiny_synth)
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    model = init_model(CONFIG)
    loader = SimpleNamespace(dataset=ds, persistent_workers=persistent)
    return SimpleNamespace(train_dataloader=loader, model=model, epoch=epoch), ds, model


def test_online_refresh_mines_the_models_own_space(tiny_synth):
    runner, ds, model = _runner(tiny_synth, epoch=0)
    hook = OnlineNeighbourHook(miner=dict(type='KNNMiner', k=3, backend='faiss'), interval=2, start_epoch=1)
    hook.before_run(runner)
    assert (ds.image_nn[:, 0] == np.arange(len(ds))).all() and (ds.audio_nn[:, 0] == np.arange(len(ds))).all()
    hook.before_train_epoch(runner)                      # epoch 0 < start_epoch: unchanged
    assert ds.image_nn.shape[1] == 1
    runner.epoch = 1
    hook.before_train_epoch(runner)
    v, a = model_embeddings(model, ds)
    assert v.shape == (len(ds), 64) and a.shape == (len(ds), 64)      # the projected space (proj_dim 64)
    np.testing.assert_array_equal(ds.image_nn, KNNMiner(k=3, backend='faiss')(v))
    np.testing.assert_array_equal(ds.audio_nn, KNNMiner(k=3, backend='faiss')(a))
    assert not (ds.image_nn == np.arange(len(ds))[:, None]).any()
    before = ds.image_nn.copy()
    runner.epoch = 2                                      # (2 - 1) % 2 != 0: no refresh
    ds.set_neighbours(before[:, :1], before[:, :1])
    hook.before_train_epoch(runner)
    assert ds.image_nn.shape[1] == 1


def test_online_refresh_refuses_persistent_workers(tiny_synth):
    runner, _, _ = _runner(tiny_synth, epoch=0, persistent=True)
    with pytest.raises(AvzooError, match='persistent_workers'):
        OnlineNeighbourHook(miner=dict(type='KNNMiner', k=3)).before_run(runner)
