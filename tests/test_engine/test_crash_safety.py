"""Crash safety on the tiny synth set: exact resume after SIGKILL, one run per work dir,
checkpoints never lost, safe loading whatever the environment, divergence stops loudly."""
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from avzoo.engine.config import load_config
from avzoo.engine.workdir import WorkDirLock
from avzoo.utils.errors import AvzooError
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from tests.utils import FAST, REPO

CONFIG = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'
EXACT = ['train_dataloader.batch_size=16', 'train_cfg.max_epochs=3', 'train_cfg.val_interval=3',
         'randomness.deterministic=True', 'default_hooks.checkpoint.by_epoch=False',
         'default_hooks.checkpoint.interval=2', 'default_hooks.checkpoint.max_keep_ckpts=1', 'log_level=WARNING']


def _cli(*args):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO)
    return [sys.executable, '-c', 'import torch; torch.set_num_threads(1); from avzoo.cli import main; main()',
            *args], env


def _state(ckpt):
    return torch.load(ckpt, map_location='cpu', weights_only=True)['state_dict']


def test_sigkill_anywhere_then_resume_equals_uninterrupted(tiny_synth, tmp_path):
    args = ['train', CONFIG, '--data-root', tiny_synth, '--cfg-options', *EXACT]
    cmd, env = _cli(*args, '--work-dir', str(tmp_path / 'ref'))
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    cmd, env = _cli(*args, '--work-dir', str(tmp_path / 'killed'))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = tmp_path / 'killed' / 'iter_6.pth'
    deadline = time.time() + 300
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, 'the run ended before it could be killed'
    proc.send_signal(signal.SIGKILL)                    # inside epoch 2 (iterations 5-8)
    proc.wait()
    assert not (tmp_path / 'killed' / 'iter_12.pth').exists()
    cmd, env = _cli(*args, '--work-dir', str(tmp_path / 'killed'), '--resume')
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    ref, resumed = _state(tmp_path / 'ref' / 'iter_12.pth'), _state(tmp_path / 'killed' / 'iter_12.pth')
    assert ref.keys() == resumed.keys()
    different = [k for k in ref if not torch.equal(ref[k], resumed[k])]
    assert not different, f'{len(different)} tensors differ, e.g. {different[:3]}'


def test_second_run_on_a_work_dir_is_refused(tiny_synth, tmp_path):
    work = tmp_path / 'w'
    lock = WorkDirLock(str(work)).acquire()          # a run of this process holds it: a second runner is refused
    try:
        cfg = load_config(CONFIG, FAST, data_root=tiny_synth, work_dir=str(work))
        with pytest.raises(AvzooError, match='in use by another run'):
            train(cfg)
    finally:
        lock.release()
    assert not list(work.glob('*.pth'))


def test_a_failed_save_keeps_the_previous_checkpoint(tiny_synth, tmp_path, monkeypatch):
    from avzoo.engine.runner import AvzooRunner
    work = str(tmp_path / 'w')
    cfg = load_config(CONFIG, FAST + ['train_cfg.max_epochs=2', 'default_hooks.checkpoint.max_keep_ckpts=1'],
                      data_root=tiny_synth, work_dir=work)
    real, calls = AvzooRunner.save_checkpoint, []

    def dying_save(self, out_dir, filename, *a, **k):
        calls.append(filename)
        if len(calls) == 2:
            raise KeyboardInterrupt('killed while saving')
        return real(self, out_dir, filename, *a, **k)
    monkeypatch.setattr(AvzooRunner, 'save_checkpoint', dying_save)
    with pytest.raises(KeyboardInterrupt):
        train(cfg)
    assert os.path.isfile(os.path.join(work, 'epoch_1.pth'))          # not pruned before its successor exists
    assert last_checkpoint(work).endswith('epoch_1.pth')
    assert not [f for f in os.listdir(work) if f.endswith('.partial')]


