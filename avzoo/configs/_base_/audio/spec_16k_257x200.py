# 16 kHz log power spectrogram of the 3 s window: n_fft 512, 512 - 274 = 238 hop -> 257x200,
# log(S + 1e-7) / 12 (FNAC's release front end).
spectrogram = dict(sample_rate=16000, n_fft=512, hop_length=238, window='tukey')
