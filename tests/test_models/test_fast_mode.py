"""The fast training mode (bf16 autocast + channels_last, tools/bench_train.py) gives the fp32
losses and maps within a tolerance; the batched SimCLR augmentation keeps its contract."""
import torch

from avzoo.apis import init_model
from avzoo.models.batched_augment import BatchedSimCLR
from avzoo.ops import minmax_normalize

CONFIG = 'ours/ours_small-sup-nn_1xb32_synth.py'


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
