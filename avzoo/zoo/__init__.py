"""The method zoo: every method folder's ``metafile.yml`` gathered into one index."""
from .metafile import (
                       PACKAGE_CONFIGS,
                       PROJECTS_ENV,
                       PROTOCOL_KEYS,
                       RESULT_KEYS,
                       MethodSpec,
                       config_origin,
                       get_method,
                       label,
                       metafiles,
                       methods,
                       methods_markdown,
                       read_metafile,
                       results_markdown,
                       row_label,
)

__all__ = ['MethodSpec', 'PACKAGE_CONFIGS', 'PROJECTS_ENV', 'PROTOCOL_KEYS', 'RESULT_KEYS', 'config_origin',
           'get_method', 'label', 'metafiles', 'methods', 'methods_markdown', 'read_metafile', 'results_markdown',
           'row_label']
