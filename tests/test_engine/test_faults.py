"""The faults a probe found that did not hold (checkpoint pruning, bomb frames, NaN audio, a full
disk, an overflowing last step, resume corner cases, bad annotation files, a hung rank). Each test
failed before its fix."""
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
import soundfile as sf
import torch
from typer.testing import CliRunner

from avzoo.cli import app
from avzoo.engine.config import load_config
from avzoo.utils.errors import AvzooError
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from tests.utils import FAST, assert_one_line_error, run

LVS = 'lvs/lvs_small_1xb32-5e_synth.py'


def _train(tiny_synth, work, *options):
    return train(load_config(LVS, FAST + list(options), data_root=tiny_synth, work_dir=str(work)))


def _pths(work):
    return sorted(f for f in os.listdir(work) if f.endswith('.pth'))


# -- 13: max_keep_ckpts ------------------------------------------------------------------------------
def test_max_keep_ckpts_prunes_epochs_and_iterations(tiny_synth, tmp_path):
    _train(tiny_synth, tmp_path / 'e', 'train_cfg.max_epochs=3', 'train_cfg.val_interval=3',
           'default_hooks.checkpoint.max_keep_ckpts=1')
    assert _pths(tmp_path / 'e') == ['epoch_3.pth']
    _train(tiny_synth, tmp_path / 'i', 'train_cfg.max_epochs=2', 'train_cfg.val_interval=2',
           'default_hooks.checkpoint.by_epoch=False', 'default_hooks.checkpoint.interval=1',
           'default_hooks.checkpoint.max_keep_ckpts=2')
    assert _pths(tmp_path / 'i') == ['iter_7.pth', 'iter_8.pth']        # 4 iterations per epoch


# -- 14, 15: undecodable media ----------------------------------------------------------------------
def _bomb(path):
    """A ~100-byte PNG that declares a 40000 x 40000 image (named .jpg, as the probe did)."""
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 40000, 40000, 8, 2, 0, 0, 0)) + \
        chunk(b'IDAT', zlib.compress(b'\x00' * 16)) + chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(png)


def _nan_wav(path, n=16000):
    sf.write(path, np.full(n, np.nan, np.float32), 16000, subtype='FLOAT')


def test_bomb_frames_and_nan_audio_are_counted_skips_never_crashes_or_divergence(synth_copy, tmp_path):
    train_ids = open(os.path.join(synth_copy, 'train', 'synth_train.txt')).read().split()
    _bomb(os.path.join(synth_copy, 'train', 'frames', train_ids[0] + '.jpg'))
    _nan_wav(os.path.join(synth_copy, 'train', 'audio', train_ids[1] + '.wav'))
    runner = _train(synth_copy, tmp_path / 'w', 'train_cfg.max_epochs=2', 'train_cfg.val_interval=2')
    assert runner.iter == 8 and runner.message_hub.get_info('avzoo/train_skipped')['corrupt'] == 2
    test = json.load(open(os.path.join(synth_copy, 'test_single', 'synth_single.json')))
    _bomb(os.path.join(synth_copy, 'test_single', 'frames', test[0]['file'] + '.jpg'))
    _nan_wav(os.path.join(synth_copy, 'test_single', 'audio', test[1]['file'] + '.wav'))
    cfg = load_config(LVS, data_root=synth_copy)
    metrics = evaluate(cfg, 'synth_single', os.path.join(tmp_path, 'w', 'epoch_2.pth'), synth_copy)
    assert metrics['n_corrupt'] == 2 and metrics['n'] == len(test) - 2 and np.isfinite(metrics['ciou'])
    frame = os.path.join(synth_copy, 'test_single', 'frames', test[2]['file'] + '.jpg')
    for image, audio, what in ((os.path.join(synth_copy, 'test_single', 'frames', test[0]['file'] + '.jpg'),
                                os.path.join(synth_copy, 'test_single', 'audio', test[0]['file'] + '.wav'),
                                'DecompressionBomb'),
                               (frame, os.path.join(synth_copy, 'test_single', 'audio', test[1]['file'] + '.wav'),
                                'samples are NaN or infinite')):
        code, out = run('localize', image, audio, '--method', 'lvs', '--synth', '--out', str(tmp_path / 'o.png'),
                        '--checkpoint', os.path.join(tmp_path, 'w', 'epoch_2.pth'))
        assert_one_line_error(code, out, 'corrupt', what)


def test_skips_count_files_not_reads(tiny_synth):
    from mmengine.registry import init_default_scope

    from avzoo.datasets.media import MediaError
    from avzoo.registry import DATASETS
    init_default_scope('avzoo')
    ds = DATASETS.build(load_config(LVS, data_root=tiny_synth).train_dataloader.dataset)
    bad = ds.items[3]['audio']
    for _ in range(3):                                   # the same file read by three views
        ds._count_skip(MediaError(f'corrupt audio: {bad}', bad))
    ds._count_skip(MediaError('corrupt frame', ds.items[5]['frame']))
    assert ds.skipped == 2 and ds.skipped_reads == 4
    ds.reset_skips()
    assert ds.skipped == 0


