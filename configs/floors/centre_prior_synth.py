# Reference floor: a centred Gaussian, whatever the image or sound.
_base_ = ['../_base_/datasets/synth.py', '../_base_/schedules/adam_1e-4.py', '../_base_/default_runtime.py']
model = dict(type='AVLocalizer',
             data_preprocessor=dict(type='AVDataPreprocessor', spectrogram={{_base_.spectrogram}}),
             visual_encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128)),
             audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128), pool='max'),
             method=dict(type='CentrePrior', sigma=0.25))
