"""Helpers shared by the tests (fixtures live in conftest.py); a test imports from here, never
from a sibling test module."""
from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANNOTATIONS = os.path.join(REPO, 'avzoo', 'annotations')  # the shipped copies of the public annotation files

# Small, fast training settings for any synth config.
FAST = ['train_dataloader.batch_size=16', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'log_level=WARNING']
