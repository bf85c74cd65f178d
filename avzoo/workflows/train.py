"""Training behind ``avzoo train``: build the runner, train, find the last checkpoint, and
``--select-on-test`` (the releases' selection rule, reproduced on purpose)."""
from __future__ import annotations

from mmengine.config import Config

from avzoo.engine.config import config_errors
from avzoo.engine.preflight import root_hints
from avzoo.engine.runner import build_runner
from avzoo.utils.errors import AvzooError


def train(cfg: Config):
    """Train with the config; returns the runner (its ``work_dir`` holds the checkpoints)."""
    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.config import check_trainable
    from avzoo.registry import MODELS
    method_cls = MODELS.get(cfg.model.method['type']) if 'method' in (cfg.get('model') or {}) else None
    if method_cls is not None and not getattr(method_cls, 'trains', True):
        raise AvzooError(f'{cfg.filename}: {method_cls.__name__} is training-free (trains=False); '
                         f'score it with `avzoo eval` instead')
    check_trainable(cfg)
    runner = build_runner(cfg)          # takes the work dir's lock before it writes there (AvzooRunner)
    with config_errors(), root_hints(cfg):
        runner.train()
    return runner


def last_checkpoint(work_dir: str) -> str:
    """The checkpoint ``work_dir/last_checkpoint`` names (see :func:`avzoo.engine.workdir.read_marker`)."""
    from avzoo.engine.workdir import read_marker
    path = read_marker(work_dir)
    if path is None:
        raise AvzooError(f'no checkpoint in {work_dir} (train first)')
    return path


def select_on_test(cfg, bench: str, metric_key: str = 'ciou') -> None:
    """Reproduce the releases' rule on purpose: validate on the test benchmark ``bench`` (its media
    under the config's root for it) and keep the checkpoint with the best ``metric_key`` of its
    localisation metric; every result of that checkpoint then says it was selected on the test set."""
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.engine.benchmark_config import bench_root_key, benchmark_loader
    info = benchmark_info(bench)
    if info.family not in ('localization', 'interactive', 'segmentation'):
        raise AvzooError(f'--select-on-test {bench}: {info.family} benchmarks have no cIoU to select on; '
                         f'name a localisation benchmark (vggss, flickr, synth_single, ...)')
    root = cfg.get('synth_root') if info.domain == 'synth' else cfg.get(bench_root_key(bench) or '', None)
    loader, metric = benchmark_loader(cfg, bench, root, cfg.get('val_dataloader') or cfg.get('test_dataloader'))
    cfg.val_dataloader, cfg.val_evaluator = loader, metric
    cfg.val_cfg = cfg.get('val_cfg') or dict(type='ValLoop')
    cfg.selection = dict(rule='best', metric=f'loc/{metric_key}', on=f'test:{bench}')
