# Ours on avzoo-synth, "Pre. Vision" variant (the paper's ours_sup_previs): the visual encoder
# starts from the supervised image encoder that the positive miner trains on the disjoint,
# labelled `pretrain` split (the synthetic analogue of ImageNet weights), so it keeps that
# encoder's layout (2 blocks per stage, 8x8 maps at 128 px).
_base_ = ['./alignment_small_1xb32-sup-nn-5e_synth.py']
model = dict(visual_encoder=dict(
    blocks=(2, 2, 2, 2), strides=(1, 2, 2, 1),
    init_cfg=dict(type='Pretrained', checkpoint='data/avzoo-synth/encoders/visual_encoder.pth')))
