# The alignment release's audio front end (kaistmm/SSLalignment, datasets_lvs.py L271-288 and
# L145-147): 16 kHz, the clip tiled to 10 s if shorter, the 3 s window at 3.5-6.5 s, channel 0 of a
# stereo file, scipy spectrogram nperseg 512 / noverlap 353 (hop 159) -> 257x299,
# log(S + 1e-7) / 12 (L233-234). LVS's release uses the same STFT but 274 overlap on the whole
# 10 s clip (hche11/Localizing-Visual-Sounds-the-Hard-Way, datasets/dataloader.py L94-102); the
# alignment release scores LVS with this 3 s front end, which avzoo follows for LVS too.
# A front end is one base of avzoo/configs/_base_/audio/: `audio` (how the window is cut) and the
# model's `data_preprocessor` (the spectrogram), both at top level; avzoo's load_config merges them
# into every dataset's `audio` and into `model.data_preprocessor` (a config changes either with
# `audio = dict(...)` / `data_preprocessor = dict(...)`).
data_preprocessor = dict(type='AVDataPreprocessor',
                         spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=159, window='tukey'))
audio = dict(sample_rate=16000, clip_seconds=10.0, window_seconds=3.0, window_start=3.5, channel='first',
             fill='clip')
