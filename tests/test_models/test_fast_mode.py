"""The fast training mode (bf16 autocast + channels_last, tools/bench_train.py) gives the fp32
losses and maps within a tolerance; the batched SimCLR augmentation keeps its contract."""
import torch

from avzoo.apis.model import init_model
from avzoo.models.batched_augment import BatchedSimCLR
from avzoo.models.ops import minmax_normalize

CONFIG = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'


def _inputs(seed=0, b=8):
    g = torch.Generator().manual_seed(seed)
    out = {k: torch.randn(b, 3, 128, 128, generator=g) for k in ('image', 'image_aug', 'image_nn')}
    out.update({k: torch.randn(b, 1, 129, 61, generator=g) for k in ('audio', 'audio_aug', 'audio_nn')})
    return out


def test_bf16_channels_last_losses_and_maps_match_fp32():
    torch.manual_seed(0)
    model = init_model(CONFIG).train()
    inputs = _inputs()
    ref = model(inputs, mode='loss')
    fast_inputs = {k: v.contiguous(memory_format=torch.channels_last) for k, v in inputs.items()}
    with torch.autocast('cpu', dtype=torch.bfloat16):
        fast = model(fast_inputs, mode='loss')
    for k in ref:
        assert abs(float(fast[k]) - float(ref[k])) <= 0.02 * abs(float(ref[k])), (k, float(fast[k]), float(ref[k]))
    model.eval()
    with torch.no_grad():
        maps = minmax_normalize(model(inputs, mode='tensor'))
        with torch.autocast('cpu', dtype=torch.bfloat16):
            fast_maps = minmax_normalize(model(fast_inputs, mode='tensor').float())
    assert (maps - fast_maps).abs().mean() < 0.02 and (maps - fast_maps).abs().max() < 0.15


def test_batched_simclr_contract():
    aug = BatchedSimCLR(size=96)
    x = torch.rand(6, 3, 120, 160)
    torch.manual_seed(1)
    a = aug(x)
    torch.manual_seed(1)
    b = aug(x)
    assert a.shape == (6, 3, 96, 96) and a.min() >= 0 and a.max() <= 1
    assert torch.equal(a, b)                                   # draws only from the torch generator
    assert not torch.equal(a, aug(x))                          # and is random
    no_jitter = BatchedSimCLR(size=120, scale=(1.0, 1.0), ratio=(4 / 3, 4 / 3), p_jitter=0, p_gray=0, p_blur=0)
    smooth = torch.nn.functional.interpolate(torch.rand(6, 3, 6, 8), size=(120, 160), mode='bilinear')
    out = no_jitter(smooth)                                   # a full-frame crop: the frame, resized / flipped
    ref = torch.nn.functional.interpolate(smooth, size=(120, 120), mode='bilinear', align_corners=False)
    flipped = ref.flip(-1)
    close = [(torch.allclose(o, r, atol=0.05) or torch.allclose(o, f, atol=0.05)) for o, r, f in zip(out, ref, flipped)]
    assert all(close)


def test_preprocessor_batch_augment_only_in_training_and_only_its_key():
    from avzoo.models.preprocessor import AVDataPreprocessor
    prep = AVDataPreprocessor(spectrogram=dict(sample_rate=8000, n_fft=256, hop_length=128),
                              batch_augment=dict(image_aug=dict(type='BatchedSimCLR', size=64)))
    images = torch.randint(0, 256, (4, 3, 80, 80), dtype=torch.uint8)
    data = dict(inputs=dict(image=images[:, :, :64, :64], image_aug=images, audio=torch.randn(4, 8000)))
    plain = AVDataPreprocessor(spectrogram=dict(sample_rate=8000, n_fft=256, hop_length=128))
    train = prep(data, training=True)['inputs']
    assert train['image_aug'].shape == (4, 3, 64, 64)                        # augmented to its size
    assert torch.equal(train['image'], plain(data, training=True)['inputs']['image'])   # other keys untouched
    test = prep(data, training=False)['inputs']
    assert torch.equal(test['image_aug'], plain(data)['inputs']['image_aug'])  # eval: normalisation only


def test_bf16_optim_wrapper_autocasts_on_cpu_and_keeps_fp32_weights():
    from avzoo.engine.precision import BF16OptimWrapper
    model = torch.nn.Linear(4, 3)
    wrapper = BF16OptimWrapper(optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    x = torch.randn(2, 4)
    with wrapper.optim_context(model):
        y = model(x)
    assert y.dtype == torch.bfloat16
    before = model.weight.detach().clone()
    wrapper.update_params(y.float().square().mean())
    assert model.weight.dtype == torch.float32 and not torch.equal(before, model.weight)
    assert model(x).dtype == torch.float32                                 # outside the context: fp32


def test_fast_mode_trains_the_synth_method_end_to_end(tiny_synth, tmp_path):
    """The fast recipe's pieces in `avzoo train` (bf16 wrapper, channels_last, the SimCLR view drawn
    by the data preprocessor): one epoch trains, its first loss is the fp32 run's within 5 %, and
    the weights are finite."""
    import json

    from avzoo.engine.config import load_config
    from avzoo.workflows.train import last_checkpoint, train
    from tests.utils import FAST
    first = {}
    for mode in ('fp32', 'fast'):
        work = str(tmp_path / mode)
        cfg = load_config(CONFIG, FAST + ['train_cfg.max_epochs=1', 'default_hooks.logger.interval=1'],
                          data_root=tiny_synth, work_dir=work)
        if mode == 'fast':
            cfg.optim_wrapper.type = 'BF16OptimWrapper'
            cfg.model.channels_last = True
            cfg.model.data_preprocessor.batch_augment = dict(image_aug=dict(type='BatchedSimCLR', size=128))
            cfg.train_dataloader.dataset.aug_pipeline = [dict(type='tv/Resize', size=(144, 144), antialias=True)]
        train(cfg)
        state = torch.load(last_checkpoint(work), map_location='cpu', weights_only=True)['state_dict']
        assert all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point())
        logs = [json.loads(line) for path in sorted(glob_logs(work)) for line in open(path) if '"loss"' in line]
        first[mode] = logs[0]['loss']
    assert abs(first['fast'] - first['fp32']) <= 0.05 * abs(first['fp32']), first


def glob_logs(work):
    import glob
    return glob.glob(f'{work}/*/vis_data/scalars.json')
