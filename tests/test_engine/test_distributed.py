"""2-process DDP on CPU (gloo, under torchrun): a tiny synth run trains; metrics gathered across
ranks equal one process's; gathered embeddings and batch norm over all ranks make 2 x 8 samples
give one process's loss and gradients on the 16 (checked in float64 on the synth model: in
float32 the two differ by rounding that batch norm's backward amplifies, up to a few per cent on
some tensors, so a float32 DDP run is not bit-comparable to a one-process run)."""
import gc
import json
import os
import socket
import subprocess
import sys

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from tests.utils import REPO

CONFIG = 'alignment/alignment_small_1xb32-sup-nn-5e_synth.py'
OPTS = ['train_cfg.max_epochs=2', 'train_cfg.val_interval=2', 'randomness.deterministic=True', 'log_level=WARNING']


def _free_port() -> str:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def _run(args, nproc=1):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO)
    env.pop('RANK', None), env.pop('WORLD_SIZE', None)
    head = ([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', str(nproc), '--master_port',
             _free_port(), '-m', 'avzoo'] if nproc > 1 else [sys.executable, '-m', 'avzoo'])
    out = subprocess.run(head + args, env=env, capture_output=True, text=True, timeout=900, cwd=REPO)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.fixture(scope='module')
def ddp_run(tiny_synth, tmp_path_factory):
    root = tmp_path_factory.mktemp('ddp')
    _run(['train', CONFIG, '--data-root', tiny_synth, '--cfg-options', *OPTS, 'train_dataloader.batch_size=8',
          '--work-dir', str(root / 'two')], nproc=2)
    return root


def test_ddp_trains_on_cpu_under_torchrun(ddp_run):
    state = torch.load(ddp_run / 'two' / 'epoch_2.pth', weights_only=True)
    assert state['meta']['iter'] == 8                                   # 64 clips / (2 x 8) x 2 epochs
    assert all(torch.isfinite(v).all() for v in state['state_dict'].values() if v.is_floating_point())
    assert not [f for f in os.listdir(ddp_run / 'two') if 'partial' in f]


def test_ddp_metrics_equal_one_process(ddp_run, tiny_synth):
    def scores(nproc):
        args = ['eval', '--method', 'alignment', '--bench', 'synth_interactive', '--data-root', tiny_synth, '--checkpoint',
                str(ddp_run / 'two' / 'epoch_2.pth'), '--json', '--out', str(ddp_run / f'm{nproc}.json')]
        return json.loads(_run(args, nproc).strip().splitlines()[-1])
    assert scores(2) == scores(1)


def _join(rank: int, store: str) -> None:
    """A 2-rank gloo group met through a file (no TCP store server that rank 0 takes down on exit)."""
    dist.init_process_group('gloo', init_method=f'file://{store}', rank=rank, world_size=2)


def _leave() -> None:
    """Both ranks past a barrier, then the group destroyed (avzoo's own teardown) and its last
    references collected before the interpreter ends: a gloo group left to interpreter shutdown
    aborted a worker once in CI (SIGABRT, "terminate called without an active exception")."""
    from avzoo.engine.distributed import teardown_distributed
    teardown_distributed()
    gc.collect()


def _global_batch_worker(rank: int, store: str, out: str) -> None:
    from avzoo.models.global_batch import GlobalBatchNorm, gather_batch
    _join(rank, store)
    torch.manual_seed(0)
    x_all, w = torch.randn(8, 3, 5, 5) * 3 + 1, torch.randn(8, 3, 5, 5)
    bn = GlobalBatchNorm(3).train()
    x = x_all[rank::2].clone().requires_grad_()
    y = gather_batch(bn(x))                        # rank order: samples 0, 2, 4, 6, 1, 3, 5, 7
    order = torch.cat([torch.arange(0, 8, 2), torch.arange(1, 8, 2)])
    (y * w[order]).pow(3).sum().backward()
    torch.save(dict(grad=x.grad / 2, weight=bn.weight.grad / 2, running=bn.running_var.clone()), f'{out}{rank}.pt')
    del x, y, bn
    _leave()


