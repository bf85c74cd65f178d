"""Plots of numbers (not images): distributions and curves, titled and labelled so that a reader
understands them without the README (matplotlib, headless Agg backend)."""
from __future__ import annotations

from typing import Dict, Optional, Sequence

import numpy as np

KIND_COLOURS = {'pos': 'tab:green', 'silence': 'tab:gray', 'noise': 'tab:orange', 'offscreen': 'tab:red'}
KIND_LABELS = {'pos': 'positive (its own sound)', 'silence': 'silence', 'noise': 'white noise',
               'offscreen': 'off-screen sound (another class)'}


def _plt():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def negative_histograms(distributions: Dict[str, Sequence[float]], title: str,
                        threshold: Optional[float] = 0.5, separation: Optional[float] = None):
    """Histograms of the similarity maps' maxima (left) and minima (right) for the positive sound
    and each negative kind (keys ``max_pos``, ``max_<kind>``, ``min_pos``, ``min_<kind>``), with the
    universal threshold and the best separating threshold on the maxima drawn as lines."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout='constrained')
    values = np.concatenate([np.asarray(v, dtype=float) for v in distributions.values()])
    lo, hi = float(values.min()), float(values.max())
    bins = np.linspace(lo, hi if hi > lo else lo + 1e-3, 41)
    for ax, stat, name in ((axes[0], 'max', 'maximum'), (axes[1], 'min', 'minimum')):
        for key, v in distributions.items():
            if not key.startswith(stat + '_'):
                continue
            kind = key[len(stat) + 1:]
            ax.hist(np.asarray(v, dtype=float), bins=bins, histtype='step', linewidth=1.8,
                    color=KIND_COLOURS.get(kind), label=f'{KIND_LABELS.get(kind, kind)} (n={len(v)})')
        if threshold is not None:
            ax.axvline(threshold, color='black', linestyle='--', linewidth=1, label=f'universal threshold {threshold:g}')
        if stat == 'max' and separation is not None:
            ax.axvline(separation, color='tab:blue', linestyle=':', linewidth=1.5,
                       label=f'best separating threshold {separation:.3f}')
        ax.set_xlabel(f'{name} of the similarity map, (cos + 1) / 2')
        ax.set_ylabel('number of test images')
        ax.set_title(f'per-image {name}', fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle(title + '\nCan one threshold tell a sound with a visible source from one without?', fontsize=10)
    return fig


def success_curves(curves: Dict[str, Sequence[float]], title: str, xlabel: str = 'cIoU threshold',
                   ylabel: str = 'fraction of samples with cIoU >= threshold'):
    """``{method label: success rate at t = 0, 0.05, ..., 1}`` in one plot; the legend gives each
    method's AUC (trapezoid)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 4.6), layout='constrained')
    for label, ys in curves.items():
        ys = np.asarray(ys, dtype=float)
        xs = np.linspace(0, 1, len(ys))
        ax.plot(xs, ys, marker='o', markersize=3, label=f'{label} (AUC {100 * np.trapezoid(ys, xs):.1f})')
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return fig


def threshold_by_box_size(rows: Dict[str, Dict[str, Sequence[float]]], bin_labels: Sequence[str], title: str):
    """Fig. 5 style: cIoU with the standard (median, solid line) and the adaptive (GT-size, dashed)
    threshold per ground-truth size bin, one colour per method (readable for a dozen methods).
    ``rows[method] = {'ciou': [per bin], 'ciou_adap': [per bin], 'n': [per bin]}``."""
    from matplotlib.lines import Line2D
    plt = _plt()
    methods = list(rows)
    fig, ax = plt.subplots(figsize=(9.5, 5.2), layout='constrained')
    x = np.arange(len(bin_labels))
    cmap = plt.get_cmap('tab10' if len(methods) <= 10 else 'tab20')
    handles = []
    for m, method in enumerate(methods):
        colour = cmap(m % cmap.N)
        ax.plot(x, rows[method]['ciou'], '-o', color=colour, markersize=4, linewidth=1.6)
        ax.plot(x, rows[method]['ciou_adap'], '--s', color=colour, markersize=3, linewidth=1.2)
        handles.append(Line2D([], [], color=colour, marker='o', label=method))
    handles += [Line2D([], [], color='black', linestyle='-', label='standard (median) threshold'),
                Line2D([], [], color='black', linestyle='--', label='adaptive (GT-size) threshold')]
    counts = rows[methods[0]].get('n')
    labels = [f'{b}\n(n={int(c)})' for b, c in zip(bin_labels, counts)] if counts is not None else list(bin_labels)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_xlabel('ground-truth box area, share of the image')
    ax.set_ylabel('cIoU (% of samples with IoU > 0.5)')
    ax.set_ylim(0, 102)
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, fontsize=7, loc='center left', bbox_to_anchor=(1.01, 0.5))
    ax.set_title(title, fontsize=10)
    return fig
