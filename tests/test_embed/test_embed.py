"""`avzoo embed`: every embedder loads random weights saved in its release's layout and gives the
same features as the network built directly from those weights; extraction is sharded, resumable
and refuses a folder made from other inputs."""
import json
import os

import numpy as np
import pytest
import soundfile as sf
import torch
import torchvision
from PIL import Image
from torch import nn

from avzoo.embed import ImageNetResNet, OpenCLIPImage, VGGSoundAudioNet, Wav2CLIPAudio, embed_ids
from avzoo.utils.errors import AvzooError


def _images(tmp_path, n=5, size=64):
    rng = np.random.default_rng(0)
    os.makedirs(tmp_path / 'frames', exist_ok=True)
    os.makedirs(tmp_path / 'audio', exist_ok=True)
    ids = [f'clip{i}' for i in range(n)]
    for i in ids:
        Image.fromarray(rng.integers(0, 255, (size, size + 8, 3), dtype=np.uint8)).save(tmp_path / 'frames' / f'{i}.jpg')
        sf.write(tmp_path / 'audio' / f'{i}.wav', rng.uniform(-0.5, 0.5, 16000 * 2).astype(np.float32), 16000)
    return ids


def test_imagenet_resnet_matches_torchvision(tmp_path):
    net = torchvision.models.resnet18(weights=None).eval()
    torch.save(net.state_dict(), tmp_path / 'r18.pth')
    emb = ImageNetResNet(str(tmp_path / 'r18.pth')).eval()
    x = torch.randn(2, 3, 224, 224)
    net.fc = nn.Identity()
    with torch.no_grad():
        assert torch.allclose(emb(x), net(x), atol=1e-5)
    assert emb.prepare(torch.zeros(3, 300, 400, dtype=torch.uint8)).shape == (3, 224, 224)


def test_vggsound_audio_release_layout(tmp_path):
    # the release: AVENet.audnet = ResNet-18 with a 1-channel conv1 and a 309-way fc, saved as
    # {'model_state_dict': {'audnet.*': ...}} (hche11/VGGSound test.py L91-92)
    ref = torchvision.models.resnet18(weights=None, num_classes=309)
    ref.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    ref.eval()
    torch.save({'model_state_dict': {f'audnet.{k}': v for k, v in ref.state_dict().items()}}, tmp_path / 'vgg.pth.tar')
    emb = VGGSoundAudioNet(str(tmp_path / 'vgg.pth.tar')).eval()
    spec = emb.prepare(torch.rand(160000) - 0.5)
    assert spec.shape == (1, 257, 1004)                  # the release's 10 s, nperseg 512 / noverlap 353
    assert abs(float(spec.mean())) < 1e-4 and abs(float(spec.std()) - 1) < 1e-3
    ref.fc = nn.Identity()
    with torch.no_grad():
        assert torch.allclose(emb(spec[None]), ref(spec[None]), atol=1e-5)


def test_wav2clip_release_layout(tmp_path):
    enc = torchvision.models.resnet18(weights=None)
    enc.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    enc.fc = nn.Identity()
    mlp = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, 512))
    state = {f'audio_encoder.{k}': v for k, v in enc.state_dict().items()}
    state.update({f'audio_transform.sequential.{k}': v for k, v in mlp.state_dict().items()})
    torch.save(state, tmp_path / 'Wav2CLIP.pt')
    emb = Wav2CLIPAudio(str(tmp_path / 'Wav2CLIP.pt')).eval()
    x = emb.prepare(torch.rand(160000) - 0.5)[None]
    enc.eval(), mlp.eval()
    with torch.no_grad():
        assert torch.allclose(emb(x), mlp(enc(x)), atol=1e-5)


def test_wrong_layout_and_missing_file_are_one_error(tmp_path):
    torch.save({'foo.weight': torch.zeros(2)}, tmp_path / 'bad.pth')
    with pytest.raises(AvzooError, match='not the layout'):
        VGGSoundAudioNet(str(tmp_path / 'bad.pth'))
    with pytest.raises(AvzooError, match='never downloads'):
        ImageNetResNet(str(tmp_path / 'absent.pth'))


def test_open_clip_local_weights(tmp_path):
    open_clip = pytest.importorskip('open_clip')     # a dev dependency: installed by `make install`
    model = open_clip.create_model('RN50', pretrained=None).eval()
    torch.save(model.state_dict(), tmp_path / 'clip_rn50.pt')
    emb = OpenCLIPImage(str(tmp_path / 'clip_rn50.pt'), model_name='RN50').eval()
    x = emb.prepare(torch.randint(0, 255, (3, 240, 320), dtype=torch.uint8))[None]
    with torch.no_grad():
        assert torch.allclose(emb(x), model.encode_image(x), atol=1e-4)


