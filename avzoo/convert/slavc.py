"""SLAVC's layout (stoneMo/SLAVC model.py L9-46, train.py L226): ``{'model': state_dict, ...}``,
the EZ-VSL encoders (``imgnet``, ``audnet``), two heads per modality (``img_proj1/2``,
``aud_proj1/2``) and momentum copies of all of them (``momentum_imgnet``, ``momentum_img_proj1``,
...), which avzoo keeps as ``*_encoder_momentum`` and ``method.heads_momentum``."""
from .base import Layout, register_layout

RULES = (
    (r'momentum_imgnet\.(.+)', r'visual_encoder_momentum.\1'),
    (r'momentum_audnet\.(.+)', r'audio_encoder_momentum.\1'),
    (r'momentum_img_proj([12])\.(weight|bias)', r'method.heads_momentum.v\1.\2'),
    (r'momentum_aud_proj([12])\.(weight|bias)', r'method.heads_momentum.a\1.\2'),
    (r'imgnet\.(.+)', r'visual_encoder.\1'),
    (r'audnet\.(.+)', r'audio_encoder.\1'),
    (r'img_proj([12])\.(weight|bias)', r'method.heads.v\1.\2'),
    (r'aud_proj([12])\.(weight|bias)', r'method.heads.a\1.\2'),
)
IGNORE = (r'(momentum_)?(imgnet|audnet)\.fc\..+',)

register_layout(Layout('slavc', 'slavc', 'model', RULES, IGNORE,
                       about="SLAVC release: {'model': ...}, two heads per modality and their momentum copies"))
