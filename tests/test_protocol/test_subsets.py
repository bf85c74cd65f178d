"""Each named test subset loads with its count and names its protocol and origin."""
import json

import pytest
from typer.testing import CliRunner

import avzoo  # noqa: F401
from avzoo.cli import app
from avzoo.datasets.benchmarks import benchmark_info
from avzoo.registry import BENCHMARKS, DATASETS

COUNTS = {'vggss': 5158, 'vggss_ours': 4655, 'vggss_ssltie': 4911, 'vggss_sspl': 4692, 'vggss_heartheflow': 4670,
          'vggss_common': 4142, 'vggss_heard': 2564, 'vggss_unheard': 2575, 'flickr': 250, 'flickr_249': 249}


@pytest.mark.parametrize('name', sorted(COUNTS))
def test_subset_loads_with_its_count(name, tmp_path):
    spec = BENCHMARKS.get(name)(str(tmp_path), image_size=224)
    dataset = DATASETS.build(dict(spec['dataset'], check_files=False))
    assert len(dataset.items) == COUNTS[name]
    info = benchmark_info(name)
    assert len(info.samples()) == COUNTS[name] and info.origin and info.protocol


def test_common_is_inside_every_vggss_subset():
    common = set(benchmark_info('vggss_common').samples())
    for name in ('vggss', 'vggss_ours', 'vggss_ssltie', 'vggss_sspl', 'vggss_heartheflow'):
        assert common <= set(benchmark_info(name).samples()), name


def test_list_names_each_subsets_protocol_and_origin():
    result = CliRunner().invoke(app, ['list', '--json'])
    benches = {b['name']: b for b in json.loads(result.stdout)['benchmarks']}
    assert '4,911' in benches['vggss_ssltie']['protocol']
    assert 'jinxiang-liu/SSL-TIE' in benches['vggss_ssltie']['origin']
    assert 'denfed/heartheflow' in benches['vggss_heartheflow']['origin']
    assert '249' in benches['flickr_249']['protocol']
