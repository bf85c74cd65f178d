"""avzoo's training loop: MMEngine's epoch loop that resumes inside an epoch and seeds every
iteration.

Resuming from an iteration checkpoint (``CheckpointHook(by_epoch=False, interval=N)``), the
loop skips the batches of the current epoch that were already trained on (the sampler drops
their indices without loading them) instead of training the epoch again from its start. Before
every iteration the main process's generators (Python, NumPy, torch on every device) are seeded
from (seed, iteration), so what an iteration draws (spectrogram masks, ...) depends on nothing
that happened before it: with the per-sample seeds of :class:`~avzoo.datasets.SeededSampler`, a
run killed anywhere and resumed trains exactly as an uninterrupted one.
"""
from __future__ import annotations

from mmengine.runner import EpochBasedTrainLoop

from avzoo.datasets.sampler import derive_seed, seed_everything
from avzoo.registry import LOOPS


@LOOPS.register_module()
class AvzooEpochLoop(EpochBasedTrainLoop):
    """:class:`EpochBasedTrainLoop` with in-epoch resume and per-iteration seeding (see module).
    Resumed from the last epoch's checkpoint (a kill during the final validation), it has nothing
    left to train: it says so and runs that validation instead of ending silently."""

    def run(self):
        if self._epoch < self._max_epochs or self.stop_training:
            return super().run()
        self.runner.call_hook('before_train')
        if self.runner.val_loop is not None:
            self.runner.logger.warning(f'resumed after the last epoch ({self._max_epochs}): nothing left to train; '
                                       f'running the final validation (the interrupted run may not have finished it)')
            self.runner.val_loop.run()
        else:
            self.runner.logger.warning(f'resumed after the last epoch ({self._max_epochs}): nothing left to train')
        self.runner.call_hook('after_train')
        return self.runner.model

    def run_epoch(self) -> None:
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        n_batches = len(self.dataloader)
        done = min(max(self._iter - self._epoch * n_batches, 0), n_batches)
        sampler = getattr(self.dataloader, 'sampler', None)
        if done:
            if not hasattr(sampler, 'skip'):
                raise RuntimeError('resuming inside an epoch needs a sampler with `skip` (SeededSampler)')
            sampler.skip = done * self.dataloader.batch_size
            self.runner.logger.info(f'resuming inside epoch {self._epoch + 1}: skipping its first {done} batches')
        for idx, data_batch in enumerate(self.dataloader, start=done):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def run_iter(self, idx, data_batch) -> None:
        seed_everything(derive_seed(self.runner.seed if self.runner.seed is not None else 0, self._iter))
        super().run_iter(idx, data_batch)
