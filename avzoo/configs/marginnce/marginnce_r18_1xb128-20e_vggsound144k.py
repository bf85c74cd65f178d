# MarginNCE on VGGSound-144K: EZ-VSL's release recipe (ezvsl_r18_1xb128-20e_vggsound144k.py, values
# cited there) with the paper's negative margin (Park et al., ICASSP 2023: a less strict boundary).
# margin = -0.2 is avzoo's choice: the paper's value could not be read here (only its abstract);
# set yours with --cfg-options model.method.margin=... and report it with the result.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='MarginNCE', margin=-0.2, embed_dim=512, dim=512, tau=0.03))
