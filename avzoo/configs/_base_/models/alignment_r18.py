# The alignment method's encoders as the release evaluates them: two ResNet-18s from scratch,
# visual layer4 at stride 1 (224 px -> 512x14x14), audio with a 1-channel stem and global max
# pooling. A config adds its `method` and its front end's spectrogram (257x299).
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor'),
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 1)),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 1), pool='max'),
    upsample='bilinear_align_corners')
