# Quick CPU variants of the ResNet-18 encoders for avzoo-synth (widths 16-128), shared by every
# trained method's synth config; a config adds its `method` (the front end's data_preprocessor comes from the audio base).
# Choices that differ from the releases' ResNet-18s, each measured (avzoo/configs/alignment/README.md):
# - visual: one BasicBlock per stage, layer3 and layer4 at stride 1: 16x16 maps at 128 px (the
#   release's 14x14 at 224 px keeps layer4 at stride 1 for the same reason). With 8x8 maps from
#   two blocks per stage the receptive field of every location covers the whole frame, s_L (a
#   mean over all locations) teaches the background to predict the sound as well, and the maps
#   were diffuse (single-split cIoU 19.4 vs 26.2 at the same 6-epoch budget);
# - the visual map keeps its sign (no ReLU after the last residual sum) and the audio embedding
#   is centred (BatchNorm without affine): with s_L every location gets the same gradient, so
#   non-negative features and un-centred embeddings kept background cosines high.
small_widths = (16, 32, 64, 128)
model = dict(
    type='AVLocalizer',
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, widths=small_widths, blocks=(1, 1, 1, 1),
                        strides=(1, 2, 1, 1), final_relu=False),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=small_widths, blocks=(2, 2, 2, 2),
                       strides=(1, 2, 2, 1), pool='max', center=True),
    channels_last=True,
    upsample='bilinear_align_corners')
