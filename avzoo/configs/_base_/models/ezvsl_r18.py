# The EZ-VSL family's encoders (EZ-VSL, MarginNCE, SLAVC, FNAC): torchvision ResNet-18 visual
# encoder initialised from ImageNet, avgpool and fc removed (224 px -> 512x7x7; stoneMo/EZ-VSL
# model.py L13-16), ResNet-18 audio encoder from scratch with a 1-channel 7x7 stride-2 stem and
# global max pooling (L19-22), bilinear align_corners=True upsampling of the test map. A config adds
# its `method` (the front end's data_preprocessor comes from the audio base). The ImageNet weights are read from `weights_root`
# (never downloaded). avzoo keeps PyTorch's default initialisation of the projections where the
# release re-initialises them (kaiming / trunc-normal 0.01, model.py L26-36).
model = dict(
    type='AVLocalizer',
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 2),
                        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet18_imagenet.pth')),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 2), pool='max'),
    upsample='bilinear_align_corners')
