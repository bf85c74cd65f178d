"""SSL-TIE's pieces on hand cases: the transformation T, the equivariance term, the combined loss and
the audio front end (avzoo/models/methods/ssltie.py)."""
import os

import pytest
import torch
import torch.nn.functional as F

from avzoo.models.methods.lvs import lvs_logits
from avzoo.models.methods.ssltie import (
    MelSpectrogramDB,
    TIEDraw,
    draw_tie,
    equivariance_loss,
    rotation_matrices,
    ssltie_losses,
)
from avzoo.utils.checkpoint import safe_torch_load
from avzoo.utils.imports import import_torchaudio
from tests.utils import REPO


def _identity(n: int, canvas=(16, 16)) -> TIEDraw:
    return TIEDraw(torch.zeros(n, dtype=torch.long), 1.0, False, canvas)


def test_rotation_matrix_turns_a_pixel_about_w2_h2():
    """90 degrees about (8, 8) on a 16x16 canvas: (x, y) -> (y, 16 - x), as OpenCV's and kornia's matrix."""
    m = rotation_matrices(torch.tensor([90.0]), 1.0, (16, 16))[0]
    x, y = 3.0, 5.0
    torch.testing.assert_close(m @ torch.tensor([x, y, 1.0]), torch.tensor([y, 16 - x]), atol=1e-5, rtol=0)
    half = rotation_matrices(torch.tensor([0.0]), 0.5, (16, 16))[0]     # scale 0.5 keeps the centre
    torch.testing.assert_close(half @ torch.tensor([8.0, 8.0, 1.0]), torch.tensor([8.0, 8.0]))


def test_transform_moves_an_impulse_where_the_matrix_says():
    x = torch.zeros(1, 1, 16, 16)
    x[0, 0, 5, 3] = 1.0                                                 # row y=5, column x=3
    out = TIEDraw(torch.tensor([90]), 1.0, False, (16, 16)).apply(x, torch.tensor([90]))
    assert out[0, 0, 13, 5] == pytest.approx(1.0, abs=1e-5) and out.sum() == pytest.approx(1.0, abs=1e-5)
    flipped = TIEDraw(torch.tensor([0]), 1.0, True, (16, 16)).apply(x, torch.tensor([0]))
    torch.testing.assert_close(flipped, x.flip(-1))
    small = TIEDraw(torch.tensor([0]), 0.5, False, (16, 16)).apply(torch.ones(2, 3, 16, 16), torch.zeros(2))
    assert small.shape == (2, 3, 8, 8)
    assert small[..., 3:5, 3:5].min() > 0.99 and small[..., 0, 0].max() < 1e-6   # content shrunk, zeros around


