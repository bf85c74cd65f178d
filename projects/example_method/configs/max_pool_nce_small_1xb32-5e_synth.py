# A method from outside avzoo, trained by avzoo's runner: `custom_imports` registers it.
# Run from the repository root: avzoo train projects/example_method/configs/max_pool_nce_small_1xb32-5e_synth.py
_base_ = ['../../../avzoo/configs/_base_/models/small_synth.py', '../../../avzoo/configs/_base_/audio/spec_8k_synth.py',
          '../../../avzoo/configs/_base_/datasets/synth.py', '../../../avzoo/configs/_base_/schedules/synth_5e.py',
          '../../../avzoo/configs/_base_/default_runtime.py']
custom_imports = dict(imports=['projects.example_method'], allow_failed_imports=False)
model = dict(method=dict(type='MaxPoolNCE', tau=0.07))
