from .generate import SynthConfig, ensure, generate
from .world import make_categories

__all__ = ['SynthConfig', 'ensure', 'generate', 'make_categories']
