"""`avzoo ablate`: each variant's config changes exactly what its row says; finished variants are
not retrained; the table labels the paper's numbers as the paper's."""
import json

import pytest

from avzoo.utils.errors import AvzooError
from avzoo.workflows.ablate import VARIANTS, ablation_markdown, run_variant, variant_config, write_card_section
from avzoo.zoo import get_method

BASE = get_method('alignment').config('synth')


def _cfg(name, tmp_path):
    v = next(v for v in VARIANTS if v.name == name)
    return v, variant_config(v.config or BASE, v, 'data/avzoo-synth', str(tmp_path), epochs=2)


@pytest.mark.parametrize('name,check', [
    ('anchor_only', lambda c: c.model.method.views == () and c.train_dataloader.dataset.views == ()),
    ('multiview_only', lambda c: c.model.method.views == ('aug',)),
    ('semantic_only', lambda c: c.train_dataloader.dataset.views == ('nn',)),
    ('full', lambda c: c.model.method.views == ('aug', 'nn') and c.model.method.use_alignment),
    ('no_alignment', lambda c: c.model.method.use_alignment is False),
    ('image_positives', lambda c: c.train_dataloader.dataset.positive_modalities == ('image',)
     and c.model.method.positive_modalities == ('image',)),
    ('k_3', lambda c: c.custom_hooks[0].miner.k == 3),
    ('fixed_nearest', lambda c: c.train_dataloader.dataset.nn_sampling == 'fixed'),
    ('anchor_itself', lambda c: c.train_dataloader.dataset.nn_sampling == 'self'),
    ('intra_modal', lambda c: c.model.method.intra_modal is True),
    ('online_nn', lambda c: c.custom_hooks[0].type == 'OnlineNeighbourHook'),
])
def test_variant_changes(name, check, tmp_path):
    _, cfg = _cfg(name, tmp_path)
    assert check(cfg)
    assert cfg.train_cfg.max_epochs == 2 and cfg.work_dir == str(tmp_path / name)
    if cfg.custom_hooks[0].type == 'PositiveMiningHook':         # neighbour files shared between variants
        assert cfg.custom_hooks[0].cache_root == str(tmp_path)


def test_full_is_the_shipped_config(tmp_path):
    from avzoo.engine.config import load_config
    _, cfg = _cfg('full', tmp_path)
    ref = load_config(BASE)
    assert cfg.model.to_dict() == ref.model.to_dict()
    assert cfg.train_dataloader.to_dict() == ref.train_dataloader.to_dict()


def test_finished_variant_is_not_retrained(tmp_path):
    v, cfg = _cfg('k_3', tmp_path)
    (tmp_path / 'k_3').mkdir()
    (tmp_path / 'k_3' / 'result.json').write_text(json.dumps(dict(variant='k_3', metrics={'x': 1})))
    assert run_variant(cfg, v, 'data/does-not-exist') == dict(variant='k_3', metrics={'x': 1})


def test_markdown_labels_the_papers_numbers(tmp_path):
    m = {'synth_single': {'ciou': 30.0, 'auc': 35.0}, 'synth_interactive': {'iiou': 20.0, 'iauc': 40.0}}
    text = ablation_markdown({'full': dict(metrics=m), 'k_3': dict(metrics=m)},
                             {'full': dict(ciou=1.5, auc=2.5, source='Table VIII, row 4')})
    lines = text.splitlines()
    assert "(paper's)" in lines[0] and '| 30.0 | 35.0 | 20.0 | 40.0 |' in lines[2]
    assert 'Table VIII, row 4' in lines[2] and lines[3].endswith('not transcribed |')
    card = tmp_path / 'card.md'
    card.write_text('a\n<!-- ablate:start -->\nold\n<!-- ablate:end -->\nb\n')
    write_card_section(str(card), text, 'avzoo ablate --epochs 2', 2, 120)
    body = card.read_text()
    assert 'old' not in body and body.startswith('a\n') and body.endswith('b\n') and 'Table VIII, row 4' in body
    (tmp_path / 'plain.md').write_text('no block')
    with pytest.raises(AvzooError, match='ablate:start'):
        write_card_section(str(tmp_path / 'plain.md'), text, 'c', 2, 1)
