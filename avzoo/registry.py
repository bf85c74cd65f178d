"""MMEngine child registries of avzoo (scope ``avzoo``).

Each registry names its parent in MMEngine and the modules that fill it, so a config built with
``default_scope='avzoo'`` imports what it needs lazily; ``import avzoo`` imports them eagerly.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

MODELS = Registry('model', parent=MMENGINE_MODELS, scope='avzoo', locations=['avzoo.models'])
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope='avzoo', locations=['avzoo.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS, scope='avzoo',
                      locations=['avzoo.datasets.transforms'])
METRICS = Registry('metric', parent=MMENGINE_METRICS, scope='avzoo', locations=['avzoo.evaluation'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope='avzoo', locations=['avzoo.engine'])
RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, scope='avzoo', locations=['avzoo.engine'])
# Engine parts avzoo does not extend yet: declared so the 'avzoo' scope resolves them cleanly.
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, scope='avzoo', locations=['avzoo.engine'])
DATA_SAMPLERS = Registry('data sampler', parent=MMENGINE_DATA_SAMPLERS, scope='avzoo',
                         locations=['avzoo.datasets'])
EVALUATOR = Registry('evaluator', parent=MMENGINE_EVALUATOR, scope='avzoo', locations=['avzoo.evaluation'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, scope='avzoo', locations=['avzoo.datasets'])
MODEL_WRAPPERS = Registry('model_wrapper', parent=MMENGINE_MODEL_WRAPPERS, scope='avzoo', locations=['avzoo.engine'])
LOG_PROCESSORS = Registry('log processor', parent=MMENGINE_LOG_PROCESSORS, scope='avzoo',
                          locations=['avzoo.engine'])
OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS, scope='avzoo', locations=['avzoo.engine'])
OPTIM_WRAPPERS = Registry('optim_wrapper', parent=MMENGINE_OPTIM_WRAPPERS, scope='avzoo',
                          locations=['avzoo.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry('optimizer wrapper constructor', parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                      scope='avzoo', locations=['avzoo.engine'])
PARAM_SCHEDULERS = Registry('parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS, scope='avzoo',
                            locations=['avzoo.engine'])
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS, scope='avzoo',
                       locations=['avzoo.visualization'])
VISBACKENDS = Registry('vis_backend', parent=MMENGINE_VISBACKENDS, scope='avzoo',
                       locations=['avzoo.visualization'])
WEIGHT_INITIALIZERS = Registry('weight initializer', parent=MMENGINE_WEIGHT_INITIALIZERS, scope='avzoo',
                               locations=['avzoo.models'])
# Positive miners (kNN over embeddings) and the feature sources whose embeddings they search (no
# MMEngine parent: avzoo's own concepts).
MINERS = Registry('miner', scope='avzoo', locations=['avzoo.miners'])
FEATURE_SOURCES = Registry('feature source', scope='avzoo', locations=['avzoo.miners'])
# Test-time map post-processing such as OGL.
POSTPROCESSORS = Registry('postprocessor', scope='avzoo', locations=['avzoo.models.postprocess'])
# Named benchmarks: a function returning the test dataloader/evaluator config for a data root.
BENCHMARKS = Registry('benchmark', scope='avzoo', locations=['avzoo.datasets'])
# Frozen pre-trained encoders that embed a training list for positive mining (`avzoo embed`).
EMBEDDERS = Registry('embedder', scope='avzoo', locations=['avzoo.embed'])
