# 16 kHz log power spectrogram of the 3 s window: n_fft 512, 512 - 353 = 159 hop -> 257x299,
# log(S + 1e-7) / 12 (the LVS and alignment releases' front end).
spectrogram = dict(sample_rate=16000, n_fft=512, hop_length=159, window='tukey')
