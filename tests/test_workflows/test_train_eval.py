"""End to end on the tiny synth set: 1-epoch train + eval, exact resume, atomic checkpoints."""
import glob
import json
import os

import pytest
import torch

from avzoo.engine.config import load_config
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from tests.utils import FAST

CONFIG = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'


@pytest.fixture(scope='module')
def trained(tiny_synth, tmp_path_factory):
    work = str(tmp_path_factory.mktemp('work') / 'alignment')
    cfg = load_config(CONFIG, FAST, data_root=tiny_synth, work_dir=work)
    train(cfg)
    return cfg, last_checkpoint(work)


def test_train_writes_checkpoint_and_mines_positives(trained, tiny_synth):
    cfg, ckpt = trained
    assert os.path.isfile(ckpt) and not [f for f in os.listdir(cfg.work_dir) if f.endswith('.partial')]
    assert glob.glob(os.path.join(cfg.work_dir, 'cache', 'neighbours_*.npz'))      # under the work dir,
    assert not glob.glob(os.path.join(tiny_synth, 'train', '*.npz'))               # never in the dataset
    assert os.path.isfile(os.path.join(tiny_synth, 'encoders', 'visual_encoder.pth'))
    state = torch.load(ckpt, map_location='cpu', weights_only=True)   # safe load of our checkpoints
    assert state['meta']['epoch'] == 1


@pytest.mark.parametrize('bench,keys', [('synth_single', ('ciou', 'auc', 'ciou_adap', 'auc_adap')),
                                        ('synth_interactive', ('iiou', 'iauc', 'iiou_adap', 'iauc_adap'))])
def test_eval_on_both_splits(trained, tiny_synth, bench, keys, tmp_path):
    cfg, ckpt = trained
    out = str(tmp_path / 'res.json')
    metrics = evaluate(cfg, bench, ckpt, tiny_synth, out)
    for k in keys:
        assert 0.0 <= metrics[k] <= 100.0
    assert metrics['n_skipped'] == 0 and metrics['n'] > 0 and os.path.isfile(out)


@pytest.mark.parametrize('bench,keys', [
    ('synth_ext', ('ap', 'max_f1', 'loc_acc', 'n_sounding', 'n_silent')),
    ('synth_retrieval', ('a2i_r1', 'i2a_r10', 'proj_a2i_r5', 'alignment', 'magnitude')),
    ('synth_interactive_seg', ('iiou', 'miou', 'fscore', 'miou_adap', 'fscore_adap'))])
def test_eval_every_metric_family_writes_json_and_markdown(trained, tiny_synth, bench, keys, tmp_path):
    cfg, ckpt = trained
    out = str(tmp_path / f'{bench}.json')
    metrics = evaluate(cfg, bench, ckpt, tiny_synth, out, label='alignment')
    for k in keys:
        assert k in metrics
    if bench == 'synth_ext':
        assert metrics['n_silent'] > 0 and metrics['n_sounding'] > 0
    with open(out[:-5] + '.md') as f:
        table = f.read()
    assert table.count('| alignment') >= 1 and '---:' in table


def test_eval_json_prints_one_object_on_stdout(trained, tiny_synth, tmp_path):
    from typer.testing import CliRunner

    from avzoo.cli import app
    _, ckpt = trained
    result = CliRunner().invoke(app, ['eval', '--method', 'alignment', '--bench', 'synth_single', '--data-root', tiny_synth,
                                      '--checkpoint', ckpt, '--json', '--out', str(tmp_path / 'r.json')])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)                   # nothing else on stdout
    assert {'ciou', 'n_skipped', 'n_missing', 'n_corrupt', 'n_short'} <= set(metrics)


def test_ogl_post_processing_changes_the_maps_not_the_checkpoint(trained, tiny_synth, tmp_path):
    cfg, ckpt = trained
    plain = evaluate(cfg, 'synth_single', ckpt, tiny_synth)
    ogl = evaluate(cfg, 'synth_single', ckpt, tiny_synth, ogl=True)
    assert plain['n'] == ogl['n'] and (plain['auc'], plain['auc_adap']) != (ogl['auc'], ogl['auc_adap'])


def test_resume_continues_from_the_last_epoch(trained, tiny_synth):
    cfg, _ = trained
    resumed = load_config(CONFIG, FAST + ['train_cfg.max_epochs=2'], data_root=tiny_synth, work_dir=cfg.work_dir)
    resumed.resume = True
    runner = train(resumed)
    assert runner.epoch == 2
    state = torch.load(last_checkpoint(cfg.work_dir), map_location='cpu', weights_only=True)
    assert state['meta']['epoch'] == 2 and state['meta']['iter'] == 2 * state['meta']['iter'] // 2


@pytest.mark.parametrize('method,options', [('lvs', []), ('ezvsl', []), ('marginnce', []), ('slavc', []),
                                            ('fnac', ['model.method.warmup_epochs=0'])])
def test_baselines_train_one_epoch_and_score(method, options, tiny_synth, tmp_path):
    from avzoo.zoo import get_method
    cfg = load_config(get_method(method).config('synth'), FAST + options, data_root=tiny_synth,
                      work_dir=str(tmp_path / method))
    train(cfg)
    ckpt = last_checkpoint(cfg.work_dir)
    state = torch.load(ckpt, map_location='cpu', weights_only=True)
    assert state['meta']['epoch'] == 1
    assert all(torch.isfinite(v).all() for v in state['state_dict'].values() if v.is_floating_point())
    metrics = evaluate(cfg, 'synth_interactive', ckpt, tiny_synth)
    assert 0.0 <= metrics['ciou'] <= 100.0 and 0.0 <= metrics['iiou'] <= 100.0 and metrics['n_skipped'] == 0


