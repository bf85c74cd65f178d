"""The zoo's index (metafiles) is the one source the README tables, the method cards, `avzoo
list` and the packaged configs agree with."""
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from avzoo.cli import app
from avzoo.zoo import PACKAGE_CONFIGS, methods, row_label
from tests.utils import REPO


def test_generated_blocks_are_the_metafiles():
    """The README's tables and every card's results and recipe blocks are what the metafiles render."""
    from avzoo.zoo.tables import generated_files, render_blocks
    stale = [path for path, blocks in generated_files().items()
             if render_blocks(open(path).read(), blocks, path) != open(path).read()]
    assert stale == [], f'out of date, run python tools/update_readme.py: {stale}'


@pytest.mark.parametrize('spec', [s for s in methods().values() if s.metafile.startswith(PACKAGE_CONFIGS)],
                         ids=lambda s: s.name)
def test_every_method_folder_has_its_card(spec):
    """A method's card is the README of its folder, with its generated results (and its recipe when
    it has a real-data recipe), and every recorded result names its command and date."""
    assert os.path.isfile(spec.card), f'{spec.metafile}: no card {spec.card}'
    card = open(spec.card).read()
    assert card.startswith('# ') and '<!-- zoo:results -->' in card
    for domain, result in spec.results.items():
        assert result['command'] and result['date'], f'{spec.metafile}: results.{domain}'
        assert f'| {row_label(spec, domain)} | {domain} |' in card


def test_list_json_is_one_object_with_methods_and_benchmarks():
    result = CliRunner().invoke(app, ['list', '--json'])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_name = {m['name']: m for m in data['methods']}
    assert set(by_name) >= {'alignment', 'lvs', 'ezvsl', 'marginnce', 'slavc', 'fnac', 'centre_prior', 'objectness'}
    assert set(by_name['alignment']) >= {'name', 'label', 'synth_config', 'real_config', 'trained'}
    assert by_name['centre_prior']['trained'] is False and by_name['alignment_selfsup']['synth_config'] is None
    benches = {b['name']: b for b in data['benchmarks']}
    assert benches['synth_single']['domain'] == 'synth' and benches['vggss']['domain'] == 'real'
    assert benches['is3']['family'] == 'interactive' and benches['vggss_ext']['family'] == 'extended'
    assert benches['ms3_seg']['family'] == 'segmentation' and benches['synth_retrieval']['family'] == 'retrieval'


def test_a_metafile_without_a_required_key_is_one_clear_error(tmp_path, monkeypatch):
    from avzoo import zoo
    from avzoo.utils.errors import AvzooError
    bad = tmp_path / 'proj' / 'metafile.yml'
    bad.parent.mkdir()
    bad.write_text('methods:\n  - name: x\n    label: X\n')
    with pytest.raises(AvzooError, match=r"metafile.yml: methods\[0\] lacks \['type', 'about', 'trains', 'configs'\]"):
        zoo.read_metafile(str(bad))


def test_wheel_ships_configs_metafiles_and_annotations(tmp_path):
    """A non-editable install finds configs by name and path (pip wheel + pip install --target)."""
    wheel_dir, site, src = tmp_path / 'wheel', tmp_path / 'site', tmp_path / 'src'
    src.mkdir()                      # build from a copy: setuptools writes build/ into the source tree
    for name in ('pyproject.toml', 'README.md'):
        shutil.copy(os.path.join(REPO, name), src / name)
    shutil.copytree(os.path.join(REPO, 'avzoo'), src / 'avzoo', ignore=shutil.ignore_patterns('__pycache__'))
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q',
                    '-w', str(wheel_dir), str(src)], check=True, cwd=tmp_path, capture_output=True)
    wheel = next(wheel_dir.glob('avzoo-*.whl'))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ('avzoo/configs/ours_sup_nn.py', 'avzoo/configs/alignment/metafile.yml',
                     'avzoo/configs/_base_/default_runtime.py', 'avzoo/configs/lvs/lvs_r18_1xb128-20e_vggsound144k.py',
                     'avzoo/annotations/vggss.json', 'avzoo/annotations/SHA256SUMS'):
        assert expected in names, expected
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target', str(site), str(wheel)],
                   check=True, capture_output=True)
    probe = ("import avzoo.zoo, avzoo.engine.config as c; assert avzoo.zoo.__file__.startswith(%r); "
             "print(c.find_config('ours_sup_nn')); print(c.find_config('configs/ours_sup_nn.py')); "
             "print(c.load_config('ours_sup_nn').train_dataloader.dataset.id_list); "
             "print(sorted(avzoo.zoo.methods())[:2])" % str(site))
    env = dict(os.environ, PYTHONPATH=str(site), AVZOO_PROJECTS='')
    out = subprocess.run([sys.executable, '-c', probe], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env=env).stdout.split('\n')
    assert out[0] == out[1] == os.path.join(str(site), 'avzoo', 'configs', 'ours_sup_nn.py')
    assert out[2] == 'vggss_144k.txt' and out[3] == "['alignment', 'alignment_previs']"


def test_a_result_without_its_protocol_is_one_clear_error(tmp_path):
    """Every metafile result names its test subset, training list, overlap and selection rule."""
    from avzoo import zoo
    from avzoo.utils.errors import AvzooError
    bad = tmp_path / 'proj' / 'metafile.yml'
    bad.parent.mkdir()
    bad.write_text('methods:\n  - {name: x, label: X, type: T, about: a, trains: true, configs: {synth: c.py},\n'
                   '     results: {synth: {metrics: {ciou: 1.0}, command: make demo, date: 2026-12-07}}}\n')
    with pytest.raises(AvzooError, match=r"results.synth lacks \['protocol'\]"):
        zoo.read_metafile(str(bad))
    for spec in zoo.methods().values():
        for result in spec.results.values():
            assert set(zoo.PROTOCOL_KEYS) <= set(result['protocol']), spec.name
