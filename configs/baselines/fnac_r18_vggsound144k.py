# FNAC on VGGSound-144K, the release's train.py: weights 100 after 3 warm-up epochs, image dropout
# 0.9, audio dropout 0, 20 epochs. Its release front end uses a 274-sample overlap (hop 238 ->
# 257x200) instead of EZ-VSL's 353.
_base_ = ['../_base_/models/baselines_r18.py', '../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram=dict(hop_length=238)),
             method=dict(type='FNAC', embed_dim=512, dim=512, tau=0.03, visual_dropout=0.9, audio_dropout=0.0,
                         weights=(100.0, 100.0, 100.0), warmup_epochs=3))
custom_hooks = [dict(type='MethodEpochHook'), dict(type='SkipReportHook'), dict(type='RichProgressHook')]
