# The alignment method on two ResNet-18s as the release evaluates it: visual layer4 at stride 1
# (224 px -> 512x14x14), audio 1-channel stem + global max pool, 16 kHz log-PSD front end
# (3 s window, n_fft 512, hop 159 -> 257x299, log(S + 1e-7) / 12).
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor',
                           spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=159, window='tukey')),
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 1)),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 1), pool='max'),
    method=dict(type='CrossModalAlignment', embed_dim=512, proj_dim=128, proj_hidden=512, tau=0.07,
                views=('aug', 'nn'), use_alignment=True, symmetric=True),
    upsample='bilinear_align_corners',
)
