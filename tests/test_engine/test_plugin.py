"""A method defined outside the avzoo package is trained and scored by the runner from a config."""
import os

from avzoo.engine.api import evaluate, last_checkpoint, train
from avzoo.engine.config import REPO_ROOT, load_config
from tests.conftest import FAST

CONFIG = os.path.join(REPO_ROOT, 'projects', 'example_method', 'configs', 'max_pool_nce_small_synth.py')


def test_user_registered_method_trains_from_config(tiny_synth, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    cfg = load_config(CONFIG, FAST, data_root=tiny_synth, work_dir=str(tmp_path / 'plugin'))
    runner = train(cfg)
    assert type(runner.model.method).__name__ == 'MaxPoolNCE'
    assert type(runner.model.method).__module__ == 'projects.example_method.max_pool_nce'
    metrics = evaluate(cfg, 'synth_interactive', last_checkpoint(cfg.work_dir), tiny_synth)
    assert 0.0 <= metrics['iiou_adap'] <= 100.0
