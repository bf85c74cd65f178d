from .heatmaps import captioned, overlay, save_grid

__all__ = ['captioned', 'overlay', 'save_grid']
