"""What a user with downloaded media meets: roots set in one way, weights from a local folder,
skips counted by kind, caches in the work dir, floors that run no encoder they ignore."""
import os

import numpy as np
import pytest
import soundfile as sf
import torch

from avzoo.engine.config import load_config
from avzoo.engine.preflight import check_weights, root_hints
from avzoo.engine.runner import build_runner
from avzoo.evaluation.metrics import LocalizationMetric
from avzoo.utils.errors import AvzooError
from tests.utils import assert_one_line_error, run

OURS = 'configs/ours_sup_nn.py'


def test_every_root_is_set_by_data_root_name_dir():
    cfg = load_config(OURS, data_root=['data_root=/d/vggsound', 'vggss_root=/d/vggss', 'weights_root=/w'])
    assert cfg.train_dataloader.dataset.data_root == '/d/vggsound'
    assert cfg.custom_hooks[0].features.audio.startswith('/d/vggsound/embeddings/')
    assert cfg.test_dataloader.dataset.data_root == '/d/vggss'
    assert cfg.val_dataloader.dataset.data_root == '/d/vggsound'          # vggss_val.txt: VGGSound clips, not test
    assert cfg.ogl.encoder.pretrained == '/w/resnet18_imagenet.pth'
    assert load_config(OURS, data_root='/d/vggsound').train_dataloader.dataset.data_root == '/d/vggsound'
    with pytest.raises(AvzooError, match="unknown root 'vgss_root'"):
        load_config(OURS, data_root=['vgss_root=/x'])
    with pytest.raises(AvzooError, match="has no root 'synth_root'"):
        load_config(OURS, data_root=['synth_root=/x'])


def test_a_missing_root_names_the_option_that_sets_it(tmp_path):
    cfg = load_config('centre_prior/centre_prior_small_real.py', data_root=[f'vggss_root={tmp_path}/absent'],
                      work_dir=str(tmp_path / 'w'))
    runner = build_runner(cfg)
    with pytest.raises(AvzooError, match=r'vggss_root.*--data-root vggss_root=DIR'):
        with root_hints(cfg):
            runner.test()


def test_missing_imagenet_weights_is_one_line_naming_file_key_and_kind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.makedirs('media')
    code, out = run('eval', '--method', 'objectness', '--bench', 'vggss', '--data-root', 'media')
    assert_one_line_error(code, out, 'checkpoints/resnet18_imagenet.pth', 'model.visual_encoder.pretrained',
                          'ImageNet ResNet-18', 'AVZOO_WEIGHTS')
    from avzoo.models.encoders import ResNetEncoder
    os.makedirs('weights')
    torch.save(ResNetEncoder(strides=(1, 2, 2, 2)).state_dict(), 'weights/resnet18_imagenet.pth')
    monkeypatch.setenv('AVZOO_WEIGHTS', str(tmp_path / 'weights'))
    cfg = load_config('ezvsl/ezvsl_r18_1xb128-20e_vggsound144k.py')
    assert cfg.model.visual_encoder.init_cfg.checkpoint == str(tmp_path / 'weights' / 'resnet18_imagenet.pth')
    check_weights(cfg)                                   # found through the variable


def test_short_clips_are_counted_and_filled_as_the_release_does(synth_copy):
    import json

    from avzoo.workflows.evaluate import evaluate
    root = os.path.join(synth_copy, 'test_single')
    ann = json.load(open(os.path.join(root, 'synth_single.json')))
    sf.write(os.path.join(root, 'audio', ann[0]['file'] + '.wav'), np.zeros(400, np.float32), 8000)   # 0.05 s
    cfg = load_config('centre_prior/centre_prior_small_synth.py', data_root=synth_copy, work_dir=os.path.join(synth_copy, 'w'))
    metrics = evaluate(cfg, 'synth_single', None, synth_copy)
    assert metrics['n_short'] == 1 and metrics['n_skipped'] == 0 and metrics['n'] == len(ann)


def test_counts_by_kind_in_the_metric():
    metric = LocalizationMetric()
    metric.dataset_meta = dict(n_missing=4)
    gt = torch.zeros(224, 224)
    gt[:100, :100] = 1
    ok = dict(heatmap=gt.clone(), gt_map=gt, valid=True, id='a')
    metric.process({}, [ok, dict(ok, short=True, id='b'), dict(ok, valid=False, id='c')])
    out = metric.compute_metrics(metric.results)
    assert (out['n'], out['n_missing'], out['n_corrupt'], out['n_skipped'], out['n_short']) == (2, 4, 1, 5, 1)


def test_neighbour_cache_is_keyed_by_its_inputs(tmp_path):
    from avzoo.miners import neighbour_cache
    feats, miner = dict(type='NpyFeatures', image='a.npy', audio='b.npy'), dict(type='KNNMiner', k=1000)
    path = neighbour_cache(str(tmp_path), feats, miner, ['x', 'y'])
    assert path.startswith(str(tmp_path / 'cache'))
    assert path != neighbour_cache(str(tmp_path), feats, dict(miner, k=10), ['x', 'y'])           # k
    assert path != neighbour_cache(str(tmp_path), feats, miner, ['x', 'z'])                       # id list
    assert path != neighbour_cache(str(tmp_path), dict(feats, image='c.npy'), miner, ['x', 'y'])  # encoder


@pytest.mark.parametrize('config,runs', [('centre_prior/centre_prior_small_synth.py', set()),
                                         ('objectness/objectness_small-sup_synth.py', {'visual'})])
def test_floors_never_run_the_encoders_they_ignore(config, runs, tmp_path):
    from mmengine.registry import init_default_scope

    from avzoo.models.encoders import ResNetEncoder
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    (tmp_path / 'encoders').mkdir()
    torch.save(ResNetEncoder(widths=(16, 32, 64, 128)).state_dict(), tmp_path / 'encoders' / 'visual_encoder.pth')
    model = MODELS.build(load_config(config, data_root=str(tmp_path)).model).eval()
    called = set()
    for name in ('visual', 'audio'):
        getattr(model, f'{name}_encoder').register_forward_hook(lambda *a, n=name: called.add(n))
    batch = model.data_preprocessor(dict(inputs=dict(image=torch.zeros(3, 3, 128, 128, dtype=torch.uint8),
                                                     audio=torch.zeros(3, 8000))))
    with torch.no_grad():
        preds = model(batch['inputs'], mode='predict')
    assert called == runs and len(preds) == 3 and preds[0]['heatmap'].shape == (224, 224)


def test_dataloader_workers_never_exceed_the_cpus(monkeypatch):
    from avzoo.engine import preflight
    monkeypatch.setattr(preflight, 'available_cpus', lambda: 2)
    cfg = preflight.fit_workers(load_config(OURS))
    assert cfg.train_dataloader.num_workers == 2 and cfg.val_dataloader.num_workers == 2
