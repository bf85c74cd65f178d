"""Rewrite the README's zoo tables from the metafiles (avzoo/configs/*/metafile.yml).

    python tools/update_readme.py          # rewrite README.md in place
    python tools/update_readme.py --check  # exit 1 if README.md differs (what the tests check)
"""
import argparse
import os
import re
import sys

from avzoo.zoo import methods_markdown, results_markdown

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'README.md')
BLOCKS = {'methods': methods_markdown, 'results': results_markdown}


def render(text: str) -> str:
    for name, fn in BLOCKS.items():
        pattern = re.compile(rf'(<!-- zoo:{name} -->\n)(?:.*?\n)?(<!-- /zoo:{name} -->)', re.S)
        if not pattern.search(text):
            raise SystemExit(f'README.md has no <!-- zoo:{name} --> ... <!-- /zoo:{name} --> block')
        text = pattern.sub(lambda m: m.group(1) + fn() + '\n' + m.group(2), text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true')
    args = parser.parse_args()
    with open(README) as f:
        text = f.read()
    new = render(text)
    if args.check:
        return int(new != text)
    with open(README, 'w') as f:
        f.write(new)
    return 0


if __name__ == '__main__':
    sys.exit(main())
