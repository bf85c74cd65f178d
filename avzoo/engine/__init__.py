from .checkpoint import allow_mmengine_checkpoint_globals, read_checkpoint
from .hooks import MethodEpochHook, PositiveMiningHook, RichProgressHook, SkipReportHook
from .runner import AvzooRunner

__all__ = ['AvzooRunner', 'MethodEpochHook', 'PositiveMiningHook', 'RichProgressHook', 'SkipReportHook',
           'allow_mmengine_checkpoint_globals', 'read_checkpoint']
