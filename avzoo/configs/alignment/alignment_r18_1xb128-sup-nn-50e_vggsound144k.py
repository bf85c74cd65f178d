# The alignment method's main setting ("Aligning Sight and Sound", TPAMI 2025; "NN w/ Sup. Pre.
# Enc."): VGGSound-144K, two ResNet-18s from scratch (the release's evaluation architecture) and the
# paper's objective (../_base_/models/alignment_r18.py), the alignment release's 257x299 front end,
# multi-view positives (SimCLR frames and a shifted audio window, ../_base_/datasets/vggsound144k.py)
# and semantic positives from supervised encoders (../_base_/positives/sup-nn_vggsound144k.py);
# 50 epochs, Adam 1e-4, batch 128 (the paper's implementation details; the release has no training
# code). Set the roots with `--data-root data_root=DIR --data-root vggss_root=DIR`. Upsampling:
# bilinear align_corners=True (the release on every test set but VGG-SS); its VGG-SS protocol
# (cv2-style half-pixel, 4,655 clips) is the benchmark `vggss_ours`.
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/audio/spec_16k_257x299.py',
          '../_base_/datasets/vggsound144k.py', '../_base_/positives/sup-nn_vggsound144k.py',
          '../_base_/schedules/adam_1e-4_50e.py', '../_base_/default_runtime.py']
