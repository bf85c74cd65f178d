from .hooks import PositiveMiningHook, RichProgressHook, SkipReportHook
from .runner import AvzooRunner, allow_mmengine_checkpoint_globals

__all__ = ['AvzooRunner', 'PositiveMiningHook', 'RichProgressHook', 'SkipReportHook',
           'allow_mmengine_checkpoint_globals']
