"""bfloat16 mixed precision that works on CPUs and GPUs alike.

MMEngine's ``AmpOptimWrapper`` refuses to start without CUDA/NPU/MLU and scales the loss for
float16. bfloat16 has float32's exponent range, so no loss scaling is needed: this wrapper only
runs the forward pass under ``torch.autocast`` on the model's device. Parameters, gradients and the
optimiser state stay float32.
"""
from __future__ import annotations

import contextlib

import torch
from mmengine.optim import OptimWrapper
from torch import nn

from avzoo.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class BF16OptimWrapper(OptimWrapper):
    """``optim_wrapper = dict(type='BF16OptimWrapper', optimizer=...)``: bf16 autocast forward."""

    @contextlib.contextmanager
    def optim_context(self, model: nn.Module):
        param = next(model.parameters(), None)
        device = param.device.type if param is not None else 'cpu'
        with super().optim_context(model), torch.autocast(device, dtype=torch.bfloat16):
            yield
