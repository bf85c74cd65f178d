"""Each released checkpoint layout: a state dict with the release's parameter names and shapes and
random weights, saved as the release saves it, converted, loaded into avzoo; avzoo's raw map must
equal an independent implementation of that release's test-time forward on the same tensors."""
import json
import os

import pytest
import torch
from safetensors import safe_open
from typer.testing import CliRunner

from avzoo.apis.model import init_model
from avzoo.cli import app
from tests.utils import EZVSLRelease, LVSNetRelease, SLAVCRelease, SSLTIERelease, assert_one_line_error, randomise


def _inputs(frames: int):
    g = torch.Generator().manual_seed(1)
    return torch.randn(2, 3, 224, 224, generator=g), torch.randn(2, 1, 257, frames, generator=g)


CASES = [  # layout, release model, how the release saves it, spectrogram frames
    ('ezvsl', EZVSLRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('marginnce', EZVSLRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('fnac', EZVSLRelease, lambda sd: {'model': dict(sd), 'optimizer': {}, 'epoch': 20}, 200),   # one GPU: no prefix
    ('slavc', SLAVCRelease, lambda sd: {'model': {f'module.{k}': v for k, v in sd.items()}, 'epoch': 20}, 200),
    ('lvs', LVSNetRelease, lambda sd: {'model_state_dict': {f'module.{k}': v for k, v in sd.items()}}, 299),
    ('alignment', LVSNetRelease,
     lambda sd: {'model_state_dict': dict(sd, **{'proj_v.0.weight': torch.zeros(128, 512)})}, 299),
    ('ssltie', SSLTIERelease,    # main.py L569-578: the bare model's state (no DataParallel prefix)
     lambda sd: {'epoch': 37, 'state_dict': dict(sd), 'best_miou': 0.38, 'optimizer': {}, 'iteration': 1}, 670),
]


@pytest.mark.parametrize('layout,release_cls,save,frames', CASES, ids=[c[0] for c in CASES])
def test_converted_release_gives_the_release_map(layout, release_cls, save, frames, tmp_path):
    release = randomise(release_cls(), seed=len(layout))
    state = release.release_state() if hasattr(release, 'release_state') else release.state_dict()
    src, out = tmp_path / 'release.pth', tmp_path / 'converted.safetensors'
    torch.save(save(state), src)
    result = CliRunner().invoke(app, ['convert', str(src), '--from', layout, '--out', str(out)])
    assert result.exit_code == 0, result.output
    with safe_open(str(out), 'pt') as f:
        assert f.metadata()['layout'] == layout and len(f.metadata()['source_sha256']) == 64
    method = layout
    image, spec = _inputs(frames)
    with torch.no_grad():
        expected = release(image, spec)
        got = init_model(method, str(out))(dict(image=image, audio=spec), mode='tensor')
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)


def test_converted_ssltie_gives_the_release_test_heatmap(tmp_path):
    """SSL-TIE's test scores ``1 - normalize(-A)`` after cv2's bilinear resize (main.py L342-345,
    L388-389), i.e. the min-max of the half-pixel upsampled map: avzoo's heatmap for the converted
    weights is that map."""
    release = randomise(SSLTIERelease(), seed=11)
    torch.save({'epoch': 1, 'state_dict': release.release_state(), 'best_miou': 0.0, 'optimizer': {}, 'iteration': 1},
               tmp_path / 'release.pth.tar')
    out = tmp_path / 'converted.safetensors'
    result = CliRunner().invoke(app, ['convert', str(tmp_path / 'release.pth.tar'), '--from', 'ssltie', '--out', str(out)])
    assert result.exit_code == 0, result.output
    with safe_open(str(out), 'pt') as f:
        report = f.metadata()
    assert {'vision_fc1.weight', 'conv3.weight', 'norm3.running_var'} <= set(json.loads(report['ignored']))
    assert json.loads(report['protocol'])['selection']['test_set'] is True      # best cIoU on VGG-SS test
    image, spec = _inputs(670)
    with torch.no_grad():
        got = init_model('ssltie', str(out))(dict(image=image, audio=spec), mode='predict')
        expected = release.test_heatmap(image, spec)
    torch.testing.assert_close(torch.stack([s['heatmap'] for s in got]), expected, atol=1e-4, rtol=1e-4)


def test_layouts_come_from_the_metafiles_with_their_aliases():
    """Each layout is data in its method's metafile; `like` inherits rules, an alias names the same layout."""
    from avzoo.convert import get_layout, layouts
    assert set(layouts()) >= {'alignment', 'lvs', 'ezvsl', 'marginnce', 'slavc', 'fnac', 'ssltie'}
    alignment, lvs = get_layout('sslalignment'), get_layout('lvs')
    assert alignment.name == 'alignment' and alignment.method == 'alignment' and alignment.rules == lvs.rules
    assert set(lvs.ignore) < set(alignment.ignore) and alignment.absent
    assert get_layout('marginnce').rules == get_layout('ezvsl').rules and get_layout('marginnce').method == 'marginnce'
    assert get_layout('ezvsl').selection['best_on_test'] == 'cIoU'


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
    model = MODELS.build(load_config('lvs_small_1xb32-5e_synth').model)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp_path / 'm.safetensors'))
    result = CliRunner().invoke(app, ['eval', '--method', 'lvs', '--bench', 'synth_single', '--data-root', tiny_synth,
                                      '--checkpoint', str(tmp_path / 'm.safetensors'), '--json'])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)['n'] > 0
