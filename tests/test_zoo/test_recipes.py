"""Every cited constant of every real-data config, pinned in its method's metafile (`recipes:` rows
of key, value and source): a later edit of a config cannot drift from its source silently. Changing
a recipe means changing the config and its metafile row together."""
import os

import pytest

from avzoo.engine.config import load_config
from avzoo.zoo import methods
from avzoo.zoo.metafile import PACKAGE_CONFIGS, load_metafile


def recipe_rows():
    """``(metafile, config, key, value, source)`` for every pinned row of every metafile."""
    rows = []
    for path in sorted({s.metafile for s in methods().values()}):
        recipes = load_metafile(path).get('recipes') or {}
        for config, pins in recipes.items():
            rows += [(path, config, pin['key'], pin['value'], pin['source']) for pin in pins]
    return rows


def _get(cfg, dotted):
    node = cfg
    for part in dotted.split('.'):
        node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
    return node


def _norm(value):                  # YAML has lists where configs have tuples
    if isinstance(value, (list, tuple)):
        return tuple(_norm(v) for v in value)
    if hasattr(value, 'items'):
        return {k: _norm(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize('metafile,config,key,value,source', recipe_rows(),
                         ids=lambda x: x if isinstance(x, str) and ('.' in x or '/' in x) and 'metafile' not in x
                         else None)
def test_real_config_value_is_the_cited_one(metafile, config, key, value, source):
    assert source.strip(), f'{metafile}: {config} {key} has no source'
    cfg = load_config(os.path.join(PACKAGE_CONFIGS, config))
    assert _norm(_get(cfg, key)) == _norm(value), f'{metafile}: {config}: {key} (source: {source})'


def test_every_real_method_config_is_pinned():
    from avzoo.zoo import methods
    real = {s.configs['real'] for s in methods().values() if s.trains and 'real' in s.configs
            and s.metafile.startswith(PACKAGE_CONFIGS)}
    pinned = {os.path.join(PACKAGE_CONFIGS, config) for _, config, *_ in recipe_rows()}
    assert real <= pinned, f'real configs without pinned recipes: {real - pinned}'


def test_the_short_name_is_the_paper_config():
    alias, full = load_config('ours_sup_nn'), load_config('alignment/alignment_r18_1xb128-sup-nn-50e_vggsound144k.py')
    assert alias.to_dict() == full.to_dict() or {k for k in alias if alias[k] != full[k]} <= {'work_dir'}


def test_release_protocols_reach_the_test_run(tmp_path):
    """vggss_ours: the alignment release's 4,655 clips and cv2-style upsampling; every real config's
    test frames are resized as its release does (bicubic 224x224)."""
    import avzoo  # noqa: F401
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.engine.benchmark_config import eval_config
    from avzoo.registry import DATASETS
    spec = eval_config(load_config('ours_sup_nn'), 'vggss_ours', None, str(tmp_path))
    dataset = DATASETS.build(dict(spec.test_dataloader.dataset, check_files=False))
    assert len(dataset) == 4655 and '7XQN9XDnRm4_000080' not in {it['id'] for it in dataset.items}
    assert 'vggss.json' in dataset.ann_file and dataset.id_list == 'ours_vggss.txt'
    assert spec.model.upsample == 'bilinear' == benchmark_info('vggss_ours').upsample
    plain = eval_config(load_config('ours_sup_nn'), 'vggss', None, str(tmp_path))
    assert plain.model.upsample == 'bilinear_align_corners'
    assert plain.test_dataloader.dataset.image_pipeline[0]['interpolation'] == 'bicubic'
