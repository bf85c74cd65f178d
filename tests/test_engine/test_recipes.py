"""Every cited constant of every real-data config, pinned: a later edit cannot drift silently.

Each row: config, dotted key, value, source (the release file:line or the paper, as the config's
comment says). Changing a recipe means changing this table and its source together."""
import pytest

from avzoo.engine.config import load_config

EZ = 'stoneMo/EZ-VSL@95ff5bf'
SL = 'stoneMo/SLAVC@05b429c'
FN = 'OpenNLPLab/FNAC_AVL@0a0ca78'
LV = 'hche11/Localizing-Visual-Sounds-the-Hard-Way@8fe8cbb'
AL = 'kaistmm/SSLalignment'
PAPER = 'Aligning Sight and Sound (TPAMI 2025)'

FRONT_257x200 = [
    ('model.data_preprocessor.spectrogram.hop_length', 238, f'{EZ} datasets.py L34 (noverlap 274)'),
    ('model.data_preprocessor.spectrogram.n_fft', 512, f'{EZ} datasets.py L34'),
    ('train_dataloader.dataset.audio.fill', 'window', f'{EZ} datasets.py L18-32'),
    ('train_dataloader.dataset.audio.channel', 'mean', f'{EZ} datasets.py L26'),
    ('train_dataloader.dataset.audio.window_seconds', 3.0, f'{EZ} datasets.py L18'),
]
FRONT_257x299 = [
    ('model.data_preprocessor.spectrogram.hop_length', 159, f'{AL} datasets_lvs.py L271-288 (noverlap 353)'),
    ('train_dataloader.dataset.audio.window_start', 3.5, f'{AL} datasets_lvs.py L145-147'),
    ('train_dataloader.dataset.audio.channel', 'first', f'{AL} datasets_lvs.py L271-288'),
    ('train_dataloader.dataset.audio.fill', 'clip', f'{AL} datasets_lvs.py L271-288'),
]
IMAGES = [
    ('train_dataloader.dataset.image_pipeline.0.size', 246, f'{EZ} datasets.py L153 (int(224 * 1.1), shorter side)'),
    ('train_dataloader.dataset.image_pipeline.0.interpolation', 'bicubic', f'{EZ} datasets.py L153'),
    ('train_dataloader.dataset.image_pipeline.1.size', 224, f'{EZ} datasets.py L154'),
    ('test_pipeline.0.size', (224, 224), f'{EZ} datasets.py L211'),
    ('test_pipeline.0.interpolation', 'bicubic', f'{EZ} datasets.py L211'),
    ('train_dataloader.batch_size', 128, f'{EZ} train.py L35'),
]
ADAM_20 = [
    ('optim_wrapper.optimizer.type', 'Adam', f'{EZ} utils.py L61-65'),
    ('optim_wrapper.optimizer.lr', 1e-4, f'{EZ} train.py L36'),
    ('train_cfg.max_epochs', 20, f'{EZ} train.py L34'),
]

