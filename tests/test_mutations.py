"""``tests/mutations.py`` stays runnable: every mutation still finds the text it breaks (a stale one proves nothing)."""

import os

import pytest
from mutations import MUTATIONS, ROOT, replace_once


@pytest.mark.parametrize("index", range(len(MUTATIONS)))
def test_every_mutation_still_finds_the_text_it_breaks(index):
    claim, path, edits, _ = MUTATIONS[index]
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    for old, new in edits:
        text = replace_once(text, old, new)
        assert text is not None, f"mutation {index} ({claim}) is stale: update its text in tests/mutations.py"
