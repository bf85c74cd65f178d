"""The audio front end equals scipy.signal.spectrogram (the releases' front end)."""
import numpy as np
import pytest
import torch
from scipy import signal  # dev dependency

from avzoo.datasets.transforms import LogSpectrogram, periodic_tukey


def test_tukey_window_matches_scipy():
    ref = signal.get_window(('tukey', 0.25), 512)
    assert np.abs(periodic_tukey(512).numpy() - ref).max() < 1e-6


@pytest.mark.parametrize('sr,n_fft,hop,n', [(16000, 512, 159, 48000), (8000, 256, 64, 8000)])
def test_log_psd_matches_scipy(sr, n_fft, hop, n):
    x = np.random.RandomState(0).randn(n).astype(np.float32) * 0.1
    _, _, ref = signal.spectrogram(x, sr, nperseg=n_fft, noverlap=n_fft - hop)
    ours = LogSpectrogram(sr, n_fft, hop)(torch.from_numpy(x)[None])[0, 0].numpy()
    assert ours.shape == ref.shape
    assert np.abs(ours - np.log(ref + 1e-7) / 12).max() < 1e-5


def test_release_shape_is_257_by_299():
    assert LogSpectrogram()(torch.zeros(2, 48000)).shape == (2, 1, 257, 299)
