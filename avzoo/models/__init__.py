from . import encoders, methods  # noqa: F401  (registration)
from .heads import MLPProjection
from .localizer import AVLocalizer, minmax_normalize, upsample_maps
from .preprocessor import AVDataPreprocessor

__all__ = ['AVDataPreprocessor', 'AVLocalizer', 'MLPProjection', 'minmax_normalize', 'upsample_maps']
