"""Each released checkpoint layout: a state dict with the release's parameter names and shapes and
random weights, saved as the release saves it, converted, loaded into avzoo; avzoo's raw map must
equal an independent implementation of that release's test-time forward on the same tensors."""
import json
import os

import pytest
import torch
import torch.nn.functional as F
import torchvision
from safetensors import safe_open
from torch import nn
from typer.testing import CliRunner

from avzoo.apis.model import init_model
from avzoo.cli import app
from tests.test_engine.test_cli_errors import assert_one_line_error

TAU = 0.03


def _randomise(module: nn.Module, seed: int) -> nn.Module:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if t.is_floating_point():
                if name.endswith('running_var'):
                    t.copy_(0.5 + torch.rand(t.shape, generator=g))
                else:
                    t.copy_(0.05 * torch.randn(t.shape, generator=g))
    return module.eval()


def _resnet(in_channels: int, layer4_stride: int = 2, max_pool: bool = False, keep_map: bool = True):
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
        self.imgnet, self.img_proj = _resnet(3), nn.Conv2d(512, 512, 1)
        self.audnet, self.aud_proj = _resnet(1, max_pool=True), nn.Linear(512, 512)

    def forward(self, image, spec):
        v = F.normalize(self.img_proj(self.imgnet(image).unflatten(1, (512, 7, 7))), dim=1)
        a = F.normalize(self.aud_proj(self.audnet(spec)), dim=1)
        return torch.einsum('nchw,nc->nhw', v, a) / TAU


class SLAVCRelease(nn.Module):
    """SLAVC's test-time forward on the momentum branch (the release validates with it)."""

    def __init__(self):
        super().__init__()
        for prefix in ('', 'momentum_'):
            setattr(self, prefix + 'imgnet', _resnet(3))
            setattr(self, prefix + 'audnet', _resnet(1, max_pool=True))
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
        self.imgnet, self.audnet = _resnet(3, layer4_stride=1), _resnet(1, layer4_stride=1)

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


def _inputs(frames: int):
    g = torch.Generator().manual_seed(1)
    return torch.randn(2, 3, 224, 224, generator=g), torch.randn(2, 1, 257, frames, generator=g)


CASES = [  # layout, release model, how the release saves it, spectrogram frames
    ('ezvsl', EZVSLRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('marginnce', EZVSLRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('fnac', EZVSLRelease, lambda sd: {'model': dict(sd), 'optimizer': {}, 'epoch': 20}, 200),   # one GPU: no prefix
    ('slavc', SLAVCRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('lvs', LVSNetRelease, lambda sd: {'model_state_dict': {f'module.{k}': v for k, v in sd.items()}}, 299),
    ('sslalignment', LVSNetRelease,
     lambda sd: {'model_state_dict': dict(sd, **{'proj_v.0.weight': torch.zeros(128, 512)})}, 299),
]


@pytest.mark.parametrize('layout,release_cls,save,frames', CASES, ids=[c[0] for c in CASES])
def test_converted_release_gives_the_release_map(layout, release_cls, save, frames, tmp_path):
    release = _randomise(release_cls(), seed=len(layout))
    state = release.release_state() if hasattr(release, 'release_state') else release.state_dict()
    src, out = tmp_path / 'release.pth', tmp_path / 'converted.safetensors'
    torch.save(save(state), src)
    result = CliRunner().invoke(app, ['convert', str(src), '--from', layout, '--out', str(out)])
    assert result.exit_code == 0, result.output
    with safe_open(str(out), 'pt') as f:
        assert f.metadata()['layout'] == layout and len(f.metadata()['source_sha256']) == 64
    method = {'sslalignment': 'alignment'}.get(layout, layout)
    image, spec = _inputs(frames)
    with torch.no_grad():
        expected = release(image, spec)
        got = init_model(method, str(out))(dict(image=image, audio=spec), mode='tensor')
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)


def test_a_half_random_model_is_refused(tmp_path):
    release = EZVSLRelease()
    state = release.state_dict()
    del state['aud_proj.weight']
    state['extra_head.weight'] = torch.zeros(3)
    torch.save({'model': state}, tmp_path / 'broken.pth')
    code_out = CliRunner().invoke(app, ['convert', str(tmp_path / 'broken.pth'), '--from', 'ezvsl',
                                        '--out', str(tmp_path / 'x.safetensors')])
    assert_one_line_error(code_out.exit_code, code_out.output, 'extra_head.weight', 'not in the ezvsl layout')
    del state['extra_head.weight']
    torch.save({'model': state}, tmp_path / 'missing.pth')
    result = CliRunner().invoke(app, ['convert', str(tmp_path / 'missing.pth'), '--from', 'ezvsl',
                                      '--out', str(tmp_path / 'x.safetensors')])
    assert_one_line_error(result.exit_code, result.output, 'missing', 'method.a_proj.weight')
    assert not os.path.exists(tmp_path / 'x.safetensors')
    result = CliRunner().invoke(app, ['convert', str(tmp_path / 'missing.pth'), '--from', 'nosuch',
                                      '--out', str(tmp_path / 'x.safetensors')])
    assert_one_line_error(result.exit_code, result.output, "unknown checkpoint layout 'nosuch'")


def test_converted_weights_score_with_avzoo_eval(tmp_path, tiny_synth):
    """A .safetensors checkpoint loads in `avzoo eval --checkpoint` (here an avzoo synth model
    written as safetensors, scored on the tiny synth split)."""
    from mmengine.registry import init_default_scope
    from safetensors.torch import save_file

    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    model = MODELS.build(load_config('lvs_small_1xb32_synth').model)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp_path / 'm.safetensors'))
    result = CliRunner().invoke(app, ['eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                                      '--checkpoint', str(tmp_path / 'm.safetensors'), '--json'])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)['n'] > 0
