"""`avzoo localize` on generated media: any rate and length, overlay + map written."""
import os

import numpy as np
import soundfile as sf
from PIL import Image
from typer.testing import CliRunner

from avzoo.cli import app
from tests.utils import assert_one_line_error, random_weights


def test_localize_writes_overlay_and_map(tmp_path):
    random_weights('ezvsl_small_1xb32-5e_synth', tmp_path / 'w.pth')
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (90, 160, 3), dtype=np.uint8)).save(tmp_path / 'frame.jpg')
    sf.write(tmp_path / 'sound.wav', 0.1 * rng.standard_normal(int(22050 * 0.7)).astype(np.float32), 22050)
    out = tmp_path / 'res' / 'overlay.png'
    result = CliRunner().invoke(app, ['localize', str(tmp_path / 'frame.jpg'), str(tmp_path / 'sound.wav'),
                                      '--method', 'ezvsl', '--synth', '--checkpoint', str(tmp_path / 'w.pth'),
                                      '--out', str(out)])
    assert result.exit_code == 0, result.output
    heat = np.load(tmp_path / 'res' / 'overlay.npy')
    assert heat.shape == (224, 224) and heat.min() == 0.0 and heat.max() == 1.0
    assert os.path.getsize(out) > 10_000
    assert_one_line_error(*[CliRunner().invoke(app, ['localize', 'none.jpg', str(tmp_path / 'sound.wav'), '--method',
                                                     'ezvsl', '--checkpoint', str(tmp_path / 'w.pth')]).__getattribute__(a)
                            for a in ('exit_code', 'output')], 'file not found: none.jpg')
