from .generate import SynthConfig, generate
from .world import make_categories

__all__ = ['SynthConfig', 'generate', 'make_categories']
