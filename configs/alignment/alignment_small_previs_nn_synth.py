# The alignment method on avzoo-synth, "Pre. Vision" variant (the paper's ours_sup_previs): the
# visual encoder starts from the supervised image encoder that the positive miner trains on the
# disjoint, labelled `pretrain` split (the synthetic analogue of ImageNet weights). The demo uses
# this variant so that a CPU run of a few minutes is enough; the from-scratch config is
# alignment_small_nn_synth.py.
_base_ = ['./alignment_small_nn_synth.py']
model = dict(visual_encoder=dict(
    init_cfg=dict(type='Pretrained', checkpoint='data/avzoo-synth/encoders/visual_encoder.pth')))