def test_extraction_is_sharded_resumable_and_keyed(tmp_path):
    ids = _images(tmp_path)
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / 'r18.pth')
    enc = dict(type='ImageNetResNet', arch='resnet18')
    out = tmp_path / 'emb'
    final = embed_ids(enc, str(tmp_path / 'r18.pth'), str(tmp_path), ids, str(out), shard_size=2, batch_size=2,
                      progress=False)
    arr = np.load(final)
    assert arr.shape == (5, 512) and sorted(os.listdir(out)).count('shard_00002.npy') == 1
    meta = json.loads((out / 'meta.json').read_text())
    assert meta['inputs']['weights_sha256'] and meta['inputs']['n'] == 5 and meta['n_failed'] == 0
    assert (out / 'ids.txt').read_text().split() == ids
    # direct computation of row 3 equals the stored row
    emb = ImageNetResNet(str(tmp_path / 'r18.pth')).eval()
    from avzoo.datasets.media import load_frame
    with torch.no_grad():
        row = emb(emb.prepare(load_frame(str(tmp_path / 'frames' / 'clip3.jpg')))[None])[0].numpy()
    np.testing.assert_allclose(arr[3], row, atol=1e-4)
    # resume: a finished shard is not recomputed (its file is kept byte for byte), a lost one is
    before = (out / 'shard_00000.npy').stat().st_mtime_ns
    os.remove(out / 'shard_00001.npy')
    embed_ids(enc, str(tmp_path / 'r18.pth'), str(tmp_path), ids, str(out), shard_size=2, batch_size=2, progress=False)
    assert (out / 'shard_00000.npy').stat().st_mtime_ns == before
    np.testing.assert_allclose(np.load(final), arr, atol=1e-5)
    # other inputs into the same folder are refused
    with pytest.raises(AvzooError, match='other inputs'):
        embed_ids(enc, str(tmp_path / 'r18.pth'), str(tmp_path), ids[:4], str(out), shard_size=2, progress=False)
    # a missing frame: counted, zero row
    os.remove(tmp_path / 'frames' / 'clip1.jpg')
    final2 = embed_ids(enc, str(tmp_path / 'r18.pth'), str(tmp_path), ids, str(tmp_path / 'emb2'), shard_size=8,
                       progress=False)
    assert json.loads((tmp_path / 'emb2' / 'meta.json').read_text())['n_failed'] == 1
    assert not np.load(final2)[1].any()


def test_audio_extraction_feeds_npy_features(tmp_path):
    from avzoo.miners import NpyFeatures
    ids = _images(tmp_path, n=3)
    out = tmp_path / 'a'
    final = embed_ids(dict(type='Wav2CLIPAudio'), None, str(tmp_path), ids, str(out), progress=False)
    assert np.load(final).shape == (3, 512)

    class DS:
        pass
    ds = DS()
    ds.ids = ids[::-1]
    img, aud = NpyFeatures(final, final, ids=str(out / 'ids.txt')).extract(ds)
    np.testing.assert_allclose(aud, np.load(final)[::-1])


@pytest.mark.parametrize('modality,projected', [('image', False), ('audio', True)])
def test_checkpoint_embedder_matches_the_model(tmp_path, modality, projected):
    from avzoo.apis.model import init_model
    from avzoo.embed import CheckpointEmbedder
    ids = _images(tmp_path, n=3)
    config = 'alignment_small_1xb32-sup-nn-5e_synth'
    torch.manual_seed(0)
    model = init_model(config, None, domain='synth')
    torch.save({'state_dict': model.state_dict()}, tmp_path / 'ours.pth')
    out = tmp_path / f'emb_{modality}'
    final = embed_ids(dict(type='CheckpointEmbedder', config=config, modality=modality, projected=projected),
                      str(tmp_path / 'ours.pth'), str(tmp_path), ids, str(out), progress=False)
    arr = np.load(final)
    emb = CheckpointEmbedder(config, str(tmp_path / 'ours.pth'), modality, projected).eval()
    template = 'frames/{id}.jpg' if modality == 'image' else 'audio/{id}.wav'
    with torch.no_grad():
        row = emb(emb.prepare(emb.read(str(tmp_path / template.format(id=ids[2]))))[None])[0].numpy()
    np.testing.assert_allclose(arr[2], row, atol=1e-5)
    assert arr.shape[0] == 3 and np.allclose(np.linalg.norm(arr, axis=1), 1, atol=1e-4)


def test_cli_embed_and_its_errors(tmp_path):
    from typer.testing import CliRunner

    from avzoo.cli import app
    from tests.utils import assert_one_line_error
    ids = _images(tmp_path, n=3)
    (tmp_path / 'ids.txt').write_text('\n'.join(ids) + '\n')
    r = CliRunner().invoke(app, ['embed', str(tmp_path / 'ids.txt'), '--encoder', 'vggsound_audio', '--weights',
                                 str(tmp_path / 'H.pth.tar'), '--data-root', str(tmp_path), '--out', str(tmp_path / 'o')])
    assert_one_line_error(r.exit_code, r.output, 'H.pth.tar', 'never downloads')
    r = CliRunner().invoke(app, ['embed', str(tmp_path / 'ids.txt'), '--encoder', 'resnet', '--weights', 'x',
                                 '--data-root', str(tmp_path), '--out', str(tmp_path / 'o')])
    assert_one_line_error(r.exit_code, r.output, 'imagenet_resnet18')
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / 'r18.pth')
    r = CliRunner().invoke(app, ['embed', str(tmp_path / 'ids.txt'), '--encoder', 'imagenet_resnet18', '--weights',
                                 str(tmp_path / 'r18.pth'), '--data-root', str(tmp_path), '--out', str(tmp_path / 'o')])
    assert r.exit_code == 0, r.output
    assert np.load(tmp_path / 'o' / 'embeddings.npy').shape == (3, 512)


def test_a_shard_with_nothing_readable_is_one_error(tmp_path):
    with pytest.raises(AvzooError, match='no readable item'):
        embed_ids(dict(type='ImageNetResNet'), None, str(tmp_path), ['a', 'b'], str(tmp_path / 'o'), progress=False)
