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
