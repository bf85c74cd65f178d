"""The training and test machinery on MMEngine: runner, loop, hooks, checkpoints, configs."""
from . import checkpoint  # noqa: F401  (MMEngine reads checkpoints through avzoo's safe loader)
from .hooks import (
                    AvzooCheckpointHook,
                    FiniteLossHook,
                    HeatmapVisHook,
                    MethodEpochHook,
                    OnlineNeighbourHook,
                    PositiveMiningHook,
                    RichProgressHook,
                    SkipReportHook,
)
from .loops import AvzooEpochLoop
from .precision import BF16OptimWrapper
from .runner import AvzooRunner
from .workdir import WorkDirLock, newest_checkpoint

__all__ = ['AvzooCheckpointHook', 'AvzooEpochLoop', 'AvzooRunner', 'BF16OptimWrapper', 'FiniteLossHook', 'HeatmapVisHook',
           'MethodEpochHook', 'OnlineNeighbourHook', 'PositiveMiningHook', 'RichProgressHook', 'SkipReportHook', 'WorkDirLock',
           'newest_checkpoint']
