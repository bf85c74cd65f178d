# The alignment method (NN w/ Sup. Pre. Enc.) trained on Flickr-SoundNet-144K, the setting of the
# alignment release's Flickr checkpoints (its README: Flickr cIoU 85.20): the recipe of
# alignment_r18_1xb128-sup-nn-50e_vggsound144k.py (values cited in its bases) on the Flickr-144K
# clips, without validation (../_base_/datasets/flickr144k.py), neighbours mined on Flickr-144K.
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/audio/spec_16k_257x299.py',
          '../_base_/datasets/flickr144k.py', '../_base_/positives/sup-nn_flickr144k.py',
          '../_base_/schedules/adam_1e-4_50e.py', '../_base_/default_runtime.py']
