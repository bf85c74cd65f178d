# Reference floor on the real benchmarks: a centred Gaussian, whatever the image or sound (the
# encoders are built but unused by the map; small widths keep the run cheap).
_base_ = ['../_base_/datasets/vggsound144k.py', '../_base_/schedules/adam_1e-4.py', '../_base_/default_runtime.py']
model = dict(type='AVLocalizer',
             data_preprocessor=dict(type='AVDataPreprocessor',
                                    spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=159, window='tukey')),
             visual_encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128), strides=(1, 2, 2, 2)),
             audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128), pool='max'),
             method=dict(type='CentrePrior', sigma=0.25))
