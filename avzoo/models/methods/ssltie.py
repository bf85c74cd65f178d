"""SSL-TIE ("Exploiting Transformation Invariance and Equivariance for Self-supervised Sound
Localisation", ACM MM 2022); the method's card (avzoo/configs/ssltie/README.md) has the math and
where each value comes from (jinxiang-liu/SSL-TIE @c49e6a9).

LVS's trimap objective on the frame and on a transformed copy of it (the same sound for both),
``0.5 * (CE + CE')``, plus transformation equivariance: ``lambda * MSE(A(T(x)), T(A(x)))`` between
the cosine map of the transformed frame and the transformed cosine map of the frame. ``T`` (one
draw per batch): each sample rotated by its own whole angle in ``[-max_angle, max_angle]`` about the
centre, the whole batch rescaled by 0.5 with probability 0.5 and flipped with probability 0.5. The
transforms are batched ``affine_grid`` / ``grid_sample`` on the device, with kornia's conventions
(``get_rotation_matrix2d``, ``warp_affine`` with ``align_corners=True``, zero padding, bilinear
resize without antialiasing), which the release calls. The test map is the cosine map ``A``.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avzoo.models.global_batch import same_on_every_rank, world_size
from avzoo.models.losses import cosine_map
from avzoo.models.methods.base import ANCHOR, LocalizationMethod
from avzoo.models.methods.lvs import lvs_logits
from avzoo.registry import MODELS
from avzoo.utils.imports import import_torchaudio

TIE = 'tie'     # the derived view: the transformed frame


# -- the transformation T, as pure batched functions ------------------------------------------------
def rotation_matrices(angles: Tensor, scale: float, size: Tuple[int, int]) -> Tensor:
    """Pixel-space affine matrices ``[B, 2, 3]`` rotating by ``angles`` (degrees ``[B]``, positive
    counter-clockwise on screen) and scaling by ``scale`` about the centre ``(W / 2, H / 2)``, as
    OpenCV's and kornia's ``get_rotation_matrix2d``."""
    h, w = size
    theta = torch.deg2rad(angles.float())
    alpha, beta = scale * torch.cos(theta), scale * torch.sin(theta)
    cx, cy = w / 2, h / 2
    return torch.stack([torch.stack([alpha, beta, (1 - alpha) * cx - beta * cy], -1),
                        torch.stack([-beta, alpha, beta * cx + (1 - alpha) * cy], -1)], 1)


def _pixel_to_unit(h: int, w: int, like: Tensor) -> Tensor:
    """``[3, 3]``: pixel coordinates -> [-1, 1] with pixel centres at the ends (align_corners=True)."""
    return torch.tensor([[2 / max(w - 1, 1), 0, -1], [0, 2 / max(h - 1, 1), -1], [0, 0, 1]],
                        dtype=like.dtype, device=like.device)


def warp_affine(x: Tensor, matrices: Tensor, size: Tuple[int, int]) -> Tensor:
    """``x`` ``[B, C, H, W]`` warped by pixel-space ``matrices`` ``[B, 2, 3]`` (source -> output)
    into ``[B, C, *size]``: bilinear, zeros outside, align_corners=True (kornia's ``warp_affine``)."""
    b, c, h, w = x.shape
    last = torch.tensor([0.0, 0.0, 1.0], dtype=x.dtype, device=x.device).expand(b, 1, 3)
    m = torch.cat([matrices.to(x.dtype), last], dim=1)
    out_from_src = _pixel_to_unit(*size, like=x) @ m @ torch.linalg.inv(_pixel_to_unit(h, w, like=x))
    grid = F.affine_grid(torch.linalg.inv(out_from_src)[:, :2], [b, c, *size], align_corners=True)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=True)


def _resize(x: Tensor, size: Tuple[int, int]) -> Tensor:
    return x if tuple(x.shape[-2:]) == tuple(size) else F.interpolate(x, size=size, mode='bilinear', align_corners=False)


