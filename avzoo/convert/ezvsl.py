"""EZ-VSL's layout, shared by MarginNCE and FNAC (stoneMo/EZ-VSL model.py L13-23, train.py L170-175;
OpenNLPLab/FNAC_AVL model.py L18-31): ``{'model': state_dict, 'optimizer', 'epoch', ...}``, keys
with ``module.`` when trained with DDP (FNAC's scripts run on one GPU: no prefix). ``imgnet.*`` is
a torchvision ResNet-18 whose avgpool and fc are Identity, ``img_proj`` a 1x1 conv, ``audnet.*`` a
ResNet-18 with a 1-channel ``conv1`` and max pooling, ``aud_proj`` a linear layer."""
from .base import Layout, register_layout

RULES = (
    (r'imgnet\.(.+)', r'visual_encoder.\1'),
    (r'audnet\.(.+)', r'audio_encoder.\1'),
    (r'img_proj\.(weight|bias)', r'method.v_proj.\1'),
    (r'aud_proj\.(weight|bias)', r'method.a_proj.\1'),
)
IGNORE = (r'(imgnet|audnet)\.fc\..+',)     # present only if a release kept torchvision's classifier

for _name, _method in (('ezvsl', 'ezvsl'), ('marginnce', 'marginnce'), ('fnac', 'fnac')):
    register_layout(Layout(_name, _method, 'model', RULES, IGNORE,
                           about=f"{_name} release: {{'model': ...}}, imgnet / img_proj / audnet / aud_proj"))