RECIPES = {
    'ezvsl/ezvsl_r18_1xb128_vggsound144k.py': FRONT_257x200 + IMAGES + ADAM_20 + [
        ('optim_wrapper.optimizer.weight_decay', 0.0, f'{EZ} utils.py L61-65 (no weight decay)'),
        ('model.method.tau', 0.03, f'{EZ} train.py L31'),
        ('model.method.dim', 512, f'{EZ} train.py L30'),
        ('model.visual_encoder.strides', (1, 2, 2, 2), f'{EZ} model.py L13-16 (7x7 map)'),
    ],
    'marginnce/marginnce_r18_1xb128_vggsound144k.py': FRONT_257x200 + IMAGES + ADAM_20 + [
        ('optim_wrapper.optimizer.weight_decay', 0.0, f'{EZ} utils.py L61-65'),
        ('model.method.tau', 0.03, f'{EZ} train.py L31'),
        ('model.method.margin', -0.2, "the paper's negative margin; value avzoo's choice"),
    ],
    'slavc/slavc_r18_1xb128_vggsound144k.py': FRONT_257x200 + IMAGES + ADAM_20 + [
        ('optim_wrapper.optimizer.weight_decay', 0.0, f'{SL} train.py L52'),
        ('model.method.momentum_visual', 0.999, f'{SL} scripts/train_vggsound144k.sh (--m_img)'),
        ('model.method.momentum_audio', 0.999, f'{SL} scripts/train_vggsound144k.sh (--m_aud)'),
        ('model.method.visual_dropout', 0.9, f'{SL} scripts/train_vggsound144k.sh (--dropout_img)'),
        ('model.method.audio_dropout', 0.0, f'{SL} scripts/train_vggsound144k.sh (--dropout_aud)'),
        ('model.method.use_momentum_eval', True, f'{SL} scripts/train_vggsound144k.sh (--use_mom_eval)'),
        ('model.method.tau', 0.03, f'{SL} train.py L43'),
    ],
    'fnac/fnac_r18_1xb128_vggsound144k.py': FRONT_257x200 + IMAGES + ADAM_20 + [
        ('optim_wrapper.optimizer.weight_decay', 1e-4, f'{FN} train.py L40'),
        ('model.method.weights', (100.0, 100.0, 100.0), f'{FN} train.py L41-43'),
        ('model.method.warmup_epochs', 3, f'{FN} train.py L45'),
        ('model.method.visual_dropout', 0.9, f'{FN} train.py L57'),
        ('model.method.audio_dropout', 0.0, f'{FN} train.py L58'),
        ('model.data_preprocessor.spec_masks', {'freq': 10, 'time': 10}, f'{FN} datasets.py L320-321'),
    ],
    'lvs/lvs_r18_1xb128_vggsound144k.py': FRONT_257x299 + IMAGES + [
        ('model.visual_encoder.strides', (1, 2, 2, 1), f'{LV} models/base_models.py L153'),
        ('model.audio_encoder.strides', (1, 2, 2, 1), f'{LV} models/base_models.py L153'),
        ('model.method.eps_pos', 0.65, f'{LV} test.py L29'),
        ('model.method.eps_neg', 0.4, f'{LV} test.py L30'),
        ('model.method.trimap_tau', 0.03, f'{LV} model.py L30'),
        ('model.method.logit_tau', 0.07, f'{LV} model.py L75'),
    ],
    'alignment/alignment_r18-sup-nn_1xb128_vggsound144k.py': FRONT_257x299 + IMAGES[3:] + [
        ('model.method.direction', 'v2a', f'{PAPER} Sec. 3, Eq. 5'),
        ('model.method.tau', 0.07, PAPER),
        ('custom_hooks.0.miner.k', 1000, PAPER),
        ('optim_wrapper.optimizer.lr', 1e-4, PAPER),
        ('train_cfg.max_epochs', 50, PAPER),
        ('train_dataloader.dataset.aug_pipeline.0.scale', (0.08, 1.0), 'SimCLR (Chen et al. 2020) App. A'),
        ('train_dataloader.dataset.aug_pipeline.1.transforms.0.brightness', 0.8, 'SimCLR App. A'),
        ('train_dataloader.dataset.aug_pipeline.1.transforms.0.hue', 0.2, 'SimCLR App. A'),
        ('train_dataloader.dataset.aug_pipeline.1.p', 0.8, 'SimCLR App. A'),
        ('train_dataloader.dataset.aug_pipeline.2.p', 0.2, 'SimCLR App. A'),
        ('train_dataloader.dataset.aug_pipeline.3.p', 0.5, 'SimCLR App. A (blur)'),
        ('train_dataloader.dataset.audio.max_shift', 0.5, "avzoo's bound of the paper's slight time shift"),
        ('model.visual_encoder.strides', (1, 2, 2, 1), f'{AL} models_lvs/base_models.py (layer4 stride 1)'),
        ('model.upsample', 'bilinear_align_corners', f'{AL} test.py L438 (vggss_ours: cv2, L366-371)'),
    ],
}