def test_identity_draw_is_the_identity():
    x = torch.randn(3, 2, 14, 14, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(_identity(3, (14, 14)).apply(x, torch.zeros(3)), x, atol=1e-4, rtol=0)


def test_transform_equals_the_release_kornia_transform():
    """tests/test_models/ssltie_kornia_maps.pt: the release's transform of 14x14 maps on its 224 canvas,
    computed with kornia (tools/ssltie_kornia_reference.py): every scale and flip."""
    ref = safe_torch_load(os.path.join(REPO, 'tests', 'test_models', 'ssltie_kornia_maps.pt'))
    assert {(c['scale'], c['flip']) for c in ref['cases']} == {(1.0, False), (1.0, True), (0.5, False), (0.5, True)}
    for case in ref['cases']:
        draw = TIEDraw(case['angles'], case['scale'], case['flip'], (224, 224))
        got = draw.apply(case['x'], case['angles'])
        assert got.shape == case['expected'].shape
        torch.testing.assert_close(got, case['expected'], atol=1e-4, rtol=1e-4)


def test_equivariance_term_is_zero_for_an_equivariant_map_and_positive_otherwise():
    """A per-pixel map (here the frame's first channel) commutes with T: the term is 0. Adding a fixed
    spatial pattern breaks that: the rotated pattern differs from the pattern, the term is > 0."""
    g = torch.Generator().manual_seed(0)
    image = torch.rand(4, 3, 32, 32, generator=g)
    draw = TIEDraw(torch.tensor([30, -20, 10, 25]), 0.5, True, (32, 32))
    t_image = draw.apply(image, draw.angles)

    def pointwise(x):
        return x[:, 0]
    assert equivariance_loss(pointwise(t_image), draw.apply(pointwise(image)[:, None], draw.angles)[:, 0]) < 1e-10

    def with_pattern(x):                                                # plus a left-to-right ramp
        return x[:, 0] + torch.linspace(0, 1, x.shape[-1]).expand(*x.shape[-2:])
    assert equivariance_loss(with_pattern(t_image), draw.apply(with_pattern(image)[:, None], draw.angles)[:, 0]) > 1e-3


def test_ssltie_losses_on_hand_cases():
    g = torch.Generator().manual_seed(1)
    v, a = torch.randn(4, 8, 6, 6, generator=g), torch.randn(4, 8, generator=g)
    out = ssltie_losses(v, v.clone(), a, _identity(4, (6, 6)), torch.zeros(4))
    lvs_ce = F.cross_entropy(lvs_logits(F.normalize(v, dim=1), F.normalize(a, dim=1)), torch.zeros(4, dtype=torch.long))
    torch.testing.assert_close(out['loss_contrast'], lvs_ce)           # 0.5 * (CE + CE) with CE' = CE
    assert out['loss_equivariance'] < 1e-12                            # T = identity, same maps
    rotated = TIEDraw(torch.full((4,), 90), 1.0, False, (6, 6))
    moved = ssltie_losses(v, v.clone(), a, rotated, rotated.angles, weight=2.0)
    assert moved['loss_equivariance'] > 0
    plain = ssltie_losses(v, v.clone(), a, rotated, rotated.angles, weight=1.0)
    torch.testing.assert_close(moved['loss_equivariance'], 2 * plain['loss_equivariance'])


def test_draw_covers_the_releases_choices():
    torch.manual_seed(0)
    draws = [draw_tie(8, (224, 224), 30, (1.0, 0.5), 0.5, torch.device('cpu')) for _ in range(200)]
    angles = torch.cat([d.angles for d in draws])
    assert angles.dtype == torch.long and angles.min() == -30 and angles.max() == 30
    scales = [d.scale for d in draws]
    assert set(scales) == {1.0, 0.5} and 60 < scales.count(0.5) < 140
    assert 60 < sum(d.flip for d in draws) < 140


def test_front_end_is_the_release_mel_db_and_masks_only_in_training():
    T = import_torchaudio('transforms')
    wav = 0.1 * torch.randn(2, 16000 * 10, generator=torch.Generator().manual_seed(2))
    front = MelSpectrogramDB(time_mask=180, freq_mask=35, p_mask=1.0).eval()
    spec = front(wav)
    assert spec.shape == (2, 1, 257, 670)
    mel = T.MelSpectrogram(sample_rate=16000, n_fft=512, hop_length=239, n_mels=257, normalized=True)(wav)
    torch.testing.assert_close(spec[:, 0], 10 * torch.log10(mel.clamp_min(1e-10)))
    torch.manual_seed(3)
    masked = front.train()(wav)
    assert (masked == -100).any() and not (spec == -100).all()         # masked bands read -100 dB
    assert torch.equal(MelSpectrogramDB(time_mask=180, freq_mask=35, p_mask=0.0).train()(wav), spec)


def test_the_release_recipe_trains_a_step(tmp_path):
    """The real config as shipped (224 px frames, the 10 s mel-dB front end with SpecAugment, the
    transformed copy at scale 1 or 0.5): one loss step on two samples, gradients in both encoders."""
    from mmengine.registry import init_default_scope

    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    cfg = load_config('ssltie/ssltie_r18_1xb32-100e_vggsound144k-ssltie.py', data_root=str(tmp_path))
    assert cfg.model.upsample == 'bilinear' and cfg.train_dataloader.dataset.audio['window_seconds'] == 10.0
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).train()
    g = torch.Generator().manual_seed(0)
    batch = model.data_preprocessor(dict(inputs=dict(
        image=torch.randint(0, 256, (2, 3, 224, 224), dtype=torch.uint8, generator=g),
        audio=0.1 * torch.randn(2, 160000, generator=g))), training=True)
    assert batch['inputs']['audio'].shape == (2, 1, 257, 670)
    losses = model(batch['inputs'], mode='loss')
    assert set(losses) == {'loss_contrast', 'loss_equivariance'} and all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    for encoder in (model.visual_encoder, model.audio_encoder):
        assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in encoder.parameters())
