"""``avzoo mine``: compute (or refresh) the semantic-positive neighbour file of a config where
``avzoo train`` with the same work dir reads it."""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from avzoo.utils.errors import AvzooError


def mine_config(config: str, options: Sequence[str] = (), data_root=None, work_dir: Optional[str] = None,
                logger_name: str = 'avzoo-mine') -> Tuple[str, str]:
    """Mine the neighbours of the config's first ``PositiveMiningHook``; returns ``(neighbour file,
    work dir)``. A config without that hook is one error."""
    from mmengine.logging import MMLogger
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.config import config_errors, load_config
    from avzoo.miners import mine_neighbours, neighbour_cache
    from avzoo.registry import DATASETS
    cfg = load_config(config, list(options), data_root=data_root, work_dir=work_dir)
    MMLogger.get_instance(logger_name, log_level='INFO')     # stage lines on the terminal
    hooks = [h for h in cfg.get('custom_hooks', []) if h['type'] == 'PositiveMiningHook']
    if not hooks:
        raise AvzooError(f'{config}: no PositiveMiningHook in custom_hooks: nothing to mine')
    init_default_scope('avzoo')
    with config_errors():
        dataset = DATASETS.build(cfg.train_dataloader.dataset)
        hook = hooks[0]
        cache = hook.get('cache') or neighbour_cache(hook.get('cache_root') or cfg.work_dir, hook['features'],
                                                     hook['miner'], dataset.ids)
        mine_neighbours(dataset, hook['features'], hook['miner'], cache, work_dir=cfg.work_dir)
    return cache, cfg.work_dir