@pytest.mark.parametrize('marker', ['missing', 'empty', 'stale'])
def test_resume_without_a_good_marker_takes_the_newest_checkpoint(tiny_synth, tmp_path, marker):
    work = str(tmp_path / 'w')
    train(load_config(CONFIG, FAST + ['train_cfg.max_epochs=2'], data_root=tiny_synth, work_dir=work))
    path = os.path.join(work, 'last_checkpoint')
    if marker == 'missing':
        os.remove(path)
    else:
        open(path, 'w').write('' if marker == 'empty' else os.path.join(work, 'epoch_9.pth'))
    with open(os.path.join(work, 'epoch_7.pth'), 'wb') as f:          # a truncated file is skipped
        f.write(b'PK\x03\x04 truncated')
    cfg = load_config(CONFIG, FAST + ['train_cfg.max_epochs=3'], data_root=tiny_synth, work_dir=work)
    cfg.resume = True
    runner = train(cfg)
    assert runner.epoch == 3 and runner.iter == 3 * runner.iter // 3   # continued, not restarted
    assert torch.load(os.path.join(work, 'epoch_3.pth'), weights_only=True)['meta']['epoch'] == 3


class _Hostile:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f'touch {self.path}',))


@pytest.mark.parametrize('where', ['eval', 'resume', 'pretrained'])
def test_hostile_pickles_are_refused_even_when_the_environment_allows_them(tiny_synth, tmp_path, monkeypatch, where):
    from typer.testing import CliRunner

    from avzoo.cli import app
    from tests.utils import assert_one_line_error
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    pwned = tmp_path / 'pwned'
    evil = tmp_path / 'w' / 'epoch_1.pth'
    os.makedirs(evil.parent)
    torch.save({'state_dict': {'x': torch.zeros(1)}, 'meta': {'epoch': 1, 'iter': 4}, 'payload': _Hostile(pwned)}, evil)
    if where == 'eval':
        args = ['eval', '--method', 'alignment', '--bench', 'synth_single', '--data-root', tiny_synth, '--checkpoint', str(evil)]
    elif where == 'resume':
        open(tmp_path / 'w' / 'last_checkpoint', 'w').write(str(evil))
        args = ['train', CONFIG, '--data-root', tiny_synth, '--work-dir', str(tmp_path / 'w'), '--resume',
                '--cfg-options', *FAST]
    else:
        args = ['train', 'alignment/alignment_small_1xb32-sup-nn-previs-5e_synth.py', '--data-root', tiny_synth,
                '--work-dir', str(tmp_path / 'p'), '--cfg-options', *FAST,
                f'model.visual_encoder.init_cfg.checkpoint={evil}']
    result = CliRunner().invoke(app, args)
    assert_one_line_error(result.exit_code, result.output, 'refused')
    assert not pwned.exists()


def test_a_nan_run_stops_keeps_the_last_good_checkpoint_and_nan_weights_are_not_scored(tiny_synth, tmp_path,
                                                                                     monkeypatch):
    from avzoo.models.methods.alignment import CrossModalAlignment
    work = str(tmp_path / 'w')
    real, calls = CrossModalAlignment.loss, []

    def loss(self, *a):
        out = real(self, *a)
        calls.append(1)
        if len(calls) == 6:                          # epoch 2, iteration 2 (4 iterations per epoch)
            out['loss_loc'] = out['loss_loc'] * float('nan')
        return out
    monkeypatch.setattr(CrossModalAlignment, 'loss', loss)
    cfg = load_config(CONFIG, FAST + ['train_cfg.max_epochs=3'], data_root=tiny_synth, work_dir=work)
    with pytest.raises(AvzooError, match=r'non-finite loss .* epoch 2, iteration 6') as err:
        train(cfg)
    assert 'epoch_1.pth' in str(err.value)
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == ['epoch_1.pth']
    assert all(torch.isfinite(v).all() for v in _state(os.path.join(work, 'epoch_1.pth')).values()
               if v.is_floating_point())
    state = torch.load(os.path.join(work, 'epoch_1.pth'), weights_only=True)
    state['state_dict'] = {k: v * float('nan') if v.is_floating_point() else v for k, v in state['state_dict'].items()}
    torch.save(state, tmp_path / 'nan.pth')
    with pytest.raises(AvzooError, match='not finite'):
        evaluate(cfg, 'synth_single', str(tmp_path / 'nan.pth'), tiny_synth)


def test_mmengine_runner_keys_are_settable():
    cfg = load_config(CONFIG, ['randomness.seed=3', 'randomness.deterministic=True', 'env_cfg.cudnn_benchmark=True'])
    assert cfg.randomness.seed == 3 and cfg.randomness.deterministic is True
    with pytest.raises(AvzooError, match="did you mean 'seed'"):
        load_config(CONFIG, ['randomness.sed=3'])