@dataclass(frozen=True)
class TIEDraw:
    """One draw of ``T``: ``angles`` ``[N]`` (degrees, one per sample of the global batch), the
    batch's ``scale`` and ``flip``, and the ``canvas`` (the frame's size) the warp happens on."""
    angles: Tensor
    scale: float
    flip: bool
    canvas: Tuple[int, int]

    def apply(self, x: Tensor, angles: Tensor) -> Tensor:
        """``[B, C, h, w]`` (a frame or a map) -> ``[B, C, int(h * scale), int(w * scale)]``: resized
        to the canvas, warped there, resized to the scaled input size, flipped (the release's
        ``TfEquivarianceLoss.transform``, utils/tf_equivariance_loss.py L132-170)."""
        out_size = (int(x.shape[-2] * self.scale), int(x.shape[-1] * self.scale))
        x = x if x.is_floating_point() else x.float()
        matrices = rotation_matrices(angles, self.scale, self.canvas)                 # [B, 2, 3]
        y = _resize(warp_affine(_resize(x, self.canvas), matrices, self.canvas), out_size)
        return y.flip(-1) if self.flip else y


def draw_tie(batch: int, canvas: Tuple[int, int], max_angle: int, scales: Sequence[float], p_flip: float,
             device: torch.device) -> TIEDraw:
    """Angles uniform over the whole degrees in ``[-max_angle, max_angle]``, one per sample; the scale
    uniform over ``scales`` and the flip with ``p_flip``, once for the batch. Under DDP rank 0's
    draw is every rank's and ``angles`` covers the global batch (``batch`` x ranks)."""
    angles = torch.randint(-max_angle, max_angle + 1, (batch * world_size(),), device=device)
    coins = torch.rand(2, device=device)
    same_on_every_rank(angles)
    same_on_every_rank(coins)
    scale = float(scales[min(int(coins[0] * len(scales)), len(scales) - 1)])
    return TIEDraw(angles, scale, bool(coins[1] < p_flip), canvas)


def _rank_slice(angles: Tensor, n: int) -> Tensor:
    """This rank's ``n`` entries of a global-batch draw (the ranks' samples in rank order)."""
    rank = torch.distributed.get_rank() if world_size() > 1 else 0
    return angles[rank * n:(rank + 1) * n]


def equivariance_loss(map_of_transformed: Tensor, transformed_map: Tensor) -> Tensor:
    """``MSE(A(T(x)), T(A(x)))``: maps ``[B, h, w]`` (the first resized to the second's size when they
    differ, as the release's ``forward``, L173-178) -> scalar."""
    if map_of_transformed.shape[-2:] != transformed_map.shape[-2:]:
        map_of_transformed = _resize(map_of_transformed[:, None], tuple(transformed_map.shape[-2:]))[:, 0]
    return F.mse_loss(map_of_transformed, transformed_map)


def ssltie_losses(v: Tensor, v_tie: Tensor, a: Tensor, draw: TIEDraw, angles: Tensor, weight: float = 1.0,
                  **lvs: float) -> Dict[str, Tensor]:
    """Visual maps of the frame ``[B, C, h, w]`` and of its transform ``[B, C, h', w']``, audio
    ``[B, C]`` -> ``loss_contrast = 0.5 * (CE + CE')`` (LVS's logits, :func:`lvs_logits` with
    ``lvs``'s constants) and ``loss_equivariance = weight * MSE(A(T(x)), T(A(x)))`` (``A`` the
    cosine map; both sides carry gradients, as in the release)."""
    v, v_tie, a = F.normalize(v, dim=1), F.normalize(v_tie, dim=1), F.normalize(a, dim=1)
    target = torch.zeros(v.shape[0], dtype=torch.long, device=v.device)
    ce = F.cross_entropy(lvs_logits(v, a, **lvs), target)
    ce_tie = F.cross_entropy(lvs_logits(v_tie, a, **lvs), target)
    transformed_map = draw.apply(cosine_map(v, a)[:, None], angles)[:, 0]
    return dict(loss_contrast=0.5 * (ce + ce_tie),
                loss_equivariance=weight * equivariance_loss(cosine_map(v_tie, a), transformed_map))


