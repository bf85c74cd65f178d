# The EZ-VSL family's audio front end (EZ-VSL, MarginNCE, SLAVC, FNAC):
# 16 kHz, the 3 s window centred in the clip's actual duration and tiled when shorter
# (stoneMo/EZ-VSL datasets.py L18-32; stoneMo/SLAVC datasets.py L25-34), the mean of the channels
# (EZ-VSL L26), scipy spectrogram nperseg 512 / noverlap 274 (hop 238) -> 257x200 (EZ-VSL L34,
# SLAVC L37, OpenNLPLab/FNAC_AVL L106), log(S + 1e-7) / 12 (EZ-VSL L35 and L159-161).
# A front end is one base of avzoo/configs/_base_/audio/: `audio` (how the window is cut) and the
# model's `data_preprocessor` (the spectrogram), both at top level; avzoo's load_config merges them
# into every dataset's `audio` and into `model.data_preprocessor` (a config changes either with
# `audio = dict(...)` / `data_preprocessor = dict(...)`).
audio = dict(sample_rate=16000, clip_seconds=10.0, window_seconds=3.0, window_start=None, channel='mean',
             fill='window')
data_preprocessor = dict(type='AVDataPreprocessor',
                         spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=238, window='tukey'))