# -- 17: saving, resuming ------------------------------------------------------------------------------
def test_a_full_disk_is_one_error_leaves_no_partial_and_stale_partials_go(tiny_synth, tmp_path, monkeypatch):
    from mmengine.fileio.backends import LocalBackend
    work = tmp_path / 'w'
    _train(tiny_synth, work)
    (work / 'epoch_9.pth.4242.partial').write_bytes(b'left by a killed save')
    real = LocalBackend.put

    def full(self, obj, filepath):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr(LocalBackend, 'put', full)
    code, out = run('train', LVS, '--data-root', tiny_synth, '--work-dir', str(work), '--resume',
                    '--cfg-options', *FAST, 'train_cfg.max_epochs=2')
    assert_one_line_error(code, out, 'could not write checkpoint', 'No space left on device',
                          'last good checkpoint: ' + str(work / 'epoch_1.pth'))
    assert not [f for f in os.listdir(work) if f.endswith('.partial')]        # its own and the stale one
    assert last_checkpoint(str(work)) == str(work / 'epoch_1.pth')
    monkeypatch.setattr(LocalBackend, 'put', real)


def test_a_checkpoint_is_fsynced_before_its_name_appears(tiny_synth, tmp_path, monkeypatch):
    from avzoo.utils import io
    events = []
    real_replace, real_fsync = os.replace, io.fsync_file
    monkeypatch.setattr(io, 'fsync_file', lambda p: (events.append(('fsync', os.path.basename(p))), real_fsync(p)))
    monkeypatch.setattr(os, 'replace', lambda a, b: (events.append(('rename', os.path.basename(a))), real_replace(a, b)))
    _train(tiny_synth, tmp_path / 'w')
    partial = next(name for kind, name in events if kind == 'rename' and name.startswith('epoch_1.pth'))
    assert events.index(('fsync', partial)) < events.index(('rename', partial))


