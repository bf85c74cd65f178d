# Reference floor: audio-agnostic objectness (OGL's map: mean |feature| of a frozen, supervised
# visual encoder), training-free. On avzoo-synth that encoder is the miner's, trained on the
# disjoint `pretrain` split (run the alignment demo, or `avzoo mine`, first).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/default_runtime.py']
model = dict(visual_encoder=dict(_delete_=True, type='ResNetEncoder', widths={{_base_.small_widths}},
                                 pretrained='data/avzoo-synth/encoders/visual_encoder.pth'),
             audio_encoder=dict(_delete_=True, type='ResNetEncoder', in_channels=1, widths={{_base_.small_widths}},
                                pool='max'),
             channels_last=False,
             method=dict(type='Objectness'))
# training-free: nothing to train on; scored by the validation and test loops
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
