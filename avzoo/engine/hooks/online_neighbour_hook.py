"""Re-mines positives from the model's own embeddings during training (online NN)."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmengine.logging import print_log

from avzoo.engine.hooks.skip_report_hook import loader_dataset
from avzoo.registry import HOOKS


@HOOKS.register_module()
class OnlineNeighbourHook(Hook):
    """Semantic positives without pre-trained encoders (beyond the paper): every ``interval``
    epochs from ``start_epoch`` on, embed the training clips with the model itself
    (:func:`avzoo.miners.online.model_embeddings`, projected embeddings by default) and re-mine
    each modality's neighbours with ``miner``. Until the first refresh each clip is its own
    neighbour (its ``nn`` view is another augmented draw of the anchor). Needs loaders without
    persistent workers, which would keep a stale copy of the neighbour table."""

    priority = 'VERY_HIGH'

    def __init__(self, miner: dict, interval: int = 1, start_epoch: int = 1, projected: bool = True) -> None:
        if interval < 1 or start_epoch < 0:
            raise ValueError(f'OnlineNeighbourHook: interval >= 1 and start_epoch >= 0, got {interval}, {start_epoch}')
        self.miner_cfg, self.interval, self.start_epoch, self.projected = miner, interval, start_epoch, projected

    def before_run(self, runner) -> None:
        import numpy as np
        loader = getattr(runner, 'train_dataloader', None)
        ds = loader_dataset(loader)
        if ds is None or 'nn' not in getattr(ds, 'views', ()):
            return
        if getattr(loader, 'persistent_workers', False):
            from avzoo.utils.errors import AvzooError
            raise AvzooError('OnlineNeighbourHook: set train_dataloader.persistent_workers=False (persistent '
                             'workers keep the neighbour table of the first epoch)')
        own = np.arange(len(ds))[:, None]
        ds.set_neighbours(own, own)

    def before_train_epoch(self, runner) -> None:
        import time

        from avzoo.miners.online import model_embeddings
        from avzoo.registry import MINERS
        ds = loader_dataset(runner.train_dataloader)
        epoch = runner.epoch
        if ds is None or 'nn' not in getattr(ds, 'views', ()) or epoch < self.start_epoch \
                or (epoch - self.start_epoch) % self.interval:
            return
        t0 = time.time()
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        image_feats, audio_feats = model_embeddings(model, ds, projected=self.projected)
        knn = MINERS.build(self.miner_cfg)
        ds.set_neighbours(knn(image_feats), knn(audio_feats))
        print_log(f'online positives: re-mined neighbours of {len(ds)} clips from the model at epoch {epoch} '
                  f'({time.time() - t0:.0f} s)', logger='current')
