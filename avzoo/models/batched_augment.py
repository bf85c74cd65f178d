"""SimCLR's image augmentations for a whole batch at once, on the batch's device.

One random resized crop + flip for all samples in a single ``roi_align`` call, colour jitter as
per-sample factors, grayscale and Gaussian blur as batched ops: a handful of kernels per batch
instead of per-sample transforms in CPU workers (the releases' way). The parameters follow
torchvision's ``RandomResizedCrop`` / ``ColorJitter`` / ``RandomGrayscale`` / ``GaussianBlur``;
two simplifications, both avzoo's: the crop's aspect ratio is drawn once (no resampling when the
box falls outside the frame; it is clamped instead) and the hue shift rotates chroma in YIQ space
(torchvision converts to HSV), which is close for small shifts but not identical. Used by
the fast configs (``AVDataPreprocessor(batch_augment=...)``) and ``tools/bench_train.py``'s fast mode.
"""
from __future__ import annotations

import math
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.ops import roi_align

from avzoo.registry import MODELS

_GRAY = (0.299, 0.587, 0.114)


@MODELS.register_module()
class BatchedSimCLR(nn.Module):
    """``[B, 3, H, W]`` float in [0, 1] -> ``[B, 3, size, size]`` augmented, on the input's device."""

    def __init__(self, size: int = 224, scale: Tuple[float, float] = (0.08, 1.0),
                 ratio: Tuple[float, float] = (3 / 4, 4 / 3), jitter: Tuple[float, float, float, float] = (0.8, 0.8, 0.8, 0.2),
                 p_jitter: float = 0.8, p_gray: float = 0.2, p_blur: float = 0.5, blur_kernel: int = 23,
                 blur_sigma: Tuple[float, float] = (0.1, 2.0)) -> None:
        super().__init__()
        self.size, self.scale, self.ratio, self.jitter = size, scale, ratio, jitter
        self.p_jitter, self.p_gray, self.p_blur = p_jitter, p_gray, p_blur
        self.blur_kernel, self.blur_sigma = blur_kernel, blur_sigma

    def _crop_boxes(self, b: int, h: int, w: int, device) -> Tensor:
        area = torch.empty(b, device=device).uniform_(*self.scale) * h * w
        log_r = torch.empty(b, device=device).uniform_(math.log(self.ratio[0]), math.log(self.ratio[1]))
        r = torch.exp(log_r)
        cw = torch.sqrt(area * r).clamp(1, w)
        ch = torch.sqrt(area / r).clamp(1, h)
        x0 = torch.rand(b, device=device) * (w - cw)
        y0 = torch.rand(b, device=device) * (h - ch)
        idx = torch.arange(b, device=device, dtype=torch.float32)
        return torch.stack([idx, x0, y0, x0 + cw, y0 + ch], dim=1)

    def forward(self, x: Tensor) -> Tensor:
        b, _, h, w = x.shape
        dev = x.device
        out = roi_align(x.float(), self._crop_boxes(b, h, w, dev), output_size=self.size, aligned=True)
        flip = torch.rand(b, device=dev) < 0.5
        out = torch.where(flip.view(b, 1, 1, 1), out.flip(-1), out)
        out = self._jitter(out, torch.rand(b, device=dev) < self.p_jitter)
        gray = (out * torch.tensor(_GRAY, device=dev).view(1, 3, 1, 1)).sum(1, keepdim=True).expand_as(out)
        out = torch.where((torch.rand(b, device=dev) < self.p_gray).view(b, 1, 1, 1), gray, out)
        return self._blur(out, torch.rand(b, device=dev) < self.p_blur).clamp_(0, 1)

    def _jitter(self, x: Tensor, on: Tensor) -> Tensor:
        b, dev = x.shape[0], x.device
        bri, con, sat, hue = self.jitter

        def factor(s: float) -> Tensor:
            return torch.empty(b, 1, 1, 1, device=dev).uniform_(max(0.0, 1 - s), 1 + s)
        gray_w = torch.tensor(_GRAY, device=dev).view(1, 3, 1, 1)
        y = x * factor(bri)
        mean = (y * gray_w).sum(1, keepdim=True).mean(dim=(2, 3), keepdim=True)
        y = ((y - mean) * factor(con) + mean).clamp(0, 1)
        g = (y * gray_w).sum(1, keepdim=True)
        y = ((y - g) * factor(sat) + g).clamp(0, 1)
        theta = torch.empty(b, device=dev).uniform_(-hue, hue) * 2 * math.pi
        to_yiq = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]], device=dev)
        yiq = torch.einsum('ij,bjhw->bihw', to_yiq, y)
        c, s = torch.cos(theta).view(b, 1, 1), torch.sin(theta).view(b, 1, 1)
        i, q = yiq[:, 1], yiq[:, 2]
        yiq = torch.stack([yiq[:, 0], c * i - s * q, s * i + c * q], dim=1)
        y = torch.einsum('ij,bjhw->bihw', torch.linalg.inv(to_yiq), yiq).clamp(0, 1)
        return torch.where(on.view(b, 1, 1, 1), y, x)

    def _blur(self, x: Tensor, on: Tensor) -> Tensor:
        b, c, h, w = x.shape
        k = self.blur_kernel * self.size // 224 | 1
        sigma = torch.empty(b, device=x.device).uniform_(*self.blur_sigma)
        r = torch.arange(k, device=x.device, dtype=x.dtype) - k // 2
        kern = torch.exp(-r.view(1, -1) ** 2 / (2 * sigma.view(-1, 1) ** 2))
        kern = (kern / kern.sum(1, keepdim=True)).repeat_interleave(c, 0)          # [B*C, k]
        y = x.reshape(1, b * c, h, w)
        y = F.conv2d(F.pad(y, (k // 2, k // 2, 0, 0), mode='reflect'), kern.view(b * c, 1, 1, k), groups=b * c)
        y = F.conv2d(F.pad(y, (0, 0, k // 2, k // 2), mode='reflect'), kern.view(b * c, 1, k, 1), groups=b * c)
        return torch.where(on.view(b, 1, 1, 1), y.view(b, c, h, w), x)
