# The paper's main setting under its short name (`avzoo train configs/ours_sup_nn.py` or
# `avzoo train ours_sup_nn`): see alignment/alignment_r18_1xb128-sup-nn-50e_vggsound144k.py.
_base_ = ['./alignment/alignment_r18_1xb128-sup-nn-50e_vggsound144k.py']
