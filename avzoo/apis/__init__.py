"""The Python API: a model from a method name or config (:mod:`.model`), its map on a frame and a
sound (:mod:`.localize`), and cross-modal retrieval (:mod:`.retrieval`); see ``model``'s docstring."""
from .model import init_model, model_config

__all__ = ['init_model', 'model_config']
