"""Every config in configs/ loads and its registered parts build."""
import glob
import os

import pytest
import torch
from mmengine.registry import init_default_scope

import avzoo  # noqa: F401
from avzoo.engine.config import CONFIG_ROOT, load_config
from avzoo.models.encoders import ResNetEncoder
from avzoo.registry import DATASETS, FEATURE_SOURCES, HOOKS, METRICS, MINERS, MODELS

CONFIGS = sorted(p for p in glob.glob(os.path.join(CONFIG_ROOT, '**', '*.py'), recursive=True)
                 if '_base_' not in p)


def test_configs_are_found():
    names = {os.path.relpath(p, CONFIG_ROOT) for p in CONFIGS}
    assert {'ours_sup_nn.py', 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'} <= names


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: os.path.relpath(p, CONFIG_ROOT))
def test_config_builds(path, tmp_path, monkeypatch):
    init_default_scope('avzoo')
    # stand-ins for weights that configs expect on disk (objectness floors)
    os.makedirs(tmp_path / 'encoders')
    torch.save(ResNetEncoder(widths=(16, 32, 64, 128)).state_dict(), tmp_path / 'encoders' / 'visual_encoder.pth')
    cfg = load_config(path, data_root=str(tmp_path))
    if "pretrained='checkpoints/resnet18_imagenet.pth'" in cfg.pretty_text.split('ogl =')[0]:
        monkeypatch.chdir(tmp_path)
        os.makedirs('checkpoints')
        torch.save(ResNetEncoder(strides=(1, 2, 2, 2)).state_dict(), 'checkpoints/resnet18_imagenet.pth')
    model = MODELS.build(cfg.model)
    assert hasattr(model, 'method')
    with torch.no_grad():
        model.eval()
        size = cfg.get('image_size', 224)
        wav = torch.zeros(2, int(cfg.audio['sample_rate'] * cfg.audio['window_seconds']))
        batch = model.data_preprocessor(dict(inputs=dict(image=torch.zeros(2, 3, size, size, dtype=torch.uint8),
                                                         audio=wav)))
        raw = model(batch['inputs'], mode='tensor')
    assert raw.dim() == 3 and raw.shape[0] == 2
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            assert DATASETS.get(cfg[loader]['dataset']['type']) is not None
    for evaluator in ('val_evaluator', 'test_evaluator'):
        if cfg.get(evaluator):
            assert METRICS.get(cfg[evaluator]['type']) is not None
    for hook in cfg.get("custom_hooks") or []:
        assert HOOKS.get(hook['type']) is not None
        if hook['type'] == 'PositiveMiningHook':
            assert FEATURE_SOURCES.get(hook['features']['type']) and MINERS.get(hook['miner']['type'])


def test_set_epochs_moves_the_schedule_with_the_run_length():
    from avzoo.engine.config import set_epochs
    from avzoo.utils.errors import AvzooError
    cfg = load_config('alignment/alignment_small_1xb32-sup-nn-5e_synth.py')
    old = cfg.train_cfg.max_epochs
    warmup, cosine = cfg.param_scheduler
    assert cosine.end == old and cosine.T_max == old - 1
    set_epochs(cfg, 3)
    assert cfg.train_cfg.max_epochs == 3 and cfg.train_cfg.val_interval == 3
    assert (warmup.end, cosine.begin, cosine.end, cosine.T_max) == (1, 1, 3, 2)
    one = set_epochs(load_config('alignment/alignment_small_1xb32-sup-nn-5e_synth.py'), 1)
    assert [s.type for s in one.param_scheduler] == ['LinearLR']          # the cosine part never begins
    with pytest.raises(AvzooError, match='>= 1'):
        set_epochs(cfg, 0)


def test_every_real_config_of_the_zoo_is_release_scale():
    from avzoo.datasets.train_lists import list_name_of, train_ids, train_list
    from avzoo.zoo import methods
    for spec in methods().values():
        if 'real' not in spec.configs:
            continue
        cfg = load_config(spec.config('real'))
        assert cfg.image_size == 224 and cfg.audio['sample_rate'] == 16000, spec.name
        if spec.trains:   # a shipped VGGSound list of release scale (vggss_144k.txt, or SSL-TIE's own)
            name = list_name_of(cfg.train_dataloader.dataset.id_list)
            assert name and train_list(name).source == 'vggsound' and len(train_ids(name)) == 144_000, spec.name
        else:
            assert cfg.train_dataloader is None, spec.name
        assert cfg.model.method.get('embed_dim', 512) == 512, spec.name


def test_no_real_config_validates_on_clips_it_trains_on():
    """Validation is only watched, but a watched number on training clips misleads: every shipped
    real config's validation list is disjoint from its training list (by clip)."""
    from avzoo.datasets.annotations import annotation_path, read_id_list
    checked = 0
    for path in CONFIGS:
        if 'synth' in os.path.basename(path):
            continue
        cfg = load_config(path)
        train, val = cfg.get('train_dataloader'), cfg.get('val_dataloader')
        if not train or not val or not val['dataset'].get('id_list'):
            continue
        train_clips, val_clips = (set(read_id_list(annotation_path(loader['dataset']['id_list']))) for loader in (train, val))
        overlap = train_clips & val_clips
        assert not overlap, f'{path}: {len(overlap)} validation clips are in training'
        checked += 1
    assert checked >= 8


def test_method_lookup_picks_the_config_of_the_benchmark_domain():
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.utils.errors import AvzooError
    from avzoo.zoo import get_method
    assert benchmark_info('synth_single').domain == 'synth' and benchmark_info('vpo_ms').domain == 'real'
    lvs = get_method('lvs')
    assert lvs.config(benchmark_info('vpo_ms').domain).endswith('lvs/lvs_r18_1xb128-20e_vggsound144k.py')
    assert lvs.config(benchmark_info('synth_single').domain).endswith('lvs/lvs_small_1xb32-5e_synth.py')
    with pytest.raises(AvzooError, match='no synth-data config'):
        get_method('alignment_selfsup').config('synth')


def test_one_source_per_value(tmp_path):
    """The front end's `audio` and `data_preprocessor` are declared once, at top level, and reach every
    dataset and the model; the training dataset loads the method's views; naming them on the dataset
    apart from the method is one error."""
    from avzoo.utils.errors import AvzooError
    cfg = load_config('ezvsl_r18_1xb128-20e_vggsound144k')
    assert cfg.model.data_preprocessor.spectrogram.hop_length == 238 == cfg.data_preprocessor.spectrogram.hop_length
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[loader].dataset.audio.channel == 'mean' and cfg[loader].dataset.audio.fill == 'window'
    assert cfg.train_dataloader.dataset.audio.max_shift == 0.5          # the aug view's own bound stays
    cfg = load_config('alignment_small_1xb32-sup-nn-5e_synth', ['model.method.views=("nn",)', 'audio.window_seconds=0.5'])
    assert cfg.train_dataloader.dataset.views == ('nn',)
    assert cfg.test_dataloader.dataset.audio.window_seconds == 0.5
    with pytest.raises(AvzooError, match='set model.method.views instead'):
        load_config('alignment_small_1xb32-sup-nn-5e_synth', ['train_dataloader.dataset.views=("aug",)'])
