# The alignment method with semantic positives from self-supervised encoders ("NN w/ Self-Sup. Pre.
# Enc."): the main setting (alignment_r18_1xb128-sup-nn-50e_vggsound144k.py, values cited in its
# bases) with the neighbours of CLIP's image encoder and Wav2CLIP's audio encoder
# (../_base_/positives/selfsup-nn_vggsound144k.py; CLIP ViT-B/32 is avzoo's default, OpenCLIPImage
# takes any open_clip model name).
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/audio/spec_16k_257x299.py',
          '../_base_/datasets/vggsound144k.py', '../_base_/positives/selfsup-nn_vggsound144k.py',
          '../_base_/schedules/adam_1e-4_50e.py', '../_base_/default_runtime.py']
