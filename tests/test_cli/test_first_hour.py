"""What a new user meets in the first hour (issue: install, data safety, hints, one-line errors,
clean stdout, outputs where asked, progress through a pipe). Each test failed before its fix."""
import json
import os
import re
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest
import soundfile as sf
import tomllib
import torch
from PIL import Image
from typer.testing import CliRunner

from avzoo.cli import app
from tests.utils import FAST, REPO, assert_one_line_error, run

LVS = 'lvs/lvs_small_1xb32-5e_synth.py'


def _python(*args, cwd=None, env=None, preexec_fn=None):
    """``python -m avzoo ARGS`` in a fresh interpreter: (exit code, stdout, stderr)."""
    env = {**os.environ, 'PYTHONPATH': REPO, 'OMP_NUM_THREADS': '1', **(env or {})}
    out = subprocess.run([sys.executable, '-m', 'avzoo', *args], capture_output=True, text=True, cwd=cwd, env=env,
                         preexec_fn=preexec_fn, timeout=600)
    return out.returncode, out.stdout, out.stderr


@pytest.fixture(scope='module')
def lvs_checkpoint(tiny_synth, tmp_path_factory):
    """An LVS model trained one epoch on tiny avzoo-synth by `avzoo train` (it records its config)."""
    work = str(tmp_path_factory.mktemp('lvs') / 'w')
    code, out = run('train', LVS, '--data-root', tiny_synth, '--work-dir', work, '--cfg-options', *FAST)
    assert code == 0, out
    return os.path.join(work, 'epoch_1.pth')


# -- 1, 2: install ----------------------------------------------------------------------------------
def test_the_package_pins_the_torch_triple_that_is_installed_and_works():
    deps = tomllib.load(open(os.path.join(REPO, 'pyproject.toml'), 'rb'))['project']['dependencies']
    pins = {re.split(r'[=<>!~ ]', d)[0]: d for d in deps if d.startswith('torch')}
    for name in ('torch', 'torchvision', 'torchaudio'):
        assert re.fullmatch(rf'{name}==[\d.]+', pins[name]), pins[name]       # exact: no resolver pairing
        assert metadata.version(name).split('+')[0] == pins[name].split('==')[1]


def test_a_broken_torchaudio_never_breaks_help_version_list_and_names_the_fix(tmp_path, tiny_synth, lvs_checkpoint):
    fake = tmp_path / 'fake' / 'torchaudio'
    fake.mkdir(parents=True)
    (fake / '__init__.py').write_text("raise OSError('libtorchaudio.so: undefined symbol: _ZN3c10Foo')\n")
    env = dict(PYTHONPATH=f'{tmp_path / "fake"}{os.pathsep}{REPO}')
    code, out, err = _python('--version', env=env, cwd=tmp_path)
    assert code == 0 and out.strip() == f'avzoo {metadata.version("avzoo")}', err
    code, out, err = _python('--help', env=env, cwd=tmp_path)
    assert code == 0 and 'train' in out, err
    code, out, err = _python('list', '--json', env=env, cwd=tmp_path)
    assert code == 0 and 'alignment' in [m['name'] for m in json.loads(out)['methods']], err
    code, out, err = _python('train', LVS, '--data-root', tiny_synth, '--work-dir', str(tmp_path / 'w'),
                             '--cfg-options', *FAST, env=env, cwd=tmp_path)
    assert code == 0, err                                  # 16 kHz synth audio needs no torchaudio
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(tmp_path / 'f.jpg')
    sf.write(tmp_path / 's.wav', 0.1 * rng.standard_normal(22050).astype(np.float32), 22050)   # resampled
    code, out, err = _python('localize', str(tmp_path / 'f.jpg'), str(tmp_path / 's.wav'), '--method', 'lvs',
                             '--synth', '--checkpoint', lvs_checkpoint, '--out', str(tmp_path / 'o.png'),
                             env=env, cwd=tmp_path)
    assert_one_line_error(code, out + err, 'torchaudio does not load beside torch', 'undefined symbol',
                          f'pip install "torchaudio=={torch.__version__.split("+")[0]}"')


def test_version():
    code, out = run('--version')
    assert code == 0 and out.strip() == f'avzoo {metadata.version("avzoo")}'


