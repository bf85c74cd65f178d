"""The contract every registered method keeps (timm's habit of testing every registry entry):
built from its synth config as the zoo's metafile names it, one loss step on a tiny batch, and
the shared ``predict`` output. A new method registered with a metafile is covered without an
edit here; a registered method without a metafile fails ``test_every_registered_method_is_in_the_zoo``."""
import inspect

import pytest
import torch
from mmengine.registry import init_default_scope

import avzoo  # noqa: F401  (registration)
from avzoo.engine.config import load_config
from avzoo.models.encoders import ResNetEncoder
from avzoo.models.methods import LocalizationMethod
from avzoo.registry import MODELS
from avzoo.zoo import methods

SPECS = list(methods().values())
for _spec in SPECS:
    _spec.import_modules()


def test_every_registered_method_is_in_the_zoo():
    registered = {name for name, cls in MODELS.module_dict.items()
                  if inspect.isclass(cls) and issubclass(cls, LocalizationMethod) and cls is not LocalizationMethod}
    assert registered <= {s.type for s in SPECS}, f'registered methods without a metafile: {registered - {s.type for s in SPECS}}'


def _tiny_batch(cfg, b: int = 4) -> dict:
    size = cfg.get('image_size', 224)
    wav = int(cfg.audio['sample_rate'] * cfg.audio['window_seconds'])
    g = torch.Generator().manual_seed(0)
    inputs = {}
    for suffix in ('', '_aug', '_nn'):
        inputs['image' + suffix] = torch.randint(0, 256, (b, 3, size, size), dtype=torch.uint8, generator=g)
        inputs['audio' + suffix] = 0.1 * torch.randn(b, wav, generator=g)
    return dict(inputs=inputs)


@pytest.mark.parametrize('spec', SPECS, ids=lambda s: s.name)
def test_method_contract(spec, tmp_path):
    init_default_scope('avzoo')
    # stand-in for the supervised synth encoder that the miner writes (objectness, Pre. Vision)
    (tmp_path / 'encoders').mkdir()
    torch.save(ResNetEncoder(widths=(16, 32, 64, 128)).state_dict(), tmp_path / 'encoders' / 'visual_encoder.pth')
    cfg = load_config(spec.config('synth' if 'synth' in spec.configs else 'real'), data_root=str(tmp_path))
    if 'synth' not in spec.configs:       # a real-only variant: stand-in ImageNet weights where it loads them
        torch.save(ResNetEncoder(strides=(1, 2, 2, 2)).state_dict(), tmp_path / 'resnet18_imagenet.pth')
        cfg = load_config(cfg.filename, data_root=[f'weights_root={tmp_path}'])
    assert cfg.model.method['type'] == spec.type, f'{spec.metafile}: type {spec.type} but the config builds {cfg.model.method["type"]}'
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    method = model.method
    assert isinstance(method, LocalizationMethod) and type(method).trains == spec.trains
    assert set(method.views) <= {'aug', 'nn'}
    if spec.trains:                     # the training data produces every view the method trains on
        assert set(cfg.train_dataloader.dataset.get('views', ())) >= set(method.views)
    else:
        assert cfg.train_dataloader is None
    for pair in model.momentum_pairs:
        online, target = model.get_submodule(pair.online), model.get_submodule(pair.target)
        assert 0.0 < pair.m < 1.0 and not any(p.requires_grad for p in target.parameters())
        assert all(torch.equal(a, b) for a, b in zip(online.parameters(), target.parameters()))
    method.on_epoch(10)                 # past any warm-up: every loss term is active

    batch = model.data_preprocessor(_tiny_batch(cfg), training=True)
    if spec.trains:
        model.train()
        losses = model(batch['inputs'], mode='loss')
        named = {k: v for k, v in losses.items() if k.startswith('loss')}
        assert named and all(torch.isfinite(v).all() and v.dim() == 0 for v in losses.values())
        sum(named.values()).backward()
        for encoder in (model.visual_encoder, model.audio_encoder):
            grads = [p.grad for p in encoder.parameters() if p.requires_grad]
            assert grads and any(g is not None and g.abs().sum() > 0 for g in grads), f'{spec.name}: no gradient'
        for pair in model.momentum_pairs:   # targets never get gradients
            assert all(p.grad is None for p in model.get_submodule(pair.target).parameters())
    else:
        with pytest.raises(avzoo.AvzooError, match='training-free'):
            model(batch['inputs'], mode='loss')

    model.eval()
    with torch.no_grad():
        preds = model(batch['inputs'], mode='predict')
        raw = model(batch['inputs'], mode='tensor')
    assert len(preds) == 4 and raw.dim() == 3 and raw.shape[0] == 4
    for p in preds:
        assert p['heatmap'].shape == (224, 224) and p['heatmap'].min() >= 0 and p['heatmap'].max() <= 1
        assert isinstance(p['confidence'], float)
        assert all(p[m].dim() == 1 for m in method.encoders)      # embeddings of the encoders it runs
        assert set(method.encoders) <= {'visual', 'audio'}
        assert p['raw_map'].shape == raw.shape[1:]
    # The negative-audio scale: (cos + 1) / 2 of the map, in [0, 1] for every method, and an extra
    # sound for the same image gives its own map (the floors' maps ignore it).
    sim = method.similarity_map(raw)
    assert sim.shape == raw.shape and sim.min() >= 0 and sim.max() <= 1
    extra = dict(batch['inputs'], audio_silence=torch.zeros_like(batch['inputs']['audio']))
    with torch.no_grad():
        preds = model(extra, mode='predict')
    assert all(p['sim_map_silence'].shape == (224, 224) and 0 <= p['sim_min_silence'] <= p['sim_max_silence'] <= 1
               for p in preds)
    if 'audio' not in method.encoders:
        assert all(torch.equal(p['sim_map'], p['sim_map_silence']) for p in preds)
