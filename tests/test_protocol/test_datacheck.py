"""avzoo data check: removed and damaged files are reported exactly; a named subset is
reproducible only when all its clips are present."""
import json
import os

import numpy as np
import soundfile as sf
from PIL import Image
from typer.testing import CliRunner

from avzoo.cli import app
from tests.utils import ANNOTATIONS


def _check(*args):
    result = CliRunner().invoke(app, ['data', 'check', *args, '--json'])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_removed_and_damaged_synth_files_are_reported_exactly(synth_copy):
    root = os.path.join(synth_copy, 'test_single')
    ids = sorted(r['file'] for r in json.load(open(os.path.join(root, 'synth_single.json'))))
    os.remove(os.path.join(root, 'frames', ids[0] + '.jpg'))
    os.remove(os.path.join(root, 'audio', ids[1] + '.wav'))
    with open(os.path.join(root, 'audio', ids[2] + '.wav'), 'w') as f:
        f.write('not audio')
    report = _check('synth_single', '--data-root', synth_copy)
    assert sorted(report['missing']) == ids[:2] and list(report['undecodable']) == [ids[2]]
    assert (report['n_ids'], report['n_present'], report['n_missing'], report['n_undecodable']) == \
        (len(ids), len(ids) - 3, 2, 1)


def test_a_flickr_folder_without_one_clip_reproduces_249_not_250(tmp_path):
    ids = [line.split(',')[0].strip() for line in open(os.path.join(ANNOTATIONS, 'flickr_test.csv')) if line.strip()]
    for sub in ('frames', 'audio', 'Annotations'):
        os.makedirs(tmp_path / sub)
    frame = Image.fromarray(np.zeros((8, 8, 3), np.uint8))
    for i in ids:
        if i == '3908875350':                       # the clip the 249 variants drop
            continue
        frame.save(tmp_path / 'frames' / f'{i}.jpg')
        sf.write(str(tmp_path / 'audio' / f'{i}.wav'), np.zeros(160, np.float32), 16000)
        (tmp_path / 'Annotations' / f'{i}.xml').write_text('<annotation></annotation>')
    report = _check('flickr', '--data-root', str(tmp_path))
    assert report['missing'] == ['3908875350'] and report['n_present'] == 249
    exact = {s['name']: s['reproducible'] for s in report['subsets']}
    assert exact == {'flickr': False, 'flickr_249': True}
    table = CliRunner().invoke(app, ['data', 'check', 'flickr', '--data-root', str(tmp_path)])
    assert table.exit_code == 0 and 'flickr_249' in table.stdout and '3908875350' in table.stdout
