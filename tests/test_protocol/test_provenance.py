"""A run records its training list and selection rule; every result carries the protocol block;
a converted release says "unknown" unless --train-list names its list; selection on a test set
happens only when asked for by name."""
import json
import os

import pytest
import torch
from typer.testing import CliRunner

from avzoo.cli import app
from avzoo.engine.config import load_config
from avzoo.protocol.provenance import checkpoint_record, protocol_block
from avzoo.utils.checkpoint import read_checkpoint
from avzoo.utils.errors import AvzooError
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from tests.utils import FAST


def _train(tiny_synth, work_dir, leak=False, extra=()):
    cfg = load_config('ezvsl_small_1xb32-5e_synth', FAST + list(extra), data_root=tiny_synth, work_dir=str(work_dir))
    if leak:
        n = len(json.load(open(os.path.join(tiny_synth, 'test_single', 'synth_single.json'))))
        cfg.train_dataloader.dataset.drop_last_n = n
        cfg.train_dataloader.dataset.extra_lists = [dict(data_root=os.path.join(tiny_synth, 'test_single'),
                                                         id_list='synth_single.json')]
    train(cfg)
    return cfg, last_checkpoint(str(work_dir))


def _eval_json(tiny_synth, ckpt, bench='synth_single'):
    result = CliRunner().invoke(app, ['eval', '--method', 'ezvsl', '--bench', bench, '--data-root', tiny_synth,
                                      '--checkpoint', ckpt, '--json', '--out', os.path.dirname(ckpt)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_run_records_its_list_and_rule_and_eval_reports_the_overlap(tiny_synth, tmp_path):
    _, clean = _train(tiny_synth, tmp_path / 'clean')
    record = checkpoint_record(read_checkpoint(clean))
    assert record['train_list'] == 'avzoo-synth train' and record['selection']['rule'] == 'last'
    assert record['overlaps']['synth_single']['clips'] == 0 and record['max_epochs'] == 1
    out = _eval_json(tiny_synth, clean)
    block = out['protocol']
    n_test = len(json.load(open(os.path.join(tiny_synth, 'test_single', 'synth_single.json'))))
    assert block['test_subset'] == dict(name='synth_single', n_ids=n_test, protocol=block['test_subset']['protocol'],
                                        origin=None)
    assert block['samples']['n_scored'] == out['n'] and block['samples']['n_skipped'] == 0
    assert block['training']['overlap'] == dict(n_bench=n_test, clips=0, videos=0)
    assert block['selection']['rule'] == 'last' and block['selection']['epoch'] == 1
    assert len(block['checkpoint']['sha256']) == 64 and block['avzoo']['version']
    written = json.load(open(os.path.join(os.path.dirname(clean), 'ezvsl_epoch_1_synth_single.json')))
    assert written['protocol'] == block                               # the file says the same

    _, leaky = _train(tiny_synth, tmp_path / 'leaky', leak=True)
    block = _eval_json(tiny_synth, leaky)['protocol']
    assert block['training']['overlap'] == dict(n_bench=n_test, clips=n_test, videos=n_test)
    assert 'synth_single.json' in block['training']['list'] and block['training']['n_train'] == record['n_train']
    assert _eval_json(tiny_synth, leaky, 'synth_interactive')['protocol']['training']['overlap']['clips'] == 0


def test_selection_on_a_test_set_only_by_name(tiny_synth, tmp_path):
    cfg = load_config('ezvsl_small_1xb32-5e_synth', FAST, data_root=tiny_synth, work_dir=str(tmp_path / 'a'))
    cfg.val_dataloader = cfg.test_dataloader                         # validate on the test split...
    cfg.selection = dict(rule='best', metric='loc/ciou')             # ...and select on it, unnamed
    with pytest.raises(AvzooError, match='is a test benchmark'):
        train(cfg)
    assert not os.path.exists(tmp_path / 'a' / 'last_checkpoint')
    result = CliRunner().invoke(app, ['train', 'ezvsl_small_1xb32-5e_synth', '--work-dir', str(tmp_path / 'b'),
                                      '--data-root', tiny_synth, '--select-on-test', 'synth_single',
                                      '--cfg-options', *FAST[:-2], 'train_cfg.max_epochs=2'])
    assert result.exit_code == 0, result.output
    best = [f for f in os.listdir(tmp_path / 'b') if f.startswith('best_')]
    assert best, os.listdir(tmp_path / 'b')
    sel = _eval_json(tiny_synth, str(tmp_path / 'b' / best[0]))['protocol']['selection']
    assert sel['rule'] == 'best' and sel['test_set'] is True and 'test-set selection' in sel['about']
    other = _eval_json(tiny_synth, str(tmp_path / 'b' / 'epoch_1.pth'))['protocol']['selection']
    assert 'not the best one' in other['about']              # an epoch file of a best-rule run says so


def test_a_converted_release_is_unknown_unless_named(tmp_path):
    from safetensors.torch import save_file

    from avzoo.convert.base import release_record
    from avzoo.protocol.audit import overlap
    state = {'w': torch.zeros(1)}
    for name, train_list in (('plain', None), ('named', 'vggsound144k')):
        path = str(tmp_path / f'{name}.safetensors')
        meta = dict(layout='ezvsl', method='ezvsl', protocol=json.dumps(release_record('ezvsl', train_list)))
        save_file(state, path, metadata=meta)
        block = protocol_block('vggss', {'n': 5158, 'n_skipped': 0}, path, read_checkpoint(path))
        if train_list is None:
            assert block['training']['list'] == 'unknown' and block['training']['overlap'] == 'unknown'
        else:
            row = overlap('vggsound144k', 'vggss')
            assert block['training']['overlap'] == dict(n_bench=5158, clips=row['clips'], videos=row['videos'])
        assert block['selection']['test_set'] is True and 'train.py' in block['selection']['about']
    with pytest.raises(AvzooError, match='unknown training list'):
        release_record('ezvsl', 'vggsound_144k')


def test_convert_cli_takes_the_training_list(tmp_path):
    from safetensors import safe_open

    from tests.utils import EZVSLRelease
    torch.save({'model': EZVSLRelease().state_dict()}, tmp_path / 'release.pth')
    out = tmp_path / 'converted.safetensors'
    result = CliRunner().invoke(app, ['convert', str(tmp_path / 'release.pth'), '--from', 'ezvsl', '--out', str(out),
                                      '--train-list', 'vggsound144k'])
    assert result.exit_code == 0, result.output
    with safe_open(str(out), 'pt') as f:
        assert json.loads(f.metadata()['protocol'])['train_list'] == 'vggsound144k'


def test_old_checkpoints_say_unknown(tiny_synth, tmp_path):
    """A checkpoint without avzoo's record (an older run, a plain state dict) is 'unknown'."""
    block = protocol_block('synth_single', {'n': 3, 'n_skipped': 0}, None, {'state_dict': {}, 'meta': {}})
    assert block['training']['overlap'] == 'unknown' and block['selection']['rule'] == 'unknown'
    floor = evaluate(load_config('centre_prior/centre_prior_small_synth.py', data_root=tiny_synth), 'synth_single', None,
                     tiny_synth, str(tmp_path / 'floor.json'))
    written = json.load(open(tmp_path / 'floor.json'))['protocol']
    assert written['training']['list'] is None and written['samples']['n_scored'] == floor['n']


def test_a_real_run_counts_the_clips_it_really_has():
    """On real data the record counts the overlap of the clips present (a partly downloaded list
    is not over-counted), under the shipped list's name."""
    from types import SimpleNamespace

    from avzoo.datasets.train_lists import train_ids
    from avzoo.protocol.provenance import training_record
    cfg = load_config('ezvsl_r18_1xb128-20e_vggsound144k')
    vggss = {r['file'] for r in json.load(open(os.path.join(os.path.dirname(__file__), '..', '..', 'avzoo',
                                                            'annotations', 'vggss.json')))}
    ids = train_ids('vggsound144k')
    leaked = [i for i in ids if i in vggss][:7]
    present = [i for i in ids if i not in vggss][:93] + leaked
    record = training_record(cfg, SimpleNamespace(items=[dict(id=i) for i in present]))
    assert record['train_list'] == 'vggsound144k' and record['n_train'] == 100
    assert record['overlaps']['vggss']['clips'] == 7 and record['overlaps']['flickr']['clips'] == 0
    assert record['selection']['rule'] == 'last'
