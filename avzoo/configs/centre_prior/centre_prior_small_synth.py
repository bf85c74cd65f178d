# Reference floor: a centred Gaussian, whatever the image or sound (training-free). The encoders
# are built (the model contract) but the map ignores them.
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/default_runtime.py']
model = dict(visual_encoder=dict(_delete_=True, type='ResNetEncoder', widths={{_base_.small_widths}}),
             audio_encoder=dict(_delete_=True, type='ResNetEncoder', in_channels=1, widths={{_base_.small_widths}},
                                pool='max'),
             channels_last=False,
             method=dict(type='CentrePrior', sigma=0.25, grid=(8, 8)))   # the 8x8 grid its encoder had at 128 px
# training-free: nothing to train on; scored by the validation and test loops
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
