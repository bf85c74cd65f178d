"""Rough edges a new user hit, each fixed and pinned here."""
import glob
import logging
import os
import re

import numpy as np
import torch
from typer.testing import CliRunner

from avzoo.cli import app
from avzoo.engine.config import load_config
from tests.utils import REPO, assert_one_line_error, run


def test_cfg_options_data_root_moves_every_path_derived_from_it():
    cfg = load_config('configs/ours_sup_nn.py', ['data_root=/data/vggsound', 'vggss_root=/data/vggss'])
    assert cfg.train_dataloader.dataset.data_root == '/data/vggsound'
    hook = cfg.custom_hooks[0]
    assert hook.features.image.startswith('/data/vggsound/embeddings/')
    assert cfg.test_dataloader.dataset.data_root == '/data/vggss'
    assert cfg.val_dataloader.dataset.data_root == '/data/vggsound'
    synth = load_config('alignment/alignment_small_1xb32-sup-nn-5e_synth.py', ['synth_root=/tmp/s'])
    assert synth.custom_hooks[0].features.labelled.data_root == '/tmp/s/pretrain'
    assert synth.train_dataloader.dataset.data_root == '/tmp/s/train'


def test_configs_are_found_by_name_and_by_path():
    from avzoo.engine.config import find_config
    assert find_config('ours_sup_nn') == find_config('configs/ours_sup_nn.py') == find_config('ours_sup_nn.py')
    assert find_config('lvs_small_1xb32-5e_synth').endswith(os.path.join('lvs', 'lvs_small_1xb32-5e_synth.py'))
    code, out = run('train', 'no_such_config')
    assert_one_line_error(code, out, 'config not found: no_such_config')


