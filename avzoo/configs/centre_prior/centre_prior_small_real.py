# Reference floor on the real benchmarks: a centred Gaussian, whatever the image or sound
# (training-free; the encoders are built but unused by the map, small widths keep the run cheap).
_base_ = ['../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
model = dict(type='AVLocalizer',
             visual_encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128), strides=(1, 2, 2, 2)),
             audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128), pool='max'),
             method=dict(type='CentrePrior', sigma=0.25, grid=(7, 7)))   # ResNet-18 at stride 32, 224 px
# training-free: nothing to train on; scored by the validation and test loops
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
