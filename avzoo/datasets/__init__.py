from . import benchmarks  # noqa: F401  (registration)
from .annotated import InteractiveDataset, VGGSSDataset, interactive_group
from .base import AVDataset, AVTestDataset, resolve_media_path
from .negatives import NegativeAudioDataset
from .pairs import AVPairDataset, AVPairTestDataset, LabelledAVDataset, read_id_list
from .sampler import SeededIndex, SeededSampler
from .transforms import LogSpectrogram, build_image_pipeline

__all__ = ['AVDataset', 'AVPairDataset', 'AVPairTestDataset', 'AVTestDataset', 'InteractiveDataset',
           'LabelledAVDataset', 'LogSpectrogram', 'NegativeAudioDataset', 'SeededIndex', 'SeededSampler', 'VGGSSDataset', 'build_image_pipeline',
           'interactive_group', 'read_id_list', 'resolve_media_path']
