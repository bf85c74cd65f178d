"""`avzoo compare` on the tiny synth set: one method, one epoch; a rerun retrains and rescores
nothing; the table reaches the README and card blocks."""
import json
import os

from rich.console import Console

from avzoo.workflows.compare import COLUMNS, compare_markdown, run_compare
from tests.utils import FAST


def test_compare_trains_scores_resumes_and_writes_blocks(synth_copy, tmp_path):
    work = str(tmp_path / 'compare')
    readme = tmp_path / 'README.md'
    readme.write_text('intro\n<!-- compare:start -->\nold\n<!-- compare:end -->\nrest\n')
    options = [o for o in FAST if not o.startswith('train_cfg.max_epochs')]
    quiet = Console(file=open(os.devnull, 'w'))
    results = run_compare(synth_copy, work, epochs=1, only=['ezvsl'], readme=str(readme), console=quiet,
                          size='tiny', options=options)
    assert set(results) == {'ezvsl', 'ezvsl+ogl', 'centre_prior', 'objectness'}
    single = results['ezvsl']['synth_single']
    for key in ('ciou', 'auc', 'pia_offscreen', 'pia_offscreen_adap', 'sep_acc_all'):
        assert key in single
    assert 'a2i_r1' in results['ezvsl']['synth_retrieval'] and 'synth_retrieval' not in results['ezvsl+ogl']
    text = readme.read_text()
    assert 'old' not in text and text.startswith('intro\n') and text.endswith('rest\n')
    assert '| EZ-VSL + OGL |' in text and '| Floor: centre |' in text
    assert len(text.split('<!-- compare:start -->')[1].splitlines()[1].split('|')) == len(COLUMNS) + 3
    assert 'EZ-VSL: trained on avzoo-synth train' in text and 'test clips in training on synth_single: 0 clips' in text
    protocols = json.load(open(os.path.join(work, 'compare.json')))['protocols']
    assert protocols['ezvsl']['synth_single']['selection']['rule'] == 'last'
    assert protocols['centre_prior']['synth_single']['training']['list'] is None      # a floor trains on nothing
    stamp = {p: os.path.getmtime(os.path.join(work, 'ezvsl', p)) for p in ('epoch_1.pth', 'scores.json', 'scores_ogl.json')}
    again = run_compare(synth_copy, work, epochs=1, only=['ezvsl'], console=quiet, size='tiny', options=options)
    assert again == json.loads(json.dumps(results))                                 # same numbers, from the caches
    assert stamp == {p: os.path.getmtime(os.path.join(work, 'ezvsl', p)) for p in stamp}   # nothing redone
    assert compare_markdown(results, ['ezvsl']).count('\n') == 5                   # header, rule, 2 + 2 floors


def test_cards_get_their_own_rows_and_a_card_without_a_block_is_named(tmp_path):
    from rich.console import Console

    from avzoo.workflows.compare import write_cards
    metrics = {'synth_single': {'ciou': 10.0}}
    results = {'ezvsl': metrics, 'lvs': metrics, 'centre_prior': metrics}
    with_block = tmp_path / 'ezvsl.md'
    with_block.write_text('# EZ-VSL\n<!-- compare:start -->\nold\n<!-- compare:end -->\n')
    without = tmp_path / 'lvs.md'
    without.write_text('# LVS\n')
    console = Console(record=True, width=200)
    cards = {'ezvsl': str(with_block), 'lvs': str(without), 'centre_prior': str(tmp_path / 'none.md')}
    written = write_cards(results, ['ezvsl', 'lvs', 'centre_prior'], console, card_of=cards.get)
    assert written == [str(with_block)] and without.read_text() == '# LVS\n'
    text = with_block.read_text()
    assert '| EZ-VSL |' in text and '| LVS |' not in text and 'old' not in text
    assert 'card of lvs: no <!-- compare:start --> block' in console.export_text()
