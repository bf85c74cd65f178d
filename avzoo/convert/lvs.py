"""The LVS network's layout, used by LVS's release and by the alignment release:
``{'model_state_dict': state_dict}``; LVS saves it from ``nn.DataParallel`` (``module.`` prefix),
the alignment release without prefix and loads it into the LVS network with ``strict=False``
(kaistmm/SSLalignment test.py L150-160). One ResNet-18 class serves both modalities with three
stems (``conv1`` 3-channel, ``conv1_a`` 1-channel, ``conv1_flow``) and layer4 at stride 1
(models_lvs/base_models.py L139-154): avzoo takes ``imgnet.conv1`` and ``audnet.conv1_a`` as the
stems and ignores the unused stems, the never-applied ``fc`` and, for the alignment release, any
projection weights its checkpoints may hold (the released test model has none). avzoo's
projection heads p_v / p_a are not in that release: they stay freshly initialised (listed in the
report), which leaves the localisation map exact and only the projected embeddings meaningless."""
from .base import Layout, register_layout

RULES = (
    (r'imgnet\.conv1\.weight', r'visual_encoder.conv1.weight'),
    (r'audnet\.conv1_a\.weight', r'audio_encoder.conv1.weight'),
    (r'imgnet\.((?:bn1|layer[1-4])\..+)', r'visual_encoder.\1'),
    (r'audnet\.((?:bn1|layer[1-4])\..+)', r'audio_encoder.\1'),
)
UNUSED = (r'imgnet\.(conv1_a|conv1_flow)\.weight', r'audnet\.(conv1|conv1_flow)\.weight', r'(imgnet|audnet)\.fc\..+')

register_layout(Layout('lvs', 'lvs', 'model_state_dict', RULES, UNUSED,
                       about="LVS release: {'model_state_dict': ...} with module., imgnet / audnet with three stems"))
register_layout(Layout('sslalignment', 'alignment', 'model_state_dict', RULES,
                       UNUSED + (r'(?!imgnet\.|audnet\.).+',), absent=(r'method\.p_[va]\..+',),
                       about="alignment release: {'model_state_dict': ...} without prefix, the LVS network"))
