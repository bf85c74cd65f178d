# FNAC on VGGSound-144K (OpenNLPLab/FNAC_AVL @0a0ca78). train.py's argparse defaults, which avzoo
# follows: 20 epochs, batch 128, Adam 1e-4 (L36-38), weight decay 1e-4 (L40; utils.py L64), the
# three L1 terms weighted 100 (L41-43) after 3 warm-up epochs (L45), image dropout 0.9, audio
# dropout 0 (L57-58). The shipped train_vggss.sh trains VGGSound-10K ('vggss_10k') with 30 epochs,
# warm-up 5 and batch 256: a 10K recipe, not this 144K one. Training audio gets a frequency and a
# time mask of width < 10 (datasets.py L320-321); front end 257x200 (L106).
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
data_preprocessor = dict(spec_masks=dict(freq=10, time=10))
model = dict(method=dict(type='FNAC', embed_dim=512, dim=512, tau=0.03, visual_dropout=0.9, audio_dropout=0.0,
                  weights=(100.0, 100.0, 100.0), warmup_epochs=3))
optim_wrapper = dict(optimizer=dict(weight_decay=1e-4))
