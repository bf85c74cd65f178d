"""avzoo's MMEngine hooks, one per file; each registers itself in ``HOOKS``."""
from .checkpoint_hook import AvzooCheckpointHook
from .finite_loss_hook import FiniteLossHook
from .heatmap_vis_hook import HeatmapVisHook
from .method_epoch_hook import MethodEpochHook
from .online_neighbour_hook import OnlineNeighbourHook
from .positive_mining_hook import PositiveMiningHook
from .rich_progress_hook import RichProgressHook
from .skip_report_hook import SkipReportHook

__all__ = ['AvzooCheckpointHook', 'FiniteLossHook', 'HeatmapVisHook', 'MethodEpochHook', 'OnlineNeighbourHook',
           'PositiveMiningHook', 'RichProgressHook', 'SkipReportHook']
