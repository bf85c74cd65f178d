# avzoo-synth front end (avzoo's choice): log power spectrogram of the 1 s window at 8 kHz,
# n_fft 256, hop 64 -> 129x126.
spectrogram = dict(sample_rate=8000, n_fft=256, hop_length=64, window='tukey')
