# Reference floor: audio-agnostic objectness (OGL's map: mean |feature| of a frozen, supervised
# visual encoder). On avzoo-synth that encoder is the miner's, trained on the disjoint `pretrain`
# split (run the alignment demo, or `avzoo mine`, first).
_base_ = ['../_base_/datasets/synth.py', '../_base_/schedules/adam_1e-4.py', '../_base_/default_runtime.py']
model = dict(type='AVLocalizer',
             data_preprocessor=dict(type='AVDataPreprocessor', spectrogram={{_base_.spectrogram}}),
             visual_encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128),
                                 pretrained='data/avzoo-synth/encoders/visual_encoder.pth'),
             audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128), pool='max'),
             method=dict(type='Objectness'))
