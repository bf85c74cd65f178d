"""Shared fixtures: one tiny avzoo-synth per test session (generated in a few seconds)."""
from __future__ import annotations

import os
import shutil

import pytest
import torch

from tests.utils import REPO

torch.set_num_threads(2)

# the example project's metafile is part of the zoo whatever the working directory
os.environ.setdefault('AVZOO_PROJECTS', os.path.join(REPO, 'projects'))

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
