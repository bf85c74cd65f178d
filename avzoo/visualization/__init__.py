from .figures import BOX_LEGEND, SCALE_LABEL, Panel, heatmap_figure, save_figure

__all__ = ['BOX_LEGEND', 'Panel', 'SCALE_LABEL', 'heatmap_figure', 'save_figure']
