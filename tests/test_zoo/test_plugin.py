"""A method defined outside the avzoo package is trained and scored by the runner from a config,
and found in the zoo through its own metafile."""
import os

from avzoo.engine.config import load_config
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from avzoo.zoo import get_method
from tests.utils import FAST, REPO


def test_user_registered_method_trains_from_config(tiny_synth, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    spec = get_method('max_pool_nce')               # projects/example_method/metafile.yml
    assert spec.configs['synth'] == os.path.join(REPO, 'projects', 'example_method', 'configs',
                                                 'max_pool_nce_small_1xb32-5e_synth.py')
    cfg = load_config(spec.config('synth'), FAST, data_root=tiny_synth, work_dir=str(tmp_path / 'plugin'))
    runner = train(cfg)
    assert type(runner.model.method).__name__ == 'MaxPoolNCE'
    assert type(runner.model.method).__module__ == 'projects.example_method.max_pool_nce'
    metrics = evaluate(cfg, 'synth_interactive', last_checkpoint(cfg.work_dir), tiny_synth)
    assert 0.0 <= metrics['iiou_adap'] <= 100.0


def test_project_modules_import_from_any_directory(tmp_path):
    """A console script's sys.path lacks the working directory: the project's package is found
    from its metafile's location (a fresh interpreter in another folder)."""
    import subprocess
    import sys
    code = ("from avzoo.zoo import get_method; import sys; get_method('max_pool_nce').import_modules(); "
            "print('projects.example_method' in sys.modules)")
    env = dict(os.environ, AVZOO_PROJECTS=os.path.join(REPO, 'projects'))
    env.pop('PYTHONPATH', None)
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == 'True', out.stderr[-500:]
