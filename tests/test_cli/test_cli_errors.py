"""User mistakes give one clear line (exit 2) or a counted skip, never a traceback."""
import json
import os

import numpy as np

from avzoo.cli import app
from avzoo.engine.config import find_config, load_config
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import train
from tests.utils import FAST, assert_one_line_error, run, runner

ALIGN = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'

def test_unknown_method():
    assert_one_line_error(*run('eval', '--method', 'nosuch', '--bench', 'synth_single'), "unknown method 'nosuch'")


def test_unknown_benchmark(tiny_synth):
    assert_one_line_error(*run('eval', '--method', 'centre_prior', '--bench', 'vgss', '--data-root', tiny_synth),
                          "unknown benchmark 'vgss'")


def test_config_key_typo_on_the_command_line():
    assert_one_line_error(*run('train', ALIGN, '--cfg-options', 'train_cfg.max_epoch=1'),
                          "unknown config key 'train_cfg.max_epoch'", "did you mean 'max_epochs'")


def test_config_key_typo_inside_a_config_file(tmp_path, tiny_synth):
    bad = tmp_path / 'bad.py'
    bad.write_text(f"_base_ = ['{find_config(ALIGN)}']\nmodel = dict(method=dict(tauu=0.1))\n")
    assert_one_line_error(*run('train', str(bad), '--data-root', tiny_synth), 'config error', 'tauu')


def test_unknown_type_in_a_config(tmp_path, tiny_synth):
    bad = tmp_path / 'bad_type.py'
    bad.write_text(f"_base_ = ['{find_config(ALIGN)}']\n"
                   "model = dict(method=dict(_delete_=True, type='NoSuchMethod'))\n")
    assert_one_line_error(*run('train', str(bad), '--data-root', tiny_synth), 'NoSuchMethod')


def test_missing_data_root(tmp_path):
    assert_one_line_error(*run('eval', '--method', 'centre_prior', '--bench', 'synth_single',
                               '--data-root', str(tmp_path / 'absent')), 'no avzoo-synth at', 'avzoo synth --out')


def test_missing_checkpoint(tiny_synth, tmp_path):
    assert_one_line_error(*run('eval', '--method', 'alignment', '--bench', 'synth_single', '--data-root', tiny_synth,
                               '--checkpoint', str(tmp_path / 'none.pth')), 'checkpoint not found')


def test_ours_needs_a_checkpoint():
    assert_one_line_error(*run('eval', '--method', 'alignment', '--bench', 'synth_single'), '--checkpoint')


def _corrupt(path):
    with open(path, 'wb') as f:
        f.write(b'not a media file')


def test_corrupt_and_missing_media_at_eval_are_counted_skips(synth_copy):
    root = os.path.join(synth_copy, 'test_single')
    ann = json.load(open(os.path.join(root, 'synth_single.json')))
    _corrupt(os.path.join(root, 'frames', ann[0]['file'] + '.jpg'))
    _corrupt(os.path.join(root, 'audio', ann[1]['file'] + '.wav'))
    os.remove(os.path.join(root, 'frames', ann[2]['file'] + '.jpg'))
    cfg = load_config('centre_prior/centre_prior_small_synth.py', data_root=synth_copy, work_dir=os.path.join(synth_copy, 'w'))
    metrics = evaluate(cfg, 'synth_single', None, synth_copy)
    assert (metrics['n_missing'], metrics['n_corrupt'], metrics['n_skipped']) == (1, 2, 3)   # by kind, and both
    assert metrics['n'] == len(ann) - 3              # the missing one was dropped when building
    result = runner.invoke(app, ['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                                 synth_copy, '--json'])
    assert result.exit_code == 0 and json.loads(result.stdout)['n_skipped'] == 3     # stdout: the JSON alone
    assert 'skipped' in result.stderr                                                # the skips are logged


def test_strict_mode_fails_on_missing_or_corrupt_media(synth_copy):
    root = os.path.join(synth_copy, 'test_single')
    ann = json.load(open(os.path.join(root, 'synth_single.json')))
    _corrupt(os.path.join(root, 'frames', ann[0]['file'] + '.jpg'))
    assert_one_line_error(*run('eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                               synth_copy, '--strict'), 'corrupt frame', ann[0]['file'])
    os.remove(os.path.join(root, 'audio', ann[1]['file'] + '.wav'))
    assert_one_line_error(*run('eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                               synth_copy, '--strict'), 'missing media', ann[1]['file'])


def test_corrupt_training_media_is_skipped_and_training_goes_on(synth_copy, tmp_path):
    ids = open(os.path.join(synth_copy, 'train', 'synth_train.txt')).read().split()
    _corrupt(os.path.join(synth_copy, 'train', 'frames', ids[0] + '.jpg'))
    _corrupt(os.path.join(synth_copy, 'train', 'audio', ids[1] + '.wav'))
    cfg = load_config(ALIGN, FAST + ['model.method.views=()'], data_root=synth_copy, work_dir=str(tmp_path / 'w'))
    cfg.custom_hooks = [h for h in cfg.custom_hooks if h['type'] != 'PositiveMiningHook']
    r = train(cfg)
    assert r.train_dataloader.dataset.skipped >= 2
    assert r.message_hub.get_info('avzoo/train_skipped')['corrupt'] >= 2


def test_score_bad_npz(tmp_path):
    p = tmp_path / 'bad.npz'
    np.savez(p, heatmaps=np.zeros((2, 7, 7)))
    assert_one_line_error(*run('score', str(p)), "missing array 'gt_maps'")
    np.savez(p, heatmaps=np.zeros((2, 7, 7)), gt_maps=np.full((2, 224, 224), 2.0))
    assert_one_line_error(*run('score', str(p)), 'values must be 0/1')
    assert_one_line_error(*run('score', str(tmp_path / 'none.npz')), 'file not found')


def test_demo_with_a_floor_and_a_synth_only_method_on_real_data(tmp_path):
    assert_one_line_error(*run('demo', '--method', 'centre_prior', '--data-root', str(tmp_path / 's'),
                               '--work-dir', str(tmp_path / 'w')), 'nothing to train')
    assert_one_line_error(*run('eval', '--method', 'alignment_selfsup', '--bench', 'synth_single', '--checkpoint', 'x.pth'),
                          'no synth-data config')


def test_training_a_floor_is_one_clear_error():
    assert_one_line_error(*run('train', 'centre_prior_small_synth'), 'training-free', 'avzoo eval')


def test_serve_without_gradio_is_one_error_line(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, 'gradio', None)              # as if the `web` extra were not installed
    assert_one_line_error(*run('serve'), "pip install 'avzoo[web]'")