@MODELS.register_module()
class SSLTIE(LocalizationMethod):
    """SSL-TIE's objective on the shared encoders (cosine maps, no projection heads)."""

    derived_views = (TIE,)

    def __init__(self, max_angle: int = 30, scales: Sequence[float] = (1.0, 0.5), p_flip: float = 0.5,
                 equivariance_weight: float = 1.0, eps_pos: float = 0.65, eps_neg: float = 0.4,
                 trimap_tau: float = 0.03, logit_tau: float = 0.07) -> None:
        super().__init__()
        self.max_angle, self.scales, self.p_flip = int(max_angle), tuple(scales), p_flip
        self.equivariance_weight = equivariance_weight
        self.lvs = dict(eps_pos=eps_pos, eps_neg=eps_neg, trimap_tau=trimap_tau, logit_tau=logit_tau)
        self._draw: TIEDraw | None = None

    def derive_views(self, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        image = inputs['image']
        self._draw = draw_tie(image.shape[0], tuple(image.shape[-2:]), self.max_angle, self.scales, self.p_flip,
                              image.device)
        local = _rank_slice(self._draw.angles, image.shape[0])
        return {f'image_{TIE}': self._draw.apply(image, local)}

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        draw, v = self._draw, v_maps[ANCHOR]
        self._draw = None                         # one draw per step: never reused by a later call
        if draw is None:
            raise RuntimeError('SSLTIE.loss before derive_views: AVLocalizer derives the transformed view first')
        # maps gathered across ranks cover the global batch; otherwise they are this rank's slice
        angles = draw.angles if v.shape[0] == draw.angles.shape[0] else _rank_slice(draw.angles, v.shape[0])
        return ssltie_losses(v, v_maps[TIE], a_embs[ANCHOR], draw, angles, self.equivariance_weight, **self.lvs)


@MODELS.register_module()
class MelSpectrogramDB(nn.Module):
    """SSL-TIE's audio front end (jinxiang-liu/SSL-TIE datasets/dataloader.py L247-268): waveform
    ``[B, T]`` -> ``[B, 1, n_mels, frames]`` decibels. torchaudio's ``MelSpectrogram`` (power of a
    centred, reflect-padded Hann STFT, divided by the window's energy when ``normalized``; HTK mel
    filters without norm); in training, each sample with probability ``p_mask`` gets one time band
    (width ``U[0, time_mask)``) and one frequency band (``U[0, freq_mask)``) set to zero power; then
    ``AmplitudeToDB`` (``10 log10(max(S, 1e-10))``, no top_db), so a masked band reads -100 dB as in
    the release, which masks before converting. The window and filters are not saved with the model."""

    def __init__(self, sample_rate: int = 16000, n_fft: int = 512, hop_length: int = 239, n_mels: int = 257,
                 normalized: bool = True, time_mask: int = 0, freq_mask: int = 0, p_mask: float = 0.0) -> None:
        super().__init__()
        T, AF = import_torchaudio('transforms'), import_torchaudio('functional')
        self.n_fft, self.hop_length, self.normalized, self.p_mask = n_fft, hop_length, normalized, p_mask
        self.register_buffer('window', torch.hann_window(n_fft), persistent=False)
        with warnings.catch_warnings():   # 257 mels over 257 bins leave some filters empty, as in the release
            warnings.filterwarnings('ignore', message='At least one mel filterbank has all zero values')
            filters = AF.melscale_fbanks(n_fft // 2 + 1, 0.0, sample_rate / 2, n_mels, sample_rate)
        self.register_buffer('filters', filters, persistent=False)                  # [n_freqs, n_mels]
        self.masks = nn.Sequential(*([T.TimeMasking(time_mask, iid_masks=True)] if time_mask else []) +
                                   ([T.FrequencyMasking(freq_mask, iid_masks=True)] if freq_mask else []))

    def forward(self, wav: Tensor) -> Tensor:
        stft = torch.stft(wav.float(), self.n_fft, self.hop_length, window=self.window, center=True,
                          pad_mode='reflect', return_complex=True)                  # [B, n_freqs, frames]
        power = stft.abs().pow(2) / (self.window.pow(2).sum() if self.normalized else 1.0)
        spec = torch.einsum('bft,fm->bmt', power, self.filters)[:, None]            # [B, 1, n_mels, frames]
        if self.training and len(self.masks) and self.p_mask > 0:
            on = torch.rand(spec.shape[0], device=spec.device) < self.p_mask
            spec = torch.where(on.view(-1, 1, 1, 1), self.masks(spec), spec)
        return 10 * torch.log10(spec.clamp_min(1e-10))
