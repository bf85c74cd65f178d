# The EZ-VSL family's release architecture (EZ-VSL, MarginNCE, SLAVC, FNAC): torchvision ResNet-18
# visual encoder initialised from ImageNet (224 px -> 512x7x7), ResNet-18 audio encoder with a
# 1-channel stem and global max pooling, 16 kHz log power spectrogram (n_fft 512, hop 159 ->
# 257x299, log(S + 1e-7) / 12), projections to 512, bilinear align_corners=True upsampling.
# The ImageNet weights are read from the local path of `imagenet_resnet18` (never downloaded).
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor',
                           spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=159, window='tukey')),
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 2),
                        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/resnet18_imagenet.pth')),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 2), pool='max'),
    upsample='bilinear_align_corners')
# The releases' optimisation (FNAC's train.py, derived from EZ-VSL's): Adam 1e-4, weight decay
# 1e-4, batch 128, 20 epochs.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
