"""`avzoo demo` end to end on the tiny synth set, with a method that does not mine positives (so the
demo itself must provide the objectness floor's supervised encoders)."""
import json
import os
import shutil

from rich.console import Console

from avzoo.workflows.demo import run_demo


def test_demo_writes_table_results_and_figure(synth_copy, tmp_path):
    shutil.rmtree(os.path.join(synth_copy, 'encoders'), ignore_errors=True)   # other tests may have trained them
    work = str(tmp_path / 'demo')
    os.makedirs(work)
    console = Console(record=True, width=120)
    results = run_demo(synth_copy, work, size='tiny', epochs=1, options=['log_level=WARNING'],
                       console=console, method='ezvsl')
    assert list(results) == ['ezvsl', 'centre_prior', 'objectness']
    for per_bench in results.values():
        assert set(per_bench) == {'synth_single', 'synth_interactive'}
        assert 0 <= per_bench['synth_single']['ciou'] <= 100 and 'iiou' in per_bench['synth_interactive']
    saved = json.load(open(os.path.join(work, 'results.json')))
    assert saved['results'] == json.loads(json.dumps(results))
    assert os.path.getsize(os.path.join(work, 'heatmaps_interactive.png')) > 10_000
    table = console.export_text()
    assert 'EZ-VSL' in table and 'Floor: objectness' in table
    md = open(os.path.join(work, 'results.md')).read()
    assert md.split('\n\n')[0].count('\n') == 4                           # header, rule, 3 rows
    assert 'EZ-VSL - synth_single' in md and 'trained on avzoo-synth train (0 clips / 0 videos' in md
    assert 'protocol:' in table and saved['protocols']['synth_interactive']['selection']['rule'] == 'last'
