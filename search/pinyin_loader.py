"""pypinyin, imported on first use and with its phrase dictionary held compactly.

`import pypinyin` parses its 47,000-phrase dictionary from JSON into a list of
one-element lists of strings per phrase, then copies both dictionaries: about 56 MB
in every process that imports it, whether it ever spells a word or not (every
gunicorn worker did, at start-up). Here it is imported only when a text is first
spelled, with pypinyin's own switches for an empty phrase dictionary and no copies,
and the same phrases are then put into that (same) dictionary object, read entry by
entry: each phrase's syllables as one list of shared tuples, the syllable strings
interned. pypinyin reads the dictionary only (`deepcopy` of an entry, then `item[0]`
or iteration of each syllable's readings), so its results are unchanged —
`tests/search/test_segment.py` compares them with a stock pypinyin over every
phrase. Its segmenter's prefix set is trained again from the filled dictionary.

When pypinyin was imported before with its own dictionary, that one is used as is.
"""

import json
import os
import re
import sys
import threading
from pathlib import Path

_SWITCHES = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}
_lock = threading.Lock()
_loaded = None


def pypinyin():
    """The pypinyin module, its phrase dictionary filled (once per process)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _import()
    return _loaded


def _import():
    fresh = "pypinyin" not in sys.modules
    saved = {name: os.environ.get(name) for name in _SWITCHES}
    if fresh:
        os.environ.update(_SWITCHES)
    try:
        import pypinyin as module
        from pypinyin import constants
        from pypinyin.seg import mmseg
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if not constants.PHRASES_DICT:
        constants.PHRASES_DICT.update(compact_phrases(_phrases_path(module)))
        mmseg.retrain(mmseg.seg)
    return module


def _phrases_path(module):
    return Path(module.__file__).resolve().parent / "phrases_dict.json"


_ENTRY = re.compile(r'"([^"]+)":\s*\[((?:\s*\[[^\]]*\],?)*)\s*\]')
_READING = re.compile(r"\[([^\]]*)\]")
_STRING = re.compile(r'"([^"]*)"')


def compact_phrases(path):
    """{phrase: [syllable readings as a shared tuple, ...]} read from pypinyin's
    phrase dictionary entry by entry (parsing the whole JSON at once left some
    30 MB of freed objects that the process kept). Falls back to `json` when the
    file does not read as expected."""
    text = Path(path).read_text(encoding="utf-8")
    shared = {}
    compact = {}
    for match in _ENTRY.finditer(text):
        compact[match[1]] = [
            shared.setdefault(key, key)
            for key in (
                tuple(sys.intern(s) for s in _STRING.findall(reading))
                for reading in _READING.findall(match[2])
            )
        ]
    if len(compact) != text.count('": ['):
        compact = {
            phrase: [tuple(reading) for reading in readings]
            for phrase, readings in json.loads(text).items()
        }
    return compact
