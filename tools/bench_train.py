"""Benchmark: training throughput (pairs/s) of the alignment method's ResNet-18 pair, reference vs fast.

Four numbers, measured in one run on the same model, data and batch:

- ``reference_step`` / ``fast_step``: compute only (a prepared batch already on the device):
  fp32 eager vs bf16 autocast + channels_last;
- ``reference_pipeline``: as the public releases train: DataLoader workers decode the JPEGs (PIL),
  apply the image augmentations (torchvision, per sample) and compute the spectrograms on the CPU;
  fp32 eager step;
- ``fast_pipeline``: workers only read the files (JPEG bytes, waveforms) into pinned memory
  (persistent workers); the device decodes the JPEGs (``torchvision.io.decode_jpeg``, nvJPEG on a
  GPU) and resizes them; then the data preprocessor of the fast config
  (``alignment_r18_1xb128-sup-nn-bf16-gpuaug-50e_vggsound144k``, what ``avzoo train`` runs with it)
  normalises, draws the SimCLR view (``BatchedSimCLR``) and computes the spectrograms; bf16
  autocast + channels_last step. The reference runs the paper's config.

Each pair has the method's views (anchor, augmented and semantic-neighbour frame and audio: 3
images and 3 spectrograms per pair). Media are generated once under --data (JPEG 360x480,
16 kHz 10 s wav). On a CPU-only machine run small sizes; the ratios are the result. Last line:
one JSON object.

    python tools/bench_train.py [--batch 128] [--steps 20] [--workers 12] [--views aug,nn|none] [--device cuda]
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
VIEWS = True


def make_media(root: str, n: int) -> None:
    import soundfile as sf
    from PIL import Image
    os.makedirs(root, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        path = os.path.join(root, f'{i}.jpg')
        if not os.path.isfile(path):
            low = rng.random((12, 16, 3))
            img = np.kron(low, np.ones((30, 30, 1))) * 200 + rng.random((360, 480, 3)) * 55
            Image.fromarray(img.astype(np.uint8)).save(path, quality=90)
            sf.write(os.path.join(root, f'{i}.wav'), 0.1 * rng.standard_normal(160000).astype(np.float32), 16000)


class Pairs(Dataset):
    """Item i: anchor frame/audio, its augmented views, and sample (i * 7 + 1) % n as the neighbour.
    ``mode='reference'``: finished tensors (CPU decode, augment, spectrogram); ``'fast'``: raw
    JPEG bytes and waveforms."""

    def __init__(self, root: str, n: int, mode: str, views: bool = True) -> None:
        from torchvision.transforms import v2
        self.views = views

        from avzoo.datasets.transforms import LogSpectrogram
        self.root, self.n, self.mode = root, n, mode
        self.anchor = v2.Compose([v2.Resize((224, 224), antialias=True), v2.RandomHorizontalFlip()])
        self.simclr = v2.Compose([
            v2.RandomResizedCrop(224, scale=(0.08, 1.0), antialias=True),
            v2.RandomApply([v2.ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8), v2.RandomGrayscale(0.2),
            v2.RandomApply([v2.GaussianBlur(23, (0.1, 2.0))], p=0.5), v2.RandomHorizontalFlip()])
        self.spec = LogSpectrogram(16000, 512, 159)

    def __len__(self) -> int:
        return self.n

    def _wave(self, i: int) -> torch.Tensor:
        import soundfile as sf
        wav, _ = sf.read(os.path.join(self.root, f'{i}.wav'), dtype='float32')
        return torch.from_numpy(wav)

    def __getitem__(self, i: int):
        from torchvision.io import decode_jpeg
        j = (i * 7 + 1) % self.n
        wav, wav_nn = self._wave(i), self._wave(j)
        shift = int(torch.randint(-8000, 8001, ()).item())
        audio = dict(audio=wav[56000:104000], audio_aug=wav[56000 + shift:104000 + shift], audio_nn=wav_nn[56000:104000])
        raw = self._bytes(i), self._bytes(j)
        if not self.views:
            audio, raw = dict(audio=audio['audio']), raw[:1]
        if self.mode == 'fast':
            return dict(jpeg=raw[0], **(dict(jpeg_nn=raw[1]) if self.views else {}), **audio)
        img = decode_jpeg(raw[0])
        out = dict(image=self._norm(self.anchor(img)))
        if self.views:
            out.update(image_aug=self._norm(self.simclr(img)), image_nn=self._norm(self.anchor(decode_jpeg(raw[1]))))
        out.update({k: self.spec(v[None])[0] for k, v in audio.items()})
        return out

    def _bytes(self, i: int) -> torch.Tensor:
        with open(os.path.join(self.root, f'{i}.jpg'), 'rb') as f:
            return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)

    @staticmethod
    def _norm(x: torch.Tensor) -> torch.Tensor:
        return ((x.float() / 255) - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1)


def collate_fast(batch):
    return {k: [b[k] for b in batch] if k.startswith('jpeg') else torch.stack([b[k] for b in batch])
            for k in batch[0]}


class FastPrep:
    """On the device: decode the JPEGs, resize (anchor 224 + flip, the SimCLR view's 256x256 source),
    then the fast config's own data preprocessor (normalisation, ``BatchedSimCLR`` on ``image_aug``,
    spectrograms): the path of ``avzoo train`` with the fast config, plus JPEG decoding on the device."""

    def __init__(self, model, device) -> None:
        self.model, self.device = model, device

    def decode(self, jpegs):
        from torchvision.io import decode_jpeg
        imgs = decode_jpeg(jpegs, device=self.device) if self.device.type == 'cuda' else [decode_jpeg(j) for j in jpegs]
        return torch.stack(imgs).float()

    @staticmethod
    def resize(x, size, flip: bool = False):
        x = F.interpolate(x, size=(size, size), mode='bilinear', antialias=True, align_corners=False)
        if flip:
            b = x.shape[0]
            x = torch.where((torch.rand(b, device=x.device) < 0.5).view(b, 1, 1, 1), x.flip(-1), x)
        return x.round_().clamp_(0, 255).to(torch.uint8)

    def __call__(self, batch):
        img = self.decode(batch['jpeg'])
        inputs = dict(image=self.resize(img, 224, flip=True))
        if 'jpeg_nn' in batch:
            inputs.update(image_aug=self.resize(img, 256), image_nn=self.resize(self.decode(batch['jpeg_nn']), 224, flip=True))
        inputs.update({k: batch[k].to(self.device, non_blocking=True) for k in batch if k.startswith('audio')})
        return self.model.data_preprocessor(dict(inputs=inputs), training=True)['inputs']


def build_model(device, fast: bool, views: bool = True):
    """The paper's config (reference) or its fast variant (bf16 config, channels_last, the SimCLR
    view drawn by the data preprocessor); both with the same weights initialisation."""
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401
    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    cfg = load_config('alignment_r18_1xb128-sup-nn-bf16-gpuaug-50e_vggsound144k' if fast else 'alignment_r18_1xb128-sup-nn-50e_vggsound144k')
    if not views:
        cfg.model.method.views = ()
    model = MODELS.build(cfg.model).to(device).train()
    return model, torch.optim.Adam(model.parameters(), lr=1e-4)


def step(model, opt, inputs, bf16: bool, device) -> float:
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
        losses = model(inputs, mode='loss')
        loss = sum(losses.values())
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return float(loss.detach())


def sync(device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize()


def time_steps(fn, warmup: int, steps: int, device) -> float:
    for _ in range(warmup):
        fn()
    sync(device)
    t = time.perf_counter()
    for _ in range(steps):
        fn()
    sync(device)
    return time.perf_counter() - t


def compute_only(device, batch: int, steps: int, fast: bool, ref_inputs) -> float:
    torch.manual_seed(0)
    model, opt = build_model(device, fast, views=VIEWS)
    inputs = {k: v.to(device).contiguous(memory_format=torch.channels_last if fast else torch.contiguous_format)
              for k, v in ref_inputs.items()}
    return batch * steps / time_steps(lambda: step(model, opt, inputs, fast, device), 2, steps, device)


def pipeline(device, args, fast: bool) -> float:
    torch.manual_seed(0)
    model, opt = build_model(device, fast, views=VIEWS)
    ds = Pairs(args.data, args.n_media, 'fast' if fast else 'reference', VIEWS)
    loader = DataLoader(ds, batch_size=args.batch, shuffle=True, drop_last=True, num_workers=args.workers,
                        collate_fn=collate_fast if fast else None, pin_memory=fast and device.type == 'cuda',
                        persistent_workers=fast and args.workers > 0, prefetch_factor=4 if args.workers else None)
    prep = FastPrep(model, device) if fast else None
    it = iter(loader)

    def one():
        nonlocal it
        try:
            batch = next(it)
        except StopIteration:
            it = iter(loader)
            batch = next(it)
        if fast:
            inputs = prep(batch)
        else:
            inputs = {k: v.to(device) for k, v in batch.items()}
        step(model, opt, inputs, fast, device)
    return args.batch * args.steps / time_steps(one, args.warmup, args.steps, device)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batch', type=int, default=None, help='128 on a GPU, 8 on a CPU')
    p.add_argument('--steps', type=int, default=None, help='20 on a GPU, 3 on a CPU')
    p.add_argument('--workers', type=int, default=None, help='DataLoader workers (GPU: 12, CPU: 1)')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--data', default='/tmp/avzoo_bench_train')
    p.add_argument('--n-media', type=int, default=512)
    p.add_argument('--warmup', type=int, default=5, help='untimed pipeline steps (workers starting)')
    p.add_argument('--views', choices=('aug,nn', 'none'), default='aug,nn',
                   help="the method's views (3 images + 3 spectrograms per pair) or the anchor pair only")
    args = p.parse_args()
    global VIEWS
    VIEWS = args.views != 'none'
    device = torch.device(args.device)
    gpu = device.type == 'cuda'
    args.batch = args.batch or (128 if gpu else 8)
    args.steps = args.steps or (20 if gpu else 3)
    args.workers = args.workers if args.workers is not None else (12 if gpu else 1)
    if gpu:
        torch.backends.cudnn.benchmark = True
    make_media(args.data, args.n_media)
    ds = Pairs(args.data, args.n_media, 'reference', VIEWS)
    ref_inputs = {k: torch.stack([ds[i][k] for i in range(args.batch)]) for k in ds[0]}
    res = dict(device=torch.cuda.get_device_name(0) if gpu else f'cpu ({os.cpu_count()} cores)', batch=args.batch,
               views=args.views, workers=args.workers)
    res['reference_step'] = compute_only(device, args.batch, args.steps, False, ref_inputs)
    res['fast_step'] = compute_only(device, args.batch, args.steps, True, ref_inputs)
    res['reference_pipeline'] = pipeline(device, args, fast=False)
    res['fast_pipeline'] = pipeline(device, args, fast=True)
    res['speedup'] = res['fast_pipeline'] / res['reference_pipeline']
    res = {k: round(v, 2) if isinstance(v, float) else v for k, v in res.items()}
    print(f"pairs/s  step: reference {res['reference_step']}  fast {res['fast_step']}   "
          f"pipeline: reference {res['reference_pipeline']}  fast {res['fast_pipeline']}  ({args.workers} workers)")
    print(json.dumps(res))


if __name__ == '__main__':
    main()
