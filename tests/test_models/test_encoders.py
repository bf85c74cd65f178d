"""ResNet encoders: shapes, torchvision key layout, signed output, centring, local weights."""
import pytest
import torch
from torchvision.models import resnet18

from avzoo.models.encoders import ResNetEncoder
from avzoo.utils.errors import AvzooError


def test_release_shapes():
    v = ResNetEncoder(3).eval()
    a = ResNetEncoder(1, pool='max').eval()
    with torch.no_grad():
        assert v(torch.zeros(1, 3, 224, 224)).shape == (1, 512, 14, 14)     # layer4 stride 1
        assert a(torch.zeros(1, 1, 257, 299)).shape == (1, 512)


def test_loads_a_local_torchvision_checkpoint(tmp_path):
    path = tmp_path / 'resnet18.pth'
    torch.save(resnet18().state_dict(), path)
    enc = ResNetEncoder(3, pretrained=str(path))
    assert torch.equal(enc.layer4[1].conv2.weight, torch.load(path)['layer4.1.conv2.weight'])
    audio = ResNetEncoder(1, pretrained=str(path))                      # 3-channel stem averaged
    assert audio.conv1.weight.shape == (64, 1, 7, 7)
    with pytest.raises(AvzooError, match='never downloads'):
        ResNetEncoder(3, pretrained=str(tmp_path / 'absent.pth'))


def test_signed_output_shares_keys_and_drops_only_the_last_relu():
    relu = ResNetEncoder(widths=(8, 16, 16, 32)).eval()
    signed = ResNetEncoder(widths=(8, 16, 16, 32), final_relu=False).eval()
    signed.load_state_dict(relu.state_dict())
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out = signed(x)
        assert torch.allclose(out.clamp(min=0), relu(x)) and (out < 0).any()


def test_centred_embedding_has_zero_batch_mean():
    enc = ResNetEncoder(1, widths=(8, 16, 16, 32), pool='max', center=True).train()
    emb = enc(torch.randn(8, 1, 64, 64))
    assert emb.mean(dim=0).abs().max() < 1e-4