# -- 3: data safety ---------------------------------------------------------------------------------
def test_a_synth_folder_of_another_size_is_never_overwritten_without_force(synth_copy):
    encoder = os.path.join(synth_copy, 'encoders', 'marker.txt')
    os.makedirs(os.path.dirname(encoder), exist_ok=True)
    open(encoder, 'w').write('a cache derived from these clips')
    before = os.path.getmtime(os.path.join(synth_copy, 'meta.json'))
    for args in (['synth', '--out', synth_copy, '--size', 'small'],
                 ['ablate', '--data-root', synth_copy, '--only', 'full'],
                 ['demo', '--data-root', synth_copy, '--work-dir', os.path.join(synth_copy, '..', 'd')],
                 ['compare', '--data-root', f'synth_root={synth_copy}', '--only', 'lvs']):
        want = 'small' if 'small' in args else 'default'
        assert_one_line_error(*run(*args), "holds avzoo-synth size 'tiny'", f"asked for size '{want}'", '--force')
    assert os.path.isfile(encoder) and os.path.getmtime(os.path.join(synth_copy, 'meta.json')) == before
    code, out = run('synth', '--out', synth_copy, '--size', 'tiny')           # its own size: kept as it is
    assert code == 0 and os.path.isfile(encoder), out


# -- 4: one --data-root grammar ---------------------------------------------------------------------
def test_every_command_takes_dir_or_name_dir_and_hints_only_what_it_accepts(tiny_synth, tmp_path):
    plain = CliRunner().invoke(app, ['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                                     tiny_synth, '--json'])
    named = CliRunner().invoke(app, ['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                                     f'synth_root={tiny_synth}', '--json'])
    assert plain.exit_code == named.exit_code == 0, plain.output + named.output
    assert json.loads(plain.stdout) == json.loads(named.stdout)
    absent = str(tmp_path / 'nowhere')
    for args in (['eval', '--method', 'centre_prior', '--bench', 'synth_single'],
                 ['viz', 'curves', '--run', 'centre_prior', '--out', str(tmp_path / 'v')],
                 ['retrieve', '--method', 'centre_prior', '--bench', 'synth_retrieval', '--query', 'x']):
        code, out = run(*args, '--data-root', absent)
        assert_one_line_error(code, out, f'no avzoo-synth at {absent}: run `avzoo synth --out {absent}`')
        assert 'VGGSSDataset' not in out
    code, out = run('train', LVS, '--data-root', absent, '--cfg-options', *FAST)
    assert_one_line_error(code, out, '--data-root synth_root=DIR')
    code, out = run('train', LVS, '--data-root', f'synth_root={tiny_synth}', '--work-dir', str(tmp_path / 'w'),
                    '--cfg-options', *FAST)
    assert code == 0, out                                                   # the hinted form is accepted
    code, out = run('eval', '--method', 'centre_prior', '--bench', 'vggss', '--data-root', absent)
    assert_one_line_error(code, out, 'pass --data-root DIR')
    assert_one_line_error(*run('demo', '--data-root', f'vggss_root={absent}'), 'reads avzoo-synth only')


# -- 5: checkpoints of another method or domain ------------------------------------------------------
def test_a_checkpoint_of_another_method_or_domain_says_what_it_is(lvs_checkpoint, tiny_synth, tmp_path):
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(tmp_path / 'f.jpg')
    sf.write(tmp_path / 's.wav', 0.1 * rng.standard_normal(16000).astype(np.float32), 16000)
    code, out = run('localize', str(tmp_path / 'f.jpg'), str(tmp_path / 's.wav'), '--method', 'lvs',
                    '--checkpoint', lvs_checkpoint)
    assert_one_line_error(code, out, 'trained with lvs_small_1xb32-5e_synth', 'synth data', '--synth', 'missing ')
    code, out = run('eval', '--method', 'alignment', '--bench', 'synth_single', '--data-root', tiny_synth,
                    '--checkpoint', lvs_checkpoint)
    assert_one_line_error(code, out, 'trained with lvs_small_1xb32-5e_synth', 'use --method lvs', 'missing method.p_v')
    code, out = run('convert', lvs_checkpoint, '--from', 'lvs', '--out', str(tmp_path / 'x.safetensors'))
    assert_one_line_error(code, out, 'is not a lvs checkpoint', 'written by `avzoo train`', 'no conversion')
    release = {'model': {'module.imgnet.conv1.weight': torch.zeros(64, 3, 7, 7),
                         'module.aud_proj.weight': torch.zeros(512, 512)}, 'epoch': 3}
    torch.save(release, tmp_path / 'ezvsl.pth')
    code, out = run('convert', str(tmp_path / 'ezvsl.pth'), '--from', 'lvs', '--out', str(tmp_path / 'x.safetensors'))
    assert_one_line_error(code, out, "no state dict under 'model_state_dict'", 'it fits --from ezvsl / marginnce / fnac')


# -- 6: one error line instead of a traceback ---------------------------------------------------------
def test_wrong_option_types_configs_without_training_parts_and_embedding_widths_are_one_line(tiny_synth, tmp_path):
    assert_one_line_error(*run('train', LVS, '--data-root', tiny_synth, '--cfg-options',
                               'train_dataloader.batch_size=abc'),
                          'train_dataloader.batch_size=abc: expected a number (the config has 32)')
    assert_one_line_error(*run('train', LVS, '--data-root', tiny_synth, '--cfg-options',
                               'optim_wrapper.optimizer.lr=fast'), 'expected a number')
    bare = tmp_path / 'bare.py'
    bare.write_text("model = dict(type='AVLocalizer')\n")
    for extra in ([], ['--epochs', '2']):
        assert_one_line_error(*run('train', str(bare), *extra), 'cannot train: no train_dataloader, train_cfg, optim_wrapper')
    n = 4
    np.savez(tmp_path / 'p.npz', heatmaps=np.random.rand(n, 7, 7), gt_maps=np.ones((n, 224, 224)),
             audio_emb=np.random.rand(n, 8), visual_emb=np.random.rand(n, 16))
    assert_one_line_error(*run('score', str(tmp_path / 'p.npz')), 'must have the same width C')


def test_a_truncated_or_unreadable_checkpoint_is_one_line_saying_what_it_is(tiny_synth, tmp_path, monkeypatch):
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, tmp_path / 'good.pth')
    data = (tmp_path / 'good.pth').read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    code, out = run('eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                    '--checkpoint', str(tmp_path / 'cut.pth'))
    assert_one_line_error(code, out, 'a damaged or truncated torch zip archive', 'expected a checkpoint')
    assert 'miniz' not in out                                        # not torch's message cut mid-sentence

    def einval(*args, **kwargs):                                      # what torch's zip reader raised once
        raise OSError(22, 'Invalid argument')
    monkeypatch.setattr(torch, 'load', einval)
    code, out = run('eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                    '--checkpoint', str(tmp_path / 'good.pth'))
    assert_one_line_error(code, out, 'not a readable checkpoint')


# -- 7, 16: text is printed as given ------------------------------------------------------------------
def test_messages_keep_their_brackets(tiny_synth, tmp_path):
    odd = tmp_path / 'x[v2]' / 'a[/].pth'
    code, out = run('eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                    '--checkpoint', str(odd))
    assert_one_line_error(code, out, f'checkpoint not found: {odd}')
    assert 'MarkupError' not in out
    from avzoo.utils.errors import AvzooError
    from avzoo.utils.terminal import make_console, print_error
    console = make_console(stderr=True, record=True)
    print_error(str(AvzooError('OpenCLIPImage needs open_clip: pip install "avzoo[embed]"')), console)
    assert 'pip install "avzoo[embed]"' in console.export_text()


# -- 8: localize on a short sound, into a folder -------------------------------------------------------
def test_localize_reports_a_short_sound_and_the_peak_and_writes_into_a_folder(lvs_checkpoint, tmp_path):
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(tmp_path / 'f.jpg')
    sf.write(tmp_path / 's.wav', 0.1 * rng.standard_normal(1600).astype(np.float32), 16000)      # 0.1 s
    folder = tmp_path / 'out'
    folder.mkdir()
    result = CliRunner().invoke(app, ['localize', str(tmp_path / 'f.jpg'), str(tmp_path / 's.wav'), '--method', 'lvs',
                                      '--synth', '--checkpoint', lvs_checkpoint, '--out', str(folder)])
    assert result.exit_code == 0, result.output
    assert 'lasts 0.10 s, shorter than the' in result.stderr and 'tiled' in result.stderr
    png = str(folder / 'f_lvs.png')
    assert os.path.isfile(png) and os.path.isfile(str(folder / 'f_lvs.npy'))
    assert png in result.stdout.replace('\n', '') and 'peak similarity' in result.stdout


# -- 9: no separating threshold is null --------------------------------------------------------------
def test_no_separating_threshold_is_reported_as_none():
    from avzoo.evaluation.negatives import max_separation, negative_summary
    thr, acc = max_separation(torch.tensor([0.1, 0.2]), torch.tensor([0.5, 0.6]))      # negatives peak higher
    assert thr is None and acc == 0.5
    thr, acc = max_separation(torch.tensor([0.7, 0.9]), torch.tensor([0.1, 0.6]))
    assert thr == pytest.approx(0.6) and acc == 1.0
    out = negative_summary({}, dict(max_pos=torch.tensor([0.1, 0.2]), max_noise=torch.tensor([0.5, 0.6])))
    assert out['sep_thr_noise'] is None and json.loads(json.dumps(out))['sep_thr_noise'] is None


# -- 10: stdout carries results only ------------------------------------------------------------------
def test_json_stdout_is_one_object_with_info_logs_and_fewer_cpus_than_workers(tiny_synth, tmp_path):
    one_cpu = (lambda: os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})) \
        if hasattr(os, 'sched_setaffinity') else None
    np.savez(tmp_path / 'p.npz', heatmaps=np.random.rand(2, 7, 7), gt_maps=np.ones((2, 224, 224)))
    for args in (['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root', tiny_synth,
                  '--verbose', '--out', str(tmp_path / 'e'), '--cfg-options', 'test_dataloader.num_workers=8'],
                 ['list'], ['score', str(tmp_path / 'p.npz')]):
        code, out, err = _python(*args, '--json', cwd=tmp_path, preexec_fn=one_cpu)
        assert code == 0, err
        json.loads(out)                                               # exactly one object, nothing else
        if args[0] == 'eval':
            assert 'workers asked' in err and ' - INFO - ' in err     # the log went to stderr
    code, out, err = _python('train', LVS, '--data-root', tiny_synth, '--work-dir', str(tmp_path / 'w'),
                             '--epochs', '1', '--cfg-options', *FAST[:-1], cwd=tmp_path)
    assert code == 0, err
    assert out.strip() == '', out                                     # WARNING, INFO, blank lines: stderr
    assert ' - WARNING - ' in err and 'FileClient' not in err and 'HardDiskBackend' not in err


# -- 11: outputs go where the user said --------------------------------------------------------------
def test_eval_viz_retrieve_leave_nothing_in_the_current_folder(tiny_synth, tmp_path, monkeypatch):
    here = tmp_path / 'here'
    here.mkdir()
    monkeypatch.chdir(here)
    outs = tmp_path / 'outs'
    assert run('eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root', tiny_synth,
               '--out', str(outs / 'e.json'))[0] == 0
    assert run('viz', 'curves', '--run', 'centre_prior', '--data-root', tiny_synth, '--out', str(outs / 'v'))[0] == 0
    assert run('retrieve', '--method', 'centre_prior', '--bench', 'synth_retrieval', '--data-root', tiny_synth,
               '--space', 'backbone', '--query', 'retrieval000000')[0] in (0, 2)
    assert os.listdir(here) == []
    assert os.path.isfile(outs / 'e.json') and os.path.isfile(outs / 'v' / 'success_curves.png')


def test_eval_of_a_read_only_model_folder_writes_under_work_dirs_eval(lvs_checkpoint, tiny_synth, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = run('eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                    '--checkpoint', lvs_checkpoint)
    assert code == 0, out
    assert os.path.isfile(tmp_path / 'work_dirs' / 'eval' / 'lvs_epoch_1_synth_single.json')
    assert not os.path.exists(os.path.splitext(lvs_checkpoint)[0] + '_synth_single.json')


def test_mine_and_train_share_a_work_dir(synth_copy, tmp_path):
    work = str(tmp_path / 'w')
    ours = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'
    code, out = run('mine', ours, '--data-root', synth_copy, '--work-dir', work)
    assert code == 0, out
    cache = [f for f in os.listdir(os.path.join(work, 'cache')) if f.startswith('neighbours_')]
    assert len(cache) == 1
    code, out = run('train', ours, '--data-root', synth_copy, '--work-dir', work, '--cfg-options', *FAST[:-1])
    assert code == 0 and f'semantic neighbours from {os.path.join(work, "cache", cache[0])}' in out, out
    assert 'mining positives' not in out                                  # read, not mined again


# -- 12: progress through a pipe ------------------------------------------------------------------------
def test_long_steps_show_progress_lines_when_not_on_a_terminal(tmp_path):
    code, out, err = _python('synth', '--out', str(tmp_path / 's'), '--size', 'tiny', cwd=tmp_path)
    assert code == 0, err
    for split in ('pretrain', 'train', 'test_single'):
        assert f'synth {split}: 100 %' in err, err
    assert 'synth train: 100 %' not in out
    code, out, err = _python('viz', 'curves', '--run', 'centre_prior', '--data-root', str(tmp_path / 's'),
                             '--out', str(tmp_path / 'v'), cwd=tmp_path)
    assert code == 0 and 'Floor: centre on synth_single: 100 %' in err, err
