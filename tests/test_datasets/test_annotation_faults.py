"""Annotation faults: out-of-range boxes are clipped and counted; non-numeric, NaN and
negative-size boxes are one error naming the file and the record; negative coordinates never
wrap around."""
import json

import pytest

from avzoo.datasets import InteractiveDataset, VGGSSDataset
from avzoo.datasets.annotations import read_flickr_xml
from avzoo.datasets.gt_maps import boxes_to_gt_map, consensus_gt_map
from avzoo.utils.errors import AvzooError


def _vggss(tmp_path, boxes):
    records = [dict(file='a_000001', bbox=[[0.1, 0.1, 0.5, 0.5]]), dict(file='b_000002', bbox=boxes)]
    (tmp_path / 'ann.json').write_text(json.dumps(records))
    return VGGSSDataset(data_root=str(tmp_path), ann_file=str(tmp_path / 'ann.json'), check_files=False)


def _interactive(tmp_path, box):
    records = [dict(image='visual_frames/x_1.jpg', audio='audio_wav/x_1.wav', gt_box=box)]
    (tmp_path / 'is3.json').write_text(json.dumps(records))
    return InteractiveDataset(data_root=str(tmp_path), ann_file=str(tmp_path / 'is3.json'), check_files=False)


def test_out_of_range_boxes_are_clipped_and_counted(tmp_path):
    ds = _vggss(tmp_path, [[-0.2, 0.0, 0.5, 1.7]])
    assert ds.n_clipped_boxes == 1
    assert ds.gt_map(ds.items[1]).sum() == 112 * 224
    box = _interactive(tmp_path, [-20, -20, 100, 100])
    assert box.n_clipped_boxes == 1 and box.items[0]['box'] == [0.0, 0.0, 100.0, 100.0]
    assert box.gt_map(box.items[0]).sum() == 100 * 100      # not an empty map


@pytest.mark.parametrize('bad,what', [(['a', 0, 1, 1], 'non-numeric'), ([float('nan'), 0, 1, 1], 'NaN'),
                                      ([0.6, 0.1, 0.2, 0.5], 'negative size')])
def test_bad_boxes_are_one_error_naming_file_and_record(tmp_path, bad, what):
    with pytest.raises(AvzooError, match=what) as err:
        _vggss(tmp_path, [bad])
    assert 'ann.json' in str(err.value) and 'b_000002' in str(err.value)
    with pytest.raises(AvzooError, match=what) as err:
        _interactive(tmp_path, [v * 224 if isinstance(v, float) else v for v in bad])
    assert 'is3.json' in str(err.value) and 'x_1.jpg' in str(err.value)


def test_negative_coordinates_never_wrap():
    assert boxes_to_gt_map([[-20, -20, 100, 100]]).sum() == 100 * 100
    assert consensus_gt_map([[-30, -30, 128, 128]] * 2).sum() == 112 * 112


def test_flickr_xml_faults(tmp_path):
    def xml(values):
        path = tmp_path / 'x.xml'
        coords = ''.join(f'<c>{v}</c>' for v in values)
        path.write_text(f'<annotation><object><bbox><name>l</name>{coords}</bbox></object></annotation>')
        return str(path)
    assert read_flickr_xml(xml([-5, 10, 300, 50])) == [[0, 10, 256, 50]]
    for bad in (['x', 1, 2, 3], ['nan', 1, 2, 3], [50, 1, 20, 3]):
        with pytest.raises(AvzooError, match='x.xml'):
            read_flickr_xml(xml(bad))