FLICKR = [
    ('train_dataloader.dataset.id_list', 'flickr_144k.txt', f'{EZ} scripts/train_flickr144k.sh (--trainset)'),
    ('test_dataloader.dataset.type', 'FlickrDataset', f'{EZ} scripts/train_flickr144k.sh (--testset flickr)'),
    ('val_dataloader', None, 'avzoo: no validation on the test set (docs/protocol.md)'),
]
RECIPES['ezvsl/ezvsl_r18_1xb128_flickr144k.py'] = FRONT_257x200 + IMAGES + ADAM_20 + FLICKR + [
    ('model.method.tau', 0.03, f'{EZ} train.py L31')]
RECIPES['alignment/alignment_r18-sup-nn-previs_1xb128_vggsound144k.py'] = FRONT_257x299 + [
    ('model.visual_encoder.init_cfg.checkpoint', 'checkpoints/resnet18_imagenet.pth', f'{PAPER} (Pre. Vision)'),
    ('model.method.direction', 'v2a', f'{PAPER} Sec. 3, Eq. 5')]
RECIPES['alignment/alignment_r18-selfsup-nn_1xb128_vggsound144k.py'] = FRONT_257x299 + [
    ('custom_hooks.0.features.image', 'data/vggsound/embeddings/clip_image_vggsound144k/embeddings.npy', f'{PAPER} (CLIP)'),
    ('custom_hooks.0.features.audio', 'data/vggsound/embeddings/wav2clip_audio_vggsound144k/embeddings.npy',
     f'{PAPER} (Wav2CLIP)'),
    ('custom_hooks.0.miner.k', 1000, PAPER)]
RECIPES['alignment/alignment_r18-sup-nn_1xb128_flickr144k.py'] = FRONT_257x299 + FLICKR + [
    ('model.method.direction', 'v2a', f'{PAPER} Sec. 3, Eq. 5'),
    ('custom_hooks.0.features.ids', 'flickr_144k.txt', 'neighbours mined on the training list')]


def _get(cfg, dotted):
    node = cfg
    for part in dotted.split('.'):
        node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
    return node


def _norm(value):
    if isinstance(value, (list, tuple)):
        return tuple(_norm(v) for v in value)
    if hasattr(value, 'items'):
        return {k: _norm(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize('config,key,value,source', [(c, *row) for c, rows in RECIPES.items() for row in rows],
                         ids=lambda x: x if isinstance(x, str) and ('.' in x or '/' in x) else None)
def test_real_config_value_is_the_cited_one(config, key, value, source):
    assert _norm(_get(load_config(config), key)) == _norm(value), f'{config}: {key} (source: {source})'


def test_every_real_method_config_is_pinned():
    from avzoo.zoo import methods
    real = {s.configs['real'] for s in methods().values() if s.trains and 'real' in s.configs}
    pinned = {load_config(c).filename for c in RECIPES}
    assert real <= pinned, f'real configs without pinned recipes: {real - pinned}'


def test_the_short_name_is_the_paper_config():
    alias, full = load_config('ours_sup_nn'), load_config('alignment/alignment_r18-sup-nn_1xb128_vggsound144k.py')
    assert alias.to_dict() == full.to_dict() or {k for k in alias if alias[k] != full[k]} <= {'work_dir'}


def test_release_protocols_reach_the_test_run(tmp_path):
    """vggss_ours: the alignment release's 4,655 clips and cv2-style upsampling; every real config's
    test frames are resized as its release does (bicubic 224x224)."""
    import avzoo  # noqa: F401
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.engine.benchmark_config import eval_config
    from avzoo.registry import DATASETS
    spec = eval_config(load_config('ours_sup_nn'), 'vggss_ours', None, str(tmp_path))
    dataset = DATASETS.build(dict(spec.test_dataloader.dataset, check_files=False))
    assert len(dataset) == 4655 and '7XQN9XDnRm4_000080' not in {it['id'] for it in dataset.items}
    assert 'vggss.json' in dataset.ann_file and dataset.id_list == 'ours_vggss.txt'
    assert spec.model.upsample == 'bilinear' == benchmark_info('vggss_ours').upsample
    plain = eval_config(load_config('ours_sup_nn'), 'vggss', None, str(tmp_path))
    assert plain.model.upsample == 'bilinear_align_corners'
    assert plain.test_dataloader.dataset.image_pipeline[0]['interpolation'] == 'bicubic'
