# avzoo-synth front end (avzoo's choice): log power spectrogram of the 1 s window at 8 kHz,
# n_fft 256, hop 64 -> 129x126.
# The centred 1 s window of the 2 s clip (time-shift views move it within the clip).
# A front end is one base of avzoo/configs/_base_/audio/: `audio` (how the window is cut) and the
# model's `data_preprocessor` (the spectrogram), both at top level; avzoo's load_config merges them
# into every dataset's `audio` and into `model.data_preprocessor` (a config changes either with
# `audio = dict(...)` / `data_preprocessor = dict(...)`).
audio = dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0)
data_preprocessor = dict(type='AVDataPreprocessor',
                         spectrogram=dict(sample_rate=8000, n_fft=256, hop_length=64, window='tukey'))
