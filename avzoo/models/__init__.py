from . import batched_augment, encoders, methods  # noqa: F401  (registration)
from .heads import MLPProjection
from .localizer import AVLocalizer
from .preprocessor import AVDataPreprocessor

__all__ = ['AVDataPreprocessor', 'AVLocalizer', 'MLPProjection']
