# The alignment method's encoders as the release evaluates them (kaistmm/SSLalignment
# models_lvs/base_models.py L139-154, model_lvs.py L23-26): two ResNet-18s (from scratch in the
# paper's main setting), layer4 at stride 1 in both (224 px -> 512x14x14), audio with a 1-channel
# stem and global max pooling; bilinear align_corners=True upsampling (test.py L438). Embedding and
# projection widths 512 / 128 (hidden 512): avzoo's reading of the paper's implementation details.
model = dict(
    type='AVLocalizer',
    visual_encoder=dict(type='ResNetEncoder', in_channels=3, strides=(1, 2, 2, 1)),
    audio_encoder=dict(type='ResNetEncoder', in_channels=1, strides=(1, 2, 2, 1), pool='max'),
    upsample='bilinear_align_corners',
    # The paper's objective: tau 0.07, s_L and s_A over the multi-view and semantic positives, and its
    # vision-to-audio InfoNCE (Sec. 3, Eq. 5; 'both' is the symmetric form it attributes to other work).
    method=dict(type='CrossModalAlignment', embed_dim=512, proj_dim=128, proj_hidden=512, tau=0.07,
                views=('aug', 'nn'), use_alignment=True, direction='v2a'))
