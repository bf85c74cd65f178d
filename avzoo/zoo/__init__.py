"""The method zoo: every method folder's ``metafile.yml`` gathered into one index (:mod:`.metafile`)
and the tables rendered from it (:mod:`.tables`)."""
from .metafile import (
                       PACKAGE_CONFIGS,
                       PROJECTS_ENV,
                       PROTOCOL_KEYS,
                       RESULT_KEYS,
                       MethodSpec,
                       aliases,
                       config_origin,
                       get_method,
                       label,
                       layout_entries,
                       metafiles,
                       methods,
                       read_metafile,
)
from .tables import methods_markdown, results_markdown, row_label

__all__ = ['MethodSpec', 'PACKAGE_CONFIGS', 'PROJECTS_ENV', 'PROTOCOL_KEYS', 'RESULT_KEYS', 'aliases', 'config_origin',
           'get_method', 'label', 'layout_entries', 'load_metafile', 'metafiles', 'methods', 'methods_markdown', 'read_metafile',
           'results_markdown', 'row_label']
