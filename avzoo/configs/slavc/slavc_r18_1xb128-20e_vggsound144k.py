# SLAVC on VGGSound-144K as its release script trains it (stoneMo/SLAVC @05b429c,
# scripts/train_vggsound144k.sh): 20 epochs, batch 128, Adam 1e-4, weight decay 0 (train.py L52),
# momentum targets 0.999 / 0.999 (--m_img / --m_aud), image dropout 0.9, audio dropout 0, and
# validation on the momentum branch (--use_mom_eval); tau 0.03, 512-d heads (train.py L41-43);
# 257x200 front end (datasets.py L37). SLAVC's own test scripts and the alignment release's
# evaluator use the online encoders: --cfg-options model.method.use_momentum_eval=False.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='SLAVC', embed_dim=512, dim=512, tau=0.03, visual_dropout=0.9, audio_dropout=0.0,
                         momentum_visual=0.999, momentum_audio=0.999, use_momentum_eval=True))
