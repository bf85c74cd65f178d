"""The real benchmarks' public annotation files (shipped in ``avzoo/annotations/``) and parsers.

Every parser checks what it reads and fails with the file and the record it could not use:
``read_json_records`` (IS3 / VPO / AVSBench record json, VGG-SS json), ``read_id_list``
(training lists, test id lists), ``read_extended_csv`` (``*_test_plus_silent.csv``) and
``read_flickr_xml`` (Flickr-SoundNet's per-sample XML boxes, 256-px space).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from typing import List, Optional, Sequence

from avzoo.datasets.gt_maps import check_box
from avzoo.utils.errors import AvzooError

ANNOTATION_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'annotations')


def annotation_path(name: str) -> str:
    """A shipped annotation file by name (``'vggss.json'``), or ``name`` itself if it is a path."""
    if os.path.sep in name or os.path.isabs(name):
        return name
    path = os.path.join(ANNOTATION_DIR, name)
    if not os.path.isfile(path):
        shipped = sorted(f for f in os.listdir(ANNOTATION_DIR) if f not in ('SHA256SUMS', 'README.md'))
        raise AvzooError(f'unknown annotation file {name!r}; shipped: {", ".join(shipped)}')
    return path


def read_text(path: str) -> str:
    """The text of an annotation file: UTF-8 (with or without a byte-order mark), or UTF-16 /
    UTF-32 with their byte-order mark (what some editors save); anything else is one error."""
    with open(path, 'rb') as f:
        raw = f.read()
    for bom, codec in ((codecs.BOM_UTF32_LE, 'utf-32'), (codecs.BOM_UTF32_BE, 'utf-32'),
                       (codecs.BOM_UTF8, 'utf-8-sig'), (codecs.BOM_UTF16_LE, 'utf-16'), (codecs.BOM_UTF16_BE, 'utf-16')):
        if raw.startswith(bom):
            break
    else:
        codec = 'utf-8'
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise AvzooError(f'{path}: not UTF-8 text (byte {exc.start}: {raw[exc.start:exc.start + 4]!r}); '
                         f'save it as UTF-8') from None


def read_json_records(path: str, required: Sequence[str] = ()) -> List[dict]:
    """A JSON list of dicts, each with the ``required`` keys."""
    if not os.path.isfile(path):
        raise AvzooError(f'annotation file not found: {path}')
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise AvzooError(f'{path}: not valid JSON ({exc})') from None
    if not isinstance(data, list):
        raise AvzooError(f'{path}: expected a JSON list of records')
    for n, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise AvzooError(f'{path}: record {n} is {type(rec).__name__}, expected an object')
        missing = [k for k in required if k not in rec]
        if missing:
            raise AvzooError(f'{path}: record {n} lacks key(s) {missing} (expected {list(required)})')
    return data


def read_id_list(path: str, column: int = 0, strip_ext: bool = False) -> List[str]:
    """One id per line (``vggss_144k.txt``) or the ``column`` of a header-less csv
    (``flickr_test.csv``: ``<id>,<int>``, CRLF). Blank lines are ignored."""
    if not os.path.isfile(path):
        raise AvzooError(f'id list not found: {path}')
    ids = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        fields = line.split(',')
        if column >= len(fields):
            raise AvzooError(f'{path}:{n}: expected at least {column + 1} comma-separated fields, got {line!r}')
        value = fields[column].strip()
        ids.append(os.path.splitext(value)[0] if strip_ext else value)
    return ids


def read_extended_csv(path: str, label: Optional[str] = 'non-sounding') -> List[dict]:
    """``*_test_plus_silent.csv`` (header ``video,audio,label``) -> ``[{video, audio, label}]``,
    keeping rows whose label is ``label`` (all rows if None)."""
    if not os.path.isfile(path):
        raise AvzooError(f'extended list not found: {path}')
    reader = csv.DictReader(io.StringIO(read_text(path), newline=''))
    if reader.fieldnames is None or not {'video', 'audio', 'label'} <= set(reader.fieldnames):
        raise AvzooError(f'{path}: expected the header video,audio,label, got {reader.fieldnames}')
    rows = [dict(video=r['video'].strip(), audio=r['audio'].strip(), label=r['label'].strip()) for r in reader]
    return [r for r in rows if label is None or r['label'] == label]


def read_flickr_xml(path: str) -> List[List[int]]:
    """Flickr-SoundNet test annotation ``<id>.xml``: every ``bbox`` element (all annotators) as
    ``[xmin, ymin, xmax, ymax]`` in the 256-px annotation space (its first child is skipped, as
    in the releases; the next four are the coordinates)."""
    if not os.path.isfile(path):
        raise AvzooError(f'Flickr annotation not found: {path}')
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise AvzooError(f'{path}: not valid XML ({exc})') from None
    boxes = []
    for child in root:
        for node in child:
            if node.tag != 'bbox':
                continue
            values = [c.text for c in list(node)[1:5]]
            try:
                box = [int(float(v)) for v in values]
            except (TypeError, ValueError):
                box = []
            if len(box) != 4:
                raise AvzooError(f'{path}: a bbox element has {values!r}; expected a label element then '
                                 f'xmin, ymin, xmax, ymax')
            boxes.append([int(v) for v in check_box(box, 256, path)[0]])
    return boxes
