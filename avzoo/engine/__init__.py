from .checkpoint import allow_mmengine_checkpoint_globals, read_checkpoint, safe_torch_load
from .hooks import MethodEpochHook, OnlineNeighbourHook, PositiveMiningHook, RichProgressHook, SkipReportHook
from .loops import AvzooEpochLoop
from .precision import BF16OptimWrapper
from .runner import AvzooRunner
from .vis_hook import HeatmapVisHook
from .safety import AvzooCheckpointHook, FiniteLossHook, WorkDirLock, newest_checkpoint

__all__ = ['AvzooCheckpointHook', 'AvzooEpochLoop', 'AvzooRunner', 'BF16OptimWrapper', 'FiniteLossHook', 'HeatmapVisHook', 'MethodEpochHook',
           'OnlineNeighbourHook', 'PositiveMiningHook', 'RichProgressHook', 'SkipReportHook', 'WorkDirLock',
           'allow_mmengine_checkpoint_globals', 'newest_checkpoint', 'read_checkpoint', 'safe_torch_load']
