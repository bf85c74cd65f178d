# Quick CPU variants of the ResNet-18 encoders for avzoo-synth (widths 16-128, 128 px -> 8x8).
# Two output choices differ from the releases' ResNet-18s (measured in model_cards/ours.md): the
# visual map keeps its sign (no ReLU after the last residual sum) and the audio embedding is
# centred (BatchNorm without affine). With s_L averaged over all locations, every location gets
# the same gradient, so background is never pushed away from the audio embeddings' common
# direction; non-negative features and un-centred embeddings then keep background cosines high.
small_widths = (16, 32, 64, 128)
visual_encoder = dict(type='ResNetEncoder', in_channels=3, widths=small_widths, strides=(1, 2, 2, 1),
                      final_relu=False)
audio_encoder = dict(type='ResNetEncoder', in_channels=1, widths=small_widths, strides=(1, 2, 2, 1),
                     pool='max', center=True)
