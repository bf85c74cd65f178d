# The alignment method's encoders as the release evaluates them (kaistmm/SSLalignment
# models_lvs/base_models.py L139-154, model_lvs.py L23-26): two ResNet-18s (from scratch in the
# paper's main setting), layer4 at stride 1 in both (224 px -> 512x14x14), audio with a 1-channel
# stem and global max pooling; bilinear align_corners=True upsampling (test.py L438). A config adds
# its `method` and its front end's spectrogram (257x299).
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 1)),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 1), pool='max'),
    upsample='bilinear_align_corners')
