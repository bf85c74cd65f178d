"""The global batch under data parallelism: embeddings gathered across ranks (with gradients) and
batch norm over all ranks, so R processes x B/R samples train as one process on B samples, up to
float rounding. Both are identities in a single process."""
from __future__ import annotations

from typing import List

import torch
import torch.distributed as dist
from torch import Tensor, nn


def world_size() -> int:
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def gather_batch(x: Tensor) -> Tensor:
    """``[B, ...]`` on each of R ranks -> ``[R * B, ...]`` in rank order, differentiable (the
    gradient of each rank's slice comes back to it); ``x`` itself when not distributed."""
    if world_size() == 1:
        return x
    from torch.distributed.nn.functional import all_gather
    parts: List[Tensor] = list(all_gather(x.contiguous()))
    return torch.cat([_ContiguousGrad.apply(p) for p in parts])


class _ContiguousGrad(torch.autograd.Function):
    """Identity whose backward makes the gradient contiguous. The gradient each gathered part gets
    is a slice of the concatenation's gradient, which is strided when the loss's backward lays it out
    transposed (LVS's einsums do); gloo's all-to-all in ``all_gather``'s backward then sent the wrong
    elements, silently (LVS's DDP gradients differed from one process's by more than their size)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: Tensor) -> Tensor:
        return grad.contiguous()


def same_on_every_rank(x: Tensor) -> Tensor:
    """Rank 0's ``x`` on every rank, in place (random draws all ranks must share, such as a
    per-batch augmentation choice); ``x`` itself when not distributed."""
    if world_size() > 1:
        dist.broadcast(x, src=0)
    return x


class GlobalBatchNorm(nn.modules.batchnorm._BatchNorm):
    """BatchNorm whose training statistics are those of the global batch across ranks (two
    differentiable all-reduces: sum and count, then squared deviations); plain BatchNorm otherwise."""

    def _check_input_dim(self, x: Tensor) -> None:
        if x.dim() < 2:
            raise ValueError(f'GlobalBatchNorm expects [N, C, ...], got {tuple(x.shape)}')

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or world_size() == 1:
            return super().forward(x)
        from torch.distributed.nn.functional import all_reduce
        c = x.shape[1]
        dims = [0] + list(range(2, x.dim()))
        count = torch.full((1,), x.numel() / c, dtype=x.dtype, device=x.device)
        stats = all_reduce(torch.cat([x.sum(dims), count]))
        n = stats[-1]
        mean = stats[:c] / n
        shape = [1, c] + [1] * (x.dim() - 2)
        # two passes (mean, then squared deviations): E[x^2] - E[x]^2 cancels catastrophically when
        # |mean| >> std (pooled non-negative features), which made gradients differ by up to 90 %
        var = all_reduce(((x - mean.view(shape)) ** 2).sum(dims)) / n
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked += 1
                m = self.momentum if self.momentum is not None else 1.0 / float(self.num_batches_tracked)
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1).clamp_min(1))
        y = (x - mean.view(shape)) * torch.rsqrt(var.view(shape) + self.eps)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        return y


def convert_global_batch_norm(module: nn.Module) -> nn.Module:
    """Every BatchNorm1d/2d/3d of ``module`` -> :class:`GlobalBatchNorm` with the same state."""
    out = module
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and not isinstance(module, GlobalBatchNorm):
        out = GlobalBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                              module.track_running_stats)
        out.load_state_dict(module.state_dict())
        out.train(module.training)
    for name, child in module.named_children():
        out.add_module(name, convert_global_batch_norm(child))
    return out
