"""Helpers shared by the tests (fixtures live in conftest.py); a test imports from here, never
from a sibling test module."""
from __future__ import annotations

import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from typer.testing import CliRunner

from avzoo.cli import app

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANNOTATIONS = os.path.join(REPO, 'avzoo', 'annotations')  # the shipped copies of the public annotation files

# Small, fast training settings for any synth config.
FAST = ['train_dataloader.batch_size=16', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'log_level=WARNING']


# -- the command line, as a user meets it ------------------------------------------------------
runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else '')


def assert_one_line_error(code, out, *fragments):
    assert code == 2, out
    assert 'Traceback' not in out
    lines = [line for line in out.strip().splitlines() if line.strip()]
    assert lines[-1].startswith('error:'), out
    for frag in fragments:
        assert frag in out, out


def random_weights(config: str, path, seed: int = 0) -> str:
    """The model of ``config`` with PyTorch's initialisation under ``seed``, saved as a checkpoint at ``path``."""
    from mmengine.registry import init_default_scope

    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    torch.manual_seed(seed)
    torch.save({'state_dict': MODELS.build(load_config(config).model).state_dict()}, path)
    return str(path)

# -- the releases' test-time networks, written from their papers (tests/test_convert) ---------
TAU = 0.03


def randomise(module: nn.Module, seed: int) -> nn.Module:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if t.is_floating_point():
                if name.endswith('running_var'):
                    t.copy_(0.5 + torch.rand(t.shape, generator=g))
                else:
                    t.copy_(0.05 * torch.randn(t.shape, generator=g))
    return module.eval()


def release_resnet(in_channels: int, layer4_stride: int = 2, max_pool: bool = False, keep_map: bool = True):
    net = torchvision.models.resnet18()
    if in_channels == 1:
        net.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    if layer4_stride == 1:
        net.layer4[0].conv1.stride = (1, 1)
        net.layer4[0].downsample[0].stride = (1, 1)
    net.avgpool = nn.AdaptiveMaxPool2d(1) if max_pool else nn.Identity()
    net.fc = nn.Identity()
    return net


class EZVSLRelease(nn.Module):
    """The EZ-VSL / MarginNCE / FNAC test-time forward, written from their papers' description."""

    def __init__(self):
        super().__init__()
        self.imgnet, self.img_proj = release_resnet(3), nn.Conv2d(512, 512, 1)
        self.audnet, self.aud_proj = release_resnet(1, max_pool=True), nn.Linear(512, 512)

    def forward(self, image, spec):
        v = F.normalize(self.img_proj(self.imgnet(image).unflatten(1, (512, 7, 7))), dim=1)
        a = F.normalize(self.aud_proj(self.audnet(spec)), dim=1)
        return torch.einsum('nchw,nc->nhw', v, a) / TAU


class SLAVCRelease(nn.Module):
    """SLAVC's test-time forward on the momentum branch (the release validates with it)."""

    def __init__(self):
        super().__init__()
        for prefix in ('', 'momentum_'):
            setattr(self, prefix + 'imgnet', release_resnet(3))
            setattr(self, prefix + 'audnet', release_resnet(1, max_pool=True))
            for k in (1, 2):
                setattr(self, f'{prefix}img_proj{k}', nn.Conv2d(512, 512, 1))
                setattr(self, f'{prefix}aud_proj{k}', nn.Linear(512, 512))

    def forward(self, image, spec, prefix='momentum_'):
        v = getattr(self, prefix + 'imgnet')(image).unflatten(1, (512, 7, 7))
        a = getattr(self, prefix + 'audnet')(spec)
        maps = [torch.einsum('nchw,nc->nhw', F.normalize(getattr(self, f'{prefix}img_proj{k}')(v), dim=1),
                             F.normalize(getattr(self, f'{prefix}aud_proj{k}')(a), dim=1)) for k in (1, 2)]
        return 0.5 * (maps[0] + maps[1]) / TAU


class LVSNetRelease(nn.Module):
    """The LVS network (LVS's release and the alignment release): layer4 at stride 1 in both
    encoders, cosine map of the unit visual map and the unit max-pooled audio vector."""

    def __init__(self):
        super().__init__()
        self.imgnet, self.audnet = release_resnet(3, layer4_stride=1), release_resnet(1, layer4_stride=1)

    def features(self, net, x):
        x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
        return net.layer4(net.layer3(net.layer2(net.layer1(x))))

    def forward(self, image, spec):
        v = F.normalize(self.features(self.imgnet, image), dim=1)
        a = F.normalize(self.features(self.audnet, spec).amax(dim=(2, 3)), dim=1)
        return torch.einsum('nchw,nc->nhw', v, a)

    def release_state(self):
        """Named as the LVS network names them: three stems per encoder, an fc."""
        g = torch.Generator().manual_seed(7)
        state = {}
        for net_name, net, stem in (('imgnet', self.imgnet, 'conv1'), ('audnet', self.audnet, 'conv1_a')):
            for k, v in net.state_dict().items():
                if k == 'conv1.weight':
                    state[f'{net_name}.{stem}.weight'] = v
                elif not k.startswith('fc.'):
                    state[f'{net_name}.{k}'] = v
            other = 'conv1_a' if stem == 'conv1' else 'conv1'
            state[f'{net_name}.{other}.weight'] = torch.randn(64, 1 if other == 'conv1_a' else 3, 7, 7, generator=g)
            state[f'{net_name}.conv1_flow.weight'] = torch.randn(64, 6, 7, 7, generator=g)
            state[f'{net_name}.fc.weight'] = torch.randn(1000, 512, generator=g)
            state[f'{net_name}.fc.bias'] = torch.randn(1000, generator=g)
        return state


class SSLTIERelease(LVSNetRelease):
    """SSL-TIE's network (jinxiang-liu/SSL-TIE models/model.py L30-47 and L65-76): LVS's encoders and
    test map ``A``, plus ``vision_fc1``, ``conv3`` and ``norm3``, which the saved state carries but
    the map never uses."""

    def __init__(self):
        super().__init__()
        self.vision_fc1, self.conv3, self.norm3 = nn.Conv2d(1024, 512, 1), nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1)

    def release_state(self):
        state = super().release_state()
        state.update({k: v for k, v in self.state_dict().items() if k.split('.')[0] in ('vision_fc1', 'conv3', 'norm3')})
        return state

    def test_heatmap(self, image, spec):
        """The release's test (main.py L342-345): cv2 bilinear to 224, ``normalize_img(-A)``, then
        ``pred = 1 - that`` (L388-389): ``[B, 224, 224]``."""
        import cv2
        maps = self(image, spec).numpy()
        out = []
        for a in maps:
            up = -cv2.resize(a, dsize=(224, 224), interpolation=cv2.INTER_LINEAR)
            out.append(1 - (up - up.min()) / (up.max() - up.min()))
        return torch.from_numpy(np.stack(out)).float()
