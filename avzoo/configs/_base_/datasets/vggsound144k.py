# VGGSound-144K training (shipped id list vggss_144k.txt) and VGG-SS validation/test, the setting of
# the releases: 224 px frames, the 3 s window at 3.5-6.5 s of the 10 s clip at 16 kHz.
# `data_root`: frames/<id>.jpg, audio/<id>.wav (`avzoo prepare vggsound144k`); `vggss_root`: the
# VGG-SS test media (`avzoo prepare vggss`). `--cfg-options data_root=DIR vggss_root=DIR` moves
# every path built from them.
data_root = 'data/vggsound'
vggss_root = 'data/vggss'
image_size = 224
audio = dict(sample_rate=16000, clip_seconds=10.0, window_seconds=3.0, window_start=3.5, channel='first')
anchor_pipeline = [dict(type='tv/Resize', size=(246, 246), antialias=True),   # int(224 * 1.1)
                   dict(type='tv/RandomCrop', size=image_size),
                   dict(type='tv/RandomHorizontalFlip')]
train_dataloader = dict(
    batch_size=128, num_workers=8, persistent_workers=True, drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='AVPairDataset', data_root=data_root, id_list='vggss_144k.txt',
                 image_size=image_size, audio=audio, image_pipeline=anchor_pipeline, views=()))
val_dataloader = dict(
    batch_size=64, num_workers=8, sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='VGGSSDataset', data_root=vggss_root, ann_file='vggss.json',
                 image_size=image_size, audio=audio))
val_evaluator = dict(type='LocalizationMetric')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
# `avzoo eval --ogl`: objectness from a frozen ImageNet ResNet-18 (layer4 at stride 32 -> 7x7),
# alpha 0.4. Weights are local only: torchvision's resnet18 state dict at this path.
imagenet_resnet18 = 'checkpoints/resnet18_imagenet.pth'
ogl = dict(type='OGL', alpha=0.4, encoder=dict(type='ResNetEncoder', strides=(1, 2, 2, 2), pretrained=imagenet_resnet18))
