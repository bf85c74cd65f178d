"""An example of a method defined outside avzoo: importing this package registers it."""
from .max_pool_nce import MaxPoolNCE

__all__ = ['MaxPoolNCE']
