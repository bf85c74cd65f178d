# Reference floor on the real benchmarks: audio-agnostic objectness, OGL's map (mean |feature| of
# the frozen ImageNet ResNet-18's layer4, 7x7), the same map whatever the sound (training-free).
# The weights are local only: torchvision's resnet18 state dict at `imagenet_resnet18`
# (checkpoints/resnet18_imagenet.pth).
_base_ = ['../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
model = dict(type='AVLocalizer',
             visual_encoder=dict(type='ResNetEncoder', strides=(1, 2, 2, 2), pretrained={{_base_.imagenet_resnet18}}),
             audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128), pool='max'),
             method=dict(type='Objectness'))
# training-free: nothing to train on; scored by the validation and test loops
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
