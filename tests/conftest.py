"""Shared fixtures: one tiny avzoo-synth per test session (generated in a few seconds)."""
from __future__ import annotations

import os
import shutil

import pytest
import torch

torch.set_num_threads(2)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANNOTATIONS = os.path.join(REPO, 'avzoo', 'annotations')  # the shipped copies of the public annotation files
# the example project's metafile is part of the zoo whatever the working directory
os.environ.setdefault('AVZOO_PROJECTS', os.path.join(REPO, 'projects'))

# Small, fast training settings for any synth config.
FAST = ['train_dataloader.batch_size=16', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'log_level=WARNING']


@pytest.fixture(scope='session')
def tiny_synth(tmp_path_factory) -> str:
    from avzoo.datasets.synth import SynthConfig, generate
    root = str(tmp_path_factory.mktemp('synth') / 'avzoo-synth')
    generate(root, SynthConfig.preset('tiny'), workers=2)
    return root


@pytest.fixture()
def synth_copy(tiny_synth, tmp_path) -> str:
    """A private copy of the tiny set that a test may damage."""
    dst = str(tmp_path / 'avzoo-synth')
    shutil.copytree(tiny_synth, dst)
    return dst