def test_gathered_embeddings_and_global_batch_norm_give_one_process_gradients(tmp_path):
    mp.spawn(_global_batch_worker, args=(str(tmp_path / 'store'), str(tmp_path / 'r')), nprocs=2)
    torch.manual_seed(0)
    x_all, w = torch.randn(8, 3, 5, 5) * 3 + 1, torch.randn(8, 3, 5, 5)
    x_all.requires_grad_()
    bn = torch.nn.BatchNorm2d(3).train()
    (bn(x_all) * w).pow(3).sum().backward()
    for rank in (0, 1):
        got = torch.load(tmp_path / f'r{rank}.pt')
        assert torch.allclose(got['grad'], x_all.grad[rank::2], atol=1e-4, rtol=1e-4)
        assert torch.allclose(got['running'], bn.running_var, atol=1e-5)
    # DDP averages the ranks' affine gradients (each holds R x its share of the global one)
    total = sum(torch.load(tmp_path / f'r{r}.pt')['weight'] for r in (0, 1))
    assert torch.allclose(total, bn.weight.grad, atol=1e-3, rtol=1e-4)


# the alignment method (three views, mined positives), LVS (its einsums give the gathered tensors
# strided gradients, which gloo's all-to-all once summed wrongly) and SSL-TIE (a view it derives on
# the device, whose random draw rank 0 makes for the global batch)
GRAD_CONFIGS = (CONFIG, 'lvs/lvs_small_1xb32-5e_synth.py', 'ssltie/ssltie_small_1xb32-5e_synth.py')


def _model_grads(inputs, config, rank=None, world=1):
    from avzoo.apis.model import init_model
    from avzoo.models.global_batch import convert_global_batch_norm
    torch.manual_seed(0)
    model = init_model(config, domain='synth').train().double()
    if world > 1:                                # each rank its contiguous share, gathered in rank order
        model = convert_global_batch_norm(model)
        n = next(iter(inputs.values())).shape[0] // world
        inputs = {k: v[rank * n:(rank + 1) * n] for k, v in inputs.items()}
    losses = model({k: v.double() for k, v in inputs.items()}, mode='loss')
    sum(losses.values()).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    return {k: float(v.detach()) for k, v in losses.items()}, grads


def _global_inputs() -> dict:
    """The 16-sample batch, the same in every process (made there, not sent through spawn)."""
    g = torch.Generator().manual_seed(1)
    inputs = {k: torch.rand(16, 3, 128, 128, generator=g) for k in ('image', 'image_aug', 'image_nn')}
    inputs.update({k: torch.randn(16, 1, 129, 61, generator=g) for k in ('audio', 'audio_aug', 'audio_nn')})
    return inputs


def _model_worker(rank: int, store: str, out: str, config: str) -> None:
    torch.set_num_threads(1)                     # two ranks on a 2-core machine
    _join(rank, store)
    losses, grads = _model_grads(_global_inputs(), config, rank, 2)
    for g in grads.values():                     # what DDP does: average the ranks' gradients
        dist.all_reduce(g)
        g /= 2
    if rank == 0:
        torch.save(dict(losses=losses, grads=grads), out)
    del grads
    _leave()


@pytest.mark.parametrize('config', GRAD_CONFIGS, ids=lambda c: c.split('/')[0])
def test_ddp_loss_and_gradients_equal_one_process_on_the_global_batch(tmp_path, config):
    mp.spawn(_model_worker, args=(str(tmp_path / 'store'), str(tmp_path / 'ddp.pt'), config), nprocs=2)
    ddp = torch.load(tmp_path / 'ddp.pt')
    losses, grads = _model_grads(_global_inputs(), config)
    for k in losses:
        assert abs(ddp['losses'][k] - losses[k]) < 1e-9 * abs(losses[k])
    norm = torch.sqrt(sum((v ** 2).sum() for v in grads.values()))
    worst = max(float((ddp['grads'][k] - grads[k]).abs().max()) for k in grads)
    assert worst < 1e-6 * float(norm), (worst, float(norm))


def test_the_cli_destroys_its_process_group_after_success_only(tmp_path, monkeypatch, capsys):
    import avzoo.cli as cli
    import avzoo.engine.distributed as distributed
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0, world_size=1)
    distributed.teardown_distributed()
    assert not dist.is_initialized()
    calls = []
    monkeypatch.setattr(distributed, 'teardown_distributed', lambda: calls.append('teardown'))
    for argv, code in ((['avzoo', 'list', '--json'], 0), (['avzoo', 'eval', '--method', 'no_such_method'], 2)):
        monkeypatch.setattr(sys, 'argv', argv)
        with pytest.raises(SystemExit) as done:
            cli.main()
        assert done.value.code == code
    assert calls == ['teardown']                 # after the failure no barrier: a peer may be mid-collective
