"""A method folder is the unit of change: a throwaway method added to a copy of the repository as
one code file (avzoo/models/methods/throwaway.py) and one folder (avzoo/configs/throwaway/) is
registered, listed, checked by the contract, recipe and card tests, offered by the command-line
help and written into the README's tables by the generator, with no other file edited by hand."""
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

from tests.utils import REPO

CODE = '''
"""A throwaway method: EZ-VSL's max-pooled InfoNCE without projections (a test of the zoo)."""
from typing import Dict

import torch.nn.functional as F
from torch import Tensor

from avzoo.models.losses import location_logits, mil_max, two_way_ce
from avzoo.models.methods.base import ANCHOR, LocalizationMethod
from avzoo.registry import MODELS


@MODELS.register_module()
class Throwaway(LocalizationMethod):
    def __init__(self, tau: float = 0.05) -> None:
        super().__init__()
        self.tau = tau

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v, a = F.normalize(v_maps[ANCHOR], dim=1), F.normalize(a_embs[ANCHOR], dim=1)
        return dict(loss_nce=two_way_ce(mil_max(location_logits(v, a, self.tau))))
'''
CONFIG = '''
# The throwaway method on avzoo-synth (tau 0.05: this test's choice).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='Throwaway', tau=0.05))
'''
METAFILE = '''
order: 90
paper: {title: 'A Throwaway Method', venue: 'nowhere 2026'}
methods:
  - name: throwaway
    label: Throwaway
    type: Throwaway
    about: 'a test of the method folder as the unit of change'
    trains: true
    configs: {synth: throwaway/throwaway_small_1xb32-5e_synth.py}
    results:
      synth:
        metrics: {ciou: 1.0, auc: 2.0, ciou_adap: 3.0, auc_adap: 4.0,
                  iiou: 5.0, iauc: 6.0, iiou_adap: 7.0, iauc_adap: 8.0}
        command: avzoo compare --only throwaway (made up for this test)
        date: 2026-12-07
        protocol: {test: synth_single, train: avzoo-synth train, overlap: 0 / 0, selection: last epoch}
recipes:
  throwaway/throwaway_small_1xb32-5e_synth.py:
    - {key: model.method.tau, value: 0.05, source: "this test's choice"}
layouts:
  - name: throwaway
    about: "throwaway release: {'model': ...}"
    state_key: model
    rules: [['net\\\\.(.+)', 'visual_encoder.\\\\1']]
    selection: {unknown: 'a test'}
'''
CARD = '''# Throwaway

A test of the method folder as the unit of change.

## Results

<!-- zoo:results -->
<!-- /zoo:results -->

## Recipe

<!-- zoo:recipe -->
<!-- /zoo:recipe -->
'''


def _copy(dst):
    """The repository as a fresh clone has it (package, tests, tools, docs, README), without caches."""
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '.pytest_cache')
    for name in ('avzoo', 'tests', 'tools', 'docs', 'projects'):
        shutil.copytree(os.path.join(REPO, name), os.path.join(dst, name), ignore=ignore, symlinks=True)
    for name in ('README.md', 'pyproject.toml'):
        shutil.copy(os.path.join(REPO, name), os.path.join(dst, name))


def _snapshot(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if '__pycache__' not in path and '.pytest_cache' not in path:
                with open(path, 'rb') as f:
                    out[os.path.relpath(path, root)] = f.read()
    return out


def test_a_new_method_is_one_file_and_one_folder(tmp_path):
    repo = tmp_path / 'repo'
    _copy(str(repo))
    before = _snapshot(str(repo))
    (repo / 'avzoo/models/methods/throwaway.py').write_text(textwrap.dedent(CODE).lstrip())
    folder = repo / 'avzoo/configs/throwaway'
    folder.mkdir()
    (folder / 'throwaway_small_1xb32-5e_synth.py').write_text(textwrap.dedent(CONFIG).lstrip())
    (folder / 'metafile.yml').write_text(textwrap.dedent(METAFILE).lstrip())
    (folder / 'README.md').write_text(CARD)
    env = dict(os.environ, PYTHONPATH=str(repo), AVZOO_PROJECTS='')

    def run(*args, check=True):
        done = subprocess.run([sys.executable, *args], cwd=str(repo), env=env, capture_output=True, text=True)
        assert not check or done.returncode == 0, done.stdout + done.stderr
        return done

    # the generated tables are stale until the generator runs, then hold the new method
    assert run('tools/update_readme.py', '--check', check=False).returncode == 1
    run('tools/update_readme.py')
    readme = (repo / 'README.md').read_text()
    assert '[`throwaway`](avzoo/configs/throwaway/README.md)' in readme
    assert '| Throwaway | 1.0 | 2.0 | 5.0 | 6.0 |' in readme
    card = (folder / 'README.md').read_text()
    assert '| Throwaway | synth | 1.0 |' in card and '| `model.method.tau` | `0.05` |' in card
    after = _snapshot(str(repo))
    edited = sorted(p for p in after if p not in before or after[p] != before[p])
    assert edited == ['README.md', 'avzoo/configs/throwaway/README.md', 'avzoo/configs/throwaway/metafile.yml',
                      'avzoo/configs/throwaway/throwaway_small_1xb32-5e_synth.py', 'avzoo/models/methods/throwaway.py']
    def hand_written(text):               # the README without its generated blocks
        return re.sub(r'(<!-- zoo:(\w+) -->\n).*?(<!-- /zoo:\2 -->)', r'\1\3', text, flags=re.S)
    assert hand_written(after['README.md'].decode()) == hand_written(before['README.md'].decode())

    # the zoo, the registry and the command line see it
    listed = json.loads(run('-m', 'avzoo', 'list', '--json').stdout)
    assert any(m['name'] == 'throwaway' for m in listed['methods'])
    assert 'throwaway' in run('-m', 'avzoo', 'convert', '--help').stdout
    assert 'throwaway' in run('-m', 'avzoo', 'eval', '--help').stdout

    # the tests that walk the zoo cover it without an edit: contract, recipe pins, card
    tests = run('-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-k', 'throwaway',
                'tests/test_models/test_method_contract.py', 'tests/test_zoo/test_recipes.py',
                'tests/test_zoo/test_metafiles.py')
    assert ' passed' in tests.stdout and 'failed' not in tests.stdout, tests.stdout
    ran = int(tests.stdout.strip().splitlines()[-1].split(' passed')[0].split()[-1])
    assert ran >= 3, tests.stdout             # contract, recipe row, card
