"""Checks run before a runner is built: the config can train, its weight files exist, its data
roots are hinted, its loader workers fit the machine."""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from typing import Any

from mmengine.config import Config
from mmengine.logging import print_log

from avzoo.engine.config import ROOT_KEYS, WEIGHTS_ENV
from avzoo.utils.errors import AvzooError


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                   # not Linux
        return os.cpu_count() or 1


def fit_workers(cfg: Config) -> Config:
    """DataLoader workers never exceed the CPUs this process may use (the real configs ask for 8,
    the releases' value; on a 2-core machine 8 workers only add start-up and warnings)."""
    cpus = available_cpus()
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if isinstance(loader, dict) and loader.get('num_workers', 0) > cpus:
            print_log(f'{key}: {loader["num_workers"]} workers asked, {cpus} CPUs available: using {cpus}',
                      logger='current', level=logging.INFO)
            loader['num_workers'] = cpus
    return cfg


# What each local weights file is, for the error that says which file to place where.
WEIGHT_FILES = {
    'resnet18_imagenet.pth': 'ImageNet ResNet-18 in torchvision layout (the state dict of '
                             'torchvision.models.resnet18 with ImageNet weights, fc keys allowed)',
    'visual_encoder.pth': "avzoo-synth's supervised visual encoder (written by `avzoo mine "
                          "alignment_small_1xb32-sup-nn-5e_synth` or by the demo)",
}


def _weight_paths(node: Any, where: str = 'model'):
    """``(config key, path)`` of every local weights file a model config loads."""
    if isinstance(node, dict):
        if isinstance(node.get('pretrained'), str):
            yield f'{where}.pretrained', node['pretrained']
        init = node.get('init_cfg')
        if isinstance(init, dict) and init.get('type') == 'Pretrained' and isinstance(init.get('checkpoint'), str):
            yield f'{where}.init_cfg.checkpoint', init['checkpoint']
        for key, value in node.items():
            if key != 'init_cfg':
                yield from _weight_paths(value, f'{where}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _weight_paths(value, f'{where}.{i}')


def check_weights(cfg: Config) -> None:
    """Every weights file the model loads exists, or will be written by a hook of this run (the
    positive miner's encoders): otherwise one error naming the file, its config key and what it is."""
    produced = [h['features'].get('cache_dir') for h in cfg.get('custom_hooks') or []
                if h.get('type') == 'PositiveMiningHook' and isinstance(h.get('features'), dict)]
    for key, path in _weight_paths(cfg.get('model') or {}):
        if os.path.isfile(path) or any(d and path.startswith(d.rstrip('/') + '/') for d in produced):
            continue
        what = WEIGHT_FILES.get(os.path.basename(path), 'a state dict of that encoder')
        raise AvzooError(f'weights not found: {path} (config key {key}): {what}. Place it there, or point '
                         f'at the folder holding it with {WEIGHTS_ENV}=DIR or --data-root weights_root=DIR '
                         f'(nothing is downloaded)')


@contextmanager
def root_hints(cfg: Config):
    """A missing data root named by one of the config's root variables gets the option that sets it."""
    try:
        yield
    except AvzooError as exc:
        msg = str(exc)
        match = re.search(r"data root '([^']+)' does not exist", msg)
        if match:
            for name in ROOT_KEYS:
                value = cfg.get(name)
                if isinstance(value, str) and (match.group(1) == value or match.group(1).startswith(value.rstrip('/') + '/')):
                    raise AvzooError(f"{msg.split(' (')[0]}: it comes from the config's `{name}`; set it with "
                                     f'--data-root {name}=DIR (or --cfg-options {name}=DIR)') from None
        raise