def _bad_checkpoints(tmp_path):
    rng = np.random.default_rng(0)
    good = {'state_dict': {'w': torch.zeros(2)}}
    torch.save(good, tmp_path / 'whole.pth')
    data = (tmp_path / 'whole.pth').read_bytes()
    files = {'random.pth': rng.bytes(4096), 'text.pth': b'these are not weights\n' * 20,
             'truncated.pth': data[:len(data) // 2]}
    for name, blob in files.items():
        (tmp_path / name).write_bytes(blob)
    torch.save(torch.zeros(3), tmp_path / 'tensor.pth')
    return [str(tmp_path / n) for n in (*files, 'tensor.pth')]


def test_a_file_that_is_not_a_checkpoint_is_one_error_line_and_leaves_no_log_folder(tiny_synth, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path in _bad_checkpoints(tmp_path):
        code, out = run('eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                        '--checkpoint', path)
        assert_one_line_error(code, out, path, 'expected a checkpoint')
    assert not glob.glob(str(tmp_path / 'work_dirs' / '*' / '2*'))      # no timestamped log folder


def test_score_rejects_empty_foreign_and_wrongly_sized_files(tmp_path):
    p = tmp_path / 'empty.npz'
    np.savez(p, heatmaps=np.zeros((0, 7, 7)), gt_maps=np.zeros((0, 224, 224)))
    assert_one_line_error(*run('score', str(p)), 'no maps to score')
    pickled = tmp_path / 'pickled.npy'
    np.save(pickled, np.array([{'a': 1}], dtype=object), allow_pickle=True)
    code, out = run('score', str(pickled))
    assert_one_line_error(code, out, 'not an .npz archive')
    assert 'unsafe' not in out and 'allow_pickle' not in out
    objects = tmp_path / 'objects.npz'
    np.savez(objects, heatmaps=np.array([{'a': 1}], dtype=object), gt_maps=np.zeros((1, 224, 224)))
    code, out = run('score', str(objects))
    assert_one_line_error(code, out, 'object (pickled) arrays')
    assert 'unsafe' not in out and 'allow_pickle' not in out
    small = tmp_path / 'small.npz'
    np.savez(small, heatmaps=np.zeros((2, 7, 7)), gt_maps=np.zeros((2, 64, 64)))
    assert_one_line_error(*run('score', str(small)), 'gt_maps must be [N, 224, 224]')


def test_score_table_fits_80_columns(tmp_path):
    p = tmp_path / 'pred.npz'
    rng = np.random.default_rng(0)
    gt = np.zeros((4, 224, 224))
    gt[:, 50:150, 60:160] = 1
    np.savez(p, heatmaps=rng.random((4, 7, 7)), gt_maps=gt, pair_ids=np.array([0, 0, 1, 1]))
    result = CliRunner().invoke(app, ['score', str(p)], env={'COLUMNS': '80'}, terminal_width=80)
    assert result.exit_code == 0
    assert '…' not in result.output and max(len(line) for line in result.output.splitlines()) <= 80
    assert re.search(r'IIoU\s.*\d+\.\d\d', result.output) and re.search(r'cIoU\s.*\d+\.\d\d', result.output)


def test_readme_eval_example_is_the_checkpoint_the_demo_writes():
    from avzoo.zoo import get_method
    epochs = load_config(get_method('alignment').config('synth')).train_cfg.max_epochs
    demo_checkpoint = os.path.join('work_dirs', 'demo', 'alignment', f'epoch_{epochs}.pth')   # run_demo's layout
    docs = ''.join(open(os.path.join(REPO, p)).read() for p in ('README.md', 'docs/get_started.md', 'docs/evaluation.md'))
    examples = re.findall(r'--bench synth_\S+ --checkpoint (\S+\.pth)', docs)
    assert examples and all(e == demo_checkpoint for e in examples), examples


def test_mine_reports_each_stage(synth_copy):
    import shutil
    shutil.rmtree(os.path.join(synth_copy, 'encoders'), ignore_errors=True)    # other tests may have trained them
    result = CliRunner().invoke(app, ['mine', 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py', '--data-root', synth_copy])
    assert result.exit_code == 0, result.output
    for stage in ('supervised encoders: training', 'step 1/2', 'step 2/2', 'mined'):
        assert stage in result.output, result.output


def test_runner_keeps_config_dumps_out_of_the_terminal(tiny_synth, tmp_path, capsys):
    from avzoo.engine.runner import build_runner
    cfg = load_config('centre_prior/centre_prior_small_synth.py', data_root=tiny_synth, work_dir=str(tmp_path / 'w'))
    runner = build_runner(cfg)
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert 'Config:' not in printed and 'System environment' not in printed
    for h in runner.logger.handlers:
        if isinstance(h, logging.FileHandler):
            h.flush()
    logged = open(glob.glob(str(tmp_path / 'w' / '*' / '*.log'))[0]).read()
    assert 'Config:' in logged and 'System environment' in logged


def test_demo_figure_explains_itself():
    from avzoo.visualization import BOX_LEGEND, SCALE_LABEL, Panel, heatmap_figure
    frame = np.zeros((32, 32, 3), np.uint8)
    rows = [[Panel(frame, 'both', boxes=[(2, 2, 10, 10)]), Panel(frame, 'sound: a', np.eye(8), [(2, 2, 10, 10)])]]
    fig = heatmap_figure(rows, 'Ours (sup. NN): where each sound comes from')
    assert 'Ours (sup. NN)' in fig._suptitle.get_text()
    labels = [ax.get_ylabel() for ax in fig.axes] + [ax.get_xlabel() for ax in fig.axes]
    assert SCALE_LABEL in labels                                  # the colour scale is there and named
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [BOX_LEGEND]
    assert [ax.get_title() for ax in fig.axes[:2]] == ['both', 'sound: a']


def test_model_card_says_what_is_reproducible():
    card = open(os.path.join(REPO, 'avzoo', 'configs', 'alignment', 'README.md')).read()
    assert 'to the last digit' not in card
    section = card.split('## Reproducibility', 1)[1].split('\n## ', 1)[0].lower()
    assert 'same machine' in section and 'across cpus' in section and 'avx-512' in section


def test_a_config_name_of_before_the_renaming_points_to_the_new_one():
    from tests.utils import assert_one_line_error, run
    assert_one_line_error(*run('train', 'ezvsl_r18_1xb128_vggsound144k'), 'config not found',
                          'did you mean ezvsl_r18_1xb128-20e_vggsound144k')