@pytest.mark.parametrize('marker', ['truncated', 'not_utf8', 'copied'])
def test_resume_survives_bad_and_foreign_markers(tiny_synth, tmp_path, marker):
    work = tmp_path / 'w'
    _train(tiny_synth, work, 'train_cfg.max_epochs=2', 'train_cfg.val_interval=2')
    if marker == 'truncated':                                      # names a file a crash left half written
        data = (work / 'epoch_2.pth').read_bytes()
        (work / 'epoch_2.pth').write_bytes(data[:len(data) // 3])      # epoch 1 is good: epoch 2 trains again
    elif marker == 'not_utf8':
        (work / 'last_checkpoint').write_bytes(b'\xff\xfe\x00garbage')
    else:                                                          # an old absolute marker, folder copied
        (work / 'last_checkpoint').write_text(str(work / 'epoch_2.pth'))
        shutil.copytree(work, tmp_path / 'copy', ignore=shutil.ignore_patterns('.avzoo.lock'))
        shutil.rmtree(work)
        work = tmp_path / 'copy'
    cfg = load_config(LVS, FAST + ['train_cfg.max_epochs=3', 'train_cfg.val_interval=3'], data_root=tiny_synth,
                      work_dir=str(work))
    cfg.resume = True
    runner = train(cfg)
    assert runner.epoch == 3
    meta = torch.load(work / 'epoch_3.pth', weights_only=True)['meta']
    assert meta['epoch'] == 3
    if marker == 'truncated':
        assert torch.load(work / 'epoch_2.pth', weights_only=True)['meta']['epoch'] == 2   # trained again
    if marker == 'copied':
        assert (work / 'last_checkpoint').read_text() == 'epoch_3.pth'        # relative: moves with the folder


def test_a_refused_second_run_leaves_the_running_runs_files_alone(tiny_synth, tmp_path):
    work = tmp_path / 'w'
    work.mkdir()
    dump = work / 'lvs_small_1xb32-5e_synth.py'
    dump.write_text('# the running run\'s config dump\n')
    holder = subprocess.Popen([sys.executable, '-c', (
        'import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); '
        'fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b"4242"); print("held", flush=True); time.sleep(120)'),
        str(work / '.avzoo.lock')], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'held'
        code, out = run('train', LVS, '--data-root', tiny_synth, '--work-dir', str(work), '--cfg-options', *FAST)
        assert_one_line_error(code, out, 'in use by another run (pid 4242)')
    finally:
        holder.kill()
        holder.wait()
    assert dump.read_text() == '# the running run\'s config dump\n' and not _pths(work)


def test_an_update_that_overflows_at_the_last_step_is_not_saved(tiny_synth, tmp_path, monkeypatch):
    from avzoo.engine.loops import AvzooEpochLoop
    real = AvzooEpochLoop.run_iter

    def overflow(self, idx, batch):
        real(self, idx, batch)
        if self._iter == 8:                                        # the last step of epoch 2: loss was finite
            model = self.runner.model
            next(model.parameters()).data.fill_(float('inf'))
    monkeypatch.setattr(AvzooEpochLoop, 'run_iter', overflow)
    work = tmp_path / 'w'
    with pytest.raises(AvzooError, match=r'non-finite weights .* not saved; last good checkpoint: .*epoch_1.pth'):
        _train(tiny_synth, work, 'train_cfg.max_epochs=2', 'train_cfg.val_interval=2')
    assert _pths(work) == ['epoch_1.pth'] and last_checkpoint(str(work)).endswith('epoch_1.pth')


def test_resume_after_the_last_epoch_runs_the_final_validation_and_says_so(tiny_synth, tmp_path, monkeypatch):
    from mmengine.runner import ValLoop
    work = tmp_path / 'w'
    _train(tiny_synth, work)
    runs = []
    real = ValLoop.run
    monkeypatch.setattr(ValLoop, 'run', lambda self: (runs.append(1), real(self))[1])
    code, out = run('train', LVS, '--data-root', tiny_synth, '--work-dir', str(work), '--resume',
                    '--cfg-options', *FAST)
    assert code == 0, out
    assert 'nothing left to train; running the final validation' in out and runs == [1]


# -- 17: what eval writes, and annotation files ------------------------------------------------------------
def test_an_unwritable_output_prints_the_metrics_then_fails_in_one_line(tiny_synth, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('a file where a folder should be')
    result = CliRunner().invoke(app, ['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                                      tiny_synth, '--json', '--out', str(blocker / 'res.json')])
    assert result.exit_code == 2 and 'Traceback' not in result.output
    assert json.loads(result.stdout)['n'] > 0                           # the metrics are not lost
    assert result.stderr.strip().splitlines()[-1].startswith('error: could not write the results')


def test_duplicate_records_are_scored_once_and_utf16_files_are_read(synth_copy):
    path = os.path.join(synth_copy, 'test_single', 'synth_single.json')
    records = json.load(open(path))
    cfg = load_config('centre_prior/centre_prior_small_synth.py', data_root=synth_copy)
    before = evaluate(cfg, 'synth_single', None, synth_copy)
    with open(path, 'w') as f:
        json.dump(records + records[:2], f)
    code, out = run('eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root', synth_copy, '--json')
    assert code == 0 and '2 duplicate record(s) dropped' in out, out
    assert evaluate(cfg, 'synth_single', None, synth_copy) == before
    with open(path, 'w', encoding='utf-16') as f:                       # with its byte-order mark
        json.dump(records, f)
    assert evaluate(cfg, 'synth_single', None, synth_copy) == before
    with open(path, 'wb') as f:
        f.write(json.dumps(records).replace('"file"', '"f\xefle"').encode('latin-1'))
    assert_one_line_error(*run('eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                               synth_copy), 'synth_single.json: not UTF-8 text', 'save it as UTF-8')


# -- 17: a hung rank --------------------------------------------------------------------------------
def test_the_cpu_process_group_gets_the_configured_timeout(monkeypatch):
    import datetime

    import torch.distributed as dist

    from avzoo.engine.distributed import setup_distributed
    seen = {}
    monkeypatch.setenv('WORLD_SIZE', '2')
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(dist, 'is_initialized', lambda: False)
    monkeypatch.setattr(dist, 'init_process_group', lambda backend, **kw: seen.update(backend=backend, **kw))
    cfg = load_config(LVS, ['env_cfg.dist_cfg.timeout=45'])
    setup_distributed(cfg)
    assert seen == dict(backend='gloo', timeout=datetime.timedelta(seconds=45))


def test_a_checkpoint_written_before_the_tree_moved_still_loads(tmp_path, monkeypatch):
    """Checkpoints written before the package layout changed pickle the message hub's buffers with
    ``avzoo.engine.checkpoint.rebuild_history_buffer``; they load (weights only) and resume."""
    from mmengine.logging import HistoryBuffer

    from avzoo.utils import checkpoint as ckpt_io
    buf = HistoryBuffer()
    buf.update(1.5)
    monkeypatch.setattr(ckpt_io.rebuild_history_buffer, '__module__', 'avzoo.engine.checkpoint')
    torch.save({'state_dict': {'w': torch.ones(2)}, 'message_hub': {'loss': buf}}, tmp_path / 'old.pth')
    monkeypatch.undo()
    assert b'avzoo.engine.checkpoint' in (tmp_path / 'old.pth').read_bytes()
    loaded = ckpt_io.read_checkpoint(str(tmp_path / 'old.pth'))
    assert loaded['message_hub']['loss'].current() == 1.5
