# The EZ-VSL family's encoders (EZ-VSL, MarginNCE, SLAVC, FNAC, and LVS here): torchvision
# ResNet-18 visual encoder initialised from ImageNet (224 px -> 512x7x7), ResNet-18 audio encoder
# with a 1-channel stem and global max pooling, bilinear align_corners=True upsampling. A config
# adds its `method` and its front end's spectrogram. The ImageNet weights are read from a local
# path (never downloaded).
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 2),
                        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet18_imagenet.pth')),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 2), pool='max'),
    upsample='bilinear_align_corners')
