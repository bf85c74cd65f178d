"""avzoo audit: overlap counts equal a hand count from the shipped files; clean lists are clean;
the shipped protocol files are what their construction script builds."""
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from avzoo.cli import app
from tests.utils import ANNOTATIONS, REPO

ROW_KEYS = {'train', 'bench', 'n_train', 'n_bench', 'clips', 'videos'}


def _lines(name):
    with open(os.path.join(ANNOTATIONS, name)) as f:
        return [line.strip() for line in f if line.strip()]


def _audit(*args):
    result = CliRunner().invoke(app, ['audit', '--json', *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)          # stdout is exactly one JSON object


def test_vggsound144k_vs_vggss_by_hand():
    """By hand: a VGG-SS clip is `<ytid>_<start s>`, exactly as the 144K list spells its clips."""
    test = [r['file'] for r in json.load(open(os.path.join(ANNOTATIONS, 'vggss.json')))]
    train = set(_lines('vggss_144k.txt'))
    train_videos = {t.rsplit('_', 1)[0] for t in train}
    clips = sum(f in train for f in test)
    videos = sum(f.rsplit('_', 1)[0] in train_videos for f in test)
    out = _audit('--train', 'vggsound144k', '--bench', 'vggss')
    assert out['overlaps'] == [dict(train='vggsound144k', bench='vggss', n_train=len(train), n_bench=len(test),
                                    clips=clips, videos=videos)]
    assert (clips, videos) == (3709, 3784)


def test_flickr144k_vs_flickr_by_hand():
    test = [line.split(',')[0] for line in _lines('flickr_test.csv')]
    train = set(_lines('flickr_144k.txt'))
    row = _audit('--train', 'flickr144k', '--bench', 'flickr')['overlaps'][0]
    assert row['clips'] == row['videos'] == sum(t in train for t in test) == 20


def test_every_pair_has_the_documented_shape_and_clean_lists_are_clean():
    out = _audit()
    rows = out['overlaps']
    assert {r['train'] for r in rows} >= {'vggsound144k', 'vggsound10k', 'flickr144k', 'flickr10k', 'vggsound144k_clean',
                                         'vggsound10k_clean', 'flickr144k_clean', 'flickr10k_clean', 'vggsound144k_ssltie'}
    for r in rows:
        assert ROW_KEYS <= set(r) <= ROW_KEYS | {'reason'}, r
        if r['n_bench'] is None or r['clips'] is None:
            assert r['reason'], r                                    # null only with a reason
        if r['train'].endswith('_clean') or r['train'].startswith('vggsound_val'):
            assert r['clips'] in (0, None) and r['videos'] in (0, None), r
    is3 = next(r for r in rows if r['bench'] == 'is3')
    assert is3['clips'] is None and is3['videos'] is None and 'generated' in is3['reason']
    s4 = next(r for r in rows if r['bench'] == 's4' and r['train'] == 'vggsound144k')
    assert s4['clips'] is None and s4['videos'] > 0                # names carry the video, not the start


def test_the_table_fits_80_columns_and_errors_are_one_line():
    result = CliRunner().invoke(app, ['audit'], env={'COLUMNS': '80'}, terminal_width=80)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert 'vggsound144k_clean' in result.stdout and '3,709' in result.stdout
    bad = CliRunner().invoke(app, ['audit', '--train', 'nope'])
    assert bad.exit_code == 2 and "unknown training list 'nope'" in bad.output


def test_shipped_protocol_files_are_what_the_script_builds():
    """tools/build_clean_lists.py --check: clean lists, vggss_common, vggss_val and SHA256SUMS."""
    run = subprocess.run([sys.executable, 'tools/build_clean_lists.py', '--check'], cwd=REPO, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# sha256 of the files as fetched from the releases (jinxiang-liu/SSL-TIE @c49e6a9 metadata/...,
# zjsong/SSPL @d1af4c7, denfed/heartheflow @60ed54d), recorded in docs/protocol.md
RELEASED = {'vggss_144k_ssltie.txt': '703eca24ff71c1fc', 'vggss_test_4911_ssltie.txt': '6d60cdd17757a7e1',
            'vggss_test_4692_sspl.csv': 'f075b27306ca213d', 'vggss_test_4670_heartheflow.csv': 'b59e784cd13caeea'}


@pytest.mark.parametrize('name', sorted(RELEASED))
def test_fetched_lists_are_shipped_unchanged(name):
    sums = {n: h for h, n in (line.split() for line in _lines('SHA256SUMS'))}
    assert sums[name].startswith(RELEASED[name])


def test_prepare_has_a_preset_for_every_list():
    from avzoo.datasets.prepare import PRESETS
    from avzoo.datasets.train_lists import TRAIN_LISTS
    assert set(TRAIN_LISTS) <= set(PRESETS)
    assert PRESETS['vggsound144k_clean'].ids_from == 'vggss_144k_clean.txt'