def test_slavc_resume_restores_the_momentum_targets(tiny_synth, tmp_path):
    from avzoo.zoo import get_method
    work = str(tmp_path / 'slavc')
    cfg = load_config(get_method('slavc').config('synth'), FAST, data_root=tiny_synth, work_dir=work)
    train(cfg)
    saved = torch.load(last_checkpoint(work), map_location='cpu', weights_only=True)['state_dict']
    momentum_keys = [k for k in saved if 'momentum' in k]
    assert any(k.startswith('visual_encoder_momentum.') for k in momentum_keys)
    assert any(k.startswith('method.heads_momentum.') for k in momentum_keys)
    # the targets moved away from the online encoder during the epoch (EMA, m = 0.9)
    assert not torch.equal(saved['visual_encoder_momentum.conv1.weight'], saved['visual_encoder.conv1.weight'])
    resumed = load_config(get_method('slavc').config('synth'), FAST + ['train_cfg.max_epochs=2'],
                          data_root=tiny_synth, work_dir=work)
    resumed.resume = True
    from avzoo.engine.runner import build_runner
    runner = build_runner(resumed)
    runner.load_or_resume()
    state = runner.model.state_dict()
    assert runner.epoch == 1
    assert all(torch.equal(state[k], saved[k]) for k in momentum_keys)


def test_validation_heatmaps_reach_the_visualizer(trained):
    """HeatmapVisHook (a default hook): the first validation maps over their frames, one image per
    validation, through MMEngine's LocalVisBackend."""
    cfg, _ = trained
    images = glob.glob(os.path.join(cfg.work_dir, '*', 'vis_data', 'vis_image', 'heatmaps_1.png'))
    assert images
    from PIL import Image
    img = Image.open(images[0])
    assert img.width >= 4 * 224 and img.height == 224 + 34          # 4 samples under a title line


def test_viz_draws_every_figure_and_logs_to_tensorboard(trained, tiny_synth, tmp_path):
    from typer.testing import CliRunner

    from avzoo.cli import app
    _, ckpt = trained
    out = tmp_path / 'viz'
    res = CliRunner().invoke(app, ['viz', 'all', '--run', f'alignment={ckpt}', '--run', 'centre_prior', '--data-root',
                                   tiny_synth, '--out', str(out), '--samples', '3', '--backend', 'local',
                                   '--backend', 'tensorboard'])
    assert res.exit_code == 0, res.output
    for name in ('thresholds_by_size.png', 'qualitative_grid.jpg', 'interactive_grid.jpg', 'success_curves.png'):
        assert (out / name).stat().st_size > 10_000, name
    assert glob.glob(str(out / 'tensorboard' / '**' / 'events.out.tfevents.*'), recursive=True)
    protocols = json.load(open(out / 'protocol.json'))                  # what each drawn run was trained on
    assert protocols[f'alignment={ckpt}']['synth_single']['training']['list'] == 'avzoo-synth train'
    assert protocols['centre_prior']['synth_interactive']['training']['list'] is None
    bad = CliRunner().invoke(app, ['viz', 'grid', '--run', 'alignment'])         # a trained method without weights
    assert bad.exit_code == 2 and 'alignment=CHECKPOINT' in bad.output


def test_compose_and_rank():
    from avzoo.apis.retrieval import compose, rank
    v, a = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    assert torch.allclose(compose(v, a, 0.5), torch.tensor([0.5 ** 0.5, 0.5 ** 0.5]))
    assert torch.equal(compose(v, a, 1.0), v) and torch.equal(compose(v, a, 0.0), a)
    gallery = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.6, 0.8]])
    hits, scores = rank(torch.tensor([1.0, 0.0]), gallery, 3)
    assert hits == [1, 2, 3] and scores == pytest.approx([1.0, 1.0, 0.6])     # ties keep gallery order


def test_retrieve_from_a_benchmark_and_from_a_folder(trained, tiny_synth, tmp_path):
    from typer.testing import CliRunner

    from avzoo.apis.retrieval import embed_gallery, retrieve
    from avzoo.cli import app
    _, ckpt = trained
    bench = embed_gallery('alignment', ckpt, 'synth_retrieval', data_root=tiny_synth)
    folder = embed_gallery('alignment', ckpt, folder=os.path.join(tiny_synth, 'retrieval'))
    order = [folder.ids.index(i) for i in bench.ids]
    assert torch.allclose(folder.visual[order], bench.visual, atol=1e-5)      # same clips, same embeddings
    hits, scores = retrieve(bench, bench.ids[0], 'a2i', k=3)
    expected = torch.argsort(-(bench.visual @ bench.audio[0]), stable=True)[:3].tolist()
    assert hits == expected and scores == sorted(scores, reverse=True)
    out = tmp_path / 'comp.png'
    res = CliRunner().invoke(app, ['retrieve', '--method', 'alignment', '--checkpoint', ckpt, '--bench', 'synth_retrieval',
                                   '--data-root', tiny_synth, '--compose', bench.ids[0], '--compose', bench.ids[1],
                                   '--lam', '0.3', '--k', '4', '--out', str(out)])
    assert res.exit_code == 0, res.output
    import re
    assert len([ln for ln in res.output.splitlines() if re.match(r'^\s*\d+\s+\S+\s+[+-]\d\.\d{3}', ln)]) == 4
    assert out.stat().st_size > 5_000
    bad = CliRunner().invoke(app, ['retrieve', '--method', 'alignment', '--checkpoint', ckpt, '--bench', 'synth_retrieval',
                                   '--data-root', tiny_synth, '--query', 'no_such_clip'])
    assert bad.exit_code == 2 and 'not in the gallery' in bad.output
