# Quick CPU variants of the ResNet-18 encoders for avzoo-synth (widths 16-128, 128 px -> 8x8).
small_widths = (16, 32, 64, 128)
visual_encoder = dict(type='ResNetEncoder', in_channels=3, widths=small_widths, strides=(1, 2, 2, 1))
audio_encoder = dict(type='ResNetEncoder', in_channels=1, widths=small_widths, strides=(1, 2, 2, 1),
                     pool='max')
