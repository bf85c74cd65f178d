"""The documentation holds together: every relative link of the README, the docs, the method cards
and the example project resolves to a file of the repository (and a `#section` to a heading of
it), and the README stays a front page."""
import glob
import os
import re

import pytest

from tests.utils import REPO

LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)')


def _pages():
    pages = ['README.md'] + sorted(glob.glob('docs/*.md', root_dir=REPO))
    pages += sorted(glob.glob('avzoo/configs/*/README.md', root_dir=REPO))
    pages += sorted(glob.glob('projects/*/README.md', root_dir=REPO))
    return pages


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r'[`*_]', '', heading.strip().lower())
    return re.sub(r'[^\w\- ]', '', text).replace(' ', '-')


def _anchors(path: str):
    with open(path) as f:
        return {_slug(line.lstrip('#')) for line in f if line.startswith('#')}


@pytest.mark.parametrize('page', _pages())
def test_every_link_resolves(page):
    with open(os.path.join(REPO, page)) as f:
        text = re.sub(r'```.*?```', '', f.read(), flags=re.S)       # code blocks hold commands, not links
    broken = []
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r'[a-z]+://', target) or target.startswith('mailto:'):
            continue
        path, _, anchor = target.partition('#')
        full = os.path.normpath(os.path.join(REPO, os.path.dirname(page), path)) if path else os.path.join(REPO, page)
        if not full.startswith(REPO) or not os.path.exists(full):
            broken.append(target)
        elif anchor and full.endswith('.md') and anchor not in _anchors(full):
            broken.append(target)
    assert broken == [], f'{page}: broken links {broken}'


def test_the_readme_is_a_front_page():
    with open(os.path.join(REPO, 'README.md')) as f:
        lines = f.read().splitlines()
    assert len(lines) <= 150
    assert {'## Two commands', '## Methods', '## Results on avzoo-synth', '## Learn more'} <= set(lines)
    assert '```bash' in lines and 'make demo' in ' '.join(lines) and 'make test' in ' '.join(lines)
