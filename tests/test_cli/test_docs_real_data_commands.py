"""The real-data commands of docs/benchmarks.md, run as written (paths moved into a temporary folder; one
epoch of a small batch) on media generated under the real file names."""
import json
import os
import re
import shlex

import numpy as np
import soundfile as sf
import torch
from PIL import Image
from typer.testing import CliRunner

from avzoo.cli import app
from avzoo.datasets.annotations import annotation_path, read_id_list
from tests.utils import REPO

FAST = ['--epochs', '1', '--cfg-options', 'train_dataloader.batch_size=4', 'val_dataloader.batch_size=4']


def _readme_commands():
    text = open(os.path.join(REPO, 'docs', 'benchmarks.md')).read()
    block = re.search(r'<!-- real-data-commands -->\n```bash\n(.*?)```', text, re.S).group(1)
    return [line.split('  #')[0].strip() for line in block.splitlines() if line.strip()]


def _media(root, frame, audio):
    for path in (frame, audio):
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    rng = np.random.default_rng(len(frame))
    Image.fromarray(rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)).save(os.path.join(root, frame))
    sf.write(os.path.join(root, audio), 0.01 * rng.standard_normal(160000).astype(np.float32), 16000,
             subtype='PCM_16')


def test_readme_real_data_commands_work_as_written(tmp_path, monkeypatch):
    from avzoo.models.encoders import ResNetEncoder
    monkeypatch.chdir(tmp_path)
    data = tmp_path / 'data'
    for item in json.load(open(annotation_path('vggss.json')))[:8]:
        _media(str(data / 'vggss'), f'frames/{item["file"]}.jpg', f'audio/{item["file"]}.wav')
    for vid in read_id_list(annotation_path('vggss_144k.txt'))[:8]:
        _media(str(data / 'vggsound'), f'frames/{vid}.jpg', f'audio/{vid}.wav')
    os.makedirs(data / 'weights')
    torch.save(ResNetEncoder(strides=(1, 2, 2, 2)).state_dict(), data / 'weights' / 'resnet18_imagenet.pth')
    runner = CliRunner()
    ran = []
    for line in _readme_commands():
        line = line.replace('/data/', f'{data}/')
        if line.startswith('export '):
            name, value = line[len('export '):].split('=', 1)
            monkeypatch.setenv(name, value)
            continue
        args = shlex.split(line)[1:]
        if args[0] == 'prepare':               # needs videos: tested in tests/test_datasets/test_prepare.py
            continue
        if args[0] == 'train':
            args += FAST
        args = [a.replace('epoch_20.pth', 'epoch_1.pth') for a in args]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f'{line}\n{result.output}'
        ran.append(args[0])
        if '--json' in args:
            metrics = json.loads(result.stdout)
            assert metrics['n'] == 8 and metrics['n_missing'] == 5158 - 8
    assert ran == ['eval', 'train', 'eval']
