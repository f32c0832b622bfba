# -*- coding: utf-8 -*-
# Copyright: stsgo.aws maintainers (@stsgo-aws)
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The host's side of the binary cache: its command (binary_cache.sh), read
once, and what its replies mean."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import secrets
import struct

# The command, sent once per step (see the file), without its comments but
# for the comment that marks where the platform table goes: @PLATFORMS@.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'binary_cache.sh')) as _f:
    HOST_SCRIPT = '\n'.join(
        '@PLATFORMS@' if line.strip().startswith('# @PLATFORMS@') else line.strip()
        for line in _f if line.strip() and not (line.strip().startswith('#') and '@PLATFORMS@' not in line))

# What the host's command says of a folder it could not use, by its first
# word.
WHY = {
    'nohome': 'HOME is not set',
    'noxdg': 'XDG_RUNTIME_DIR is not set',
    'noxdgdir': '%s does not exist',
    'relative': 'not an absolute path',
    'unsafe': 'not owned by the remote user, or writable by others',
    'noexec': 'programs cannot run there (is it mounted noexec?)',
    'space': '%s free',
    'mkdir': 'cannot create it: %s',
    'write': 'cannot write there: %s',
}

NOHASH = ('the host has none of sha256sum, shasum, sha256 or openssl to check the cached stsgo.aws binary; '
          'the binary was uploaded to a private temporary directory')


def first(reply, name):
    """Return the first value of a reply's name, or None."""
    values = reply.get(name)
    return values[0] if values else None


def megabytes(size):
    return '%.1f MB' % (size / 1e6) if size else 'about 10 MB'


def reason(why):
    """Say why the host's command could not use a folder, from its reply."""
    code, detail = ((why or '').split(' ', 1) + [''])[:2]
    text = WHY.get(code, why)
    if '%s' in text:
        if code == 'space':
            detail = megabytes(int(detail) * 1024) if detail.isdigit() else detail
        elif code in ('mkdir', 'write'):
            # The system's message, after the command's and the path's.
            detail = detail.rsplit(': ', 1)[-1].strip().lower() or 'failed'
        text = text % detail
    return text


def describe(label, folder, why):
    """Name a folder that was tried, and say why it could not be used."""
    if folder and folder != label:
        label = '%s (%s)' % (label, folder)
    return '%s: %s' % (label, reason(why))


def xz_size(path):
    """Return the decompressed size the xz file at path records in its
    index, or 0. The stream footer, its last 12 bytes, gives the index's
    size; the index holds the number of blocks, then each block's sizes
    (unpadded, then decompressed), as variable-length integers."""
    try:
        with open(path, 'rb') as f:
            f.seek(-12, os.SEEK_END)
            footer = f.read(12)
            if footer[-2:] != b'YZ':
                return 0
            f.seek(-12 - (struct.unpack('<I', footer[4:8])[0] + 1) * 4, os.SEEK_END)
            index = bytearray(f.read())[:-12]
        numbers, value, shift = [], 0, 0
        for byte in index[1:]:
            value |= (byte & 0x7f) << shift
            shift += 7
            if not byte & 0x80:
                numbers.append(value)
                value = shift = 0
        return sum(numbers[2:2 + 2 * numbers[0]:2])
    except (IOError, OSError, IndexError, struct.error):
        return 0


def marker():
    """Return a marker for one command's replies, drawn anew each time."""
    return 'stsgo-aws-%s' % secrets.token_hex(8)


def replies(out, mark):
    """Return the replies (lines "MARK name=value", anywhere in out) as
    {name: [value, ...]}, and out without them."""
    pattern = re.compile(re.escape(mark) + r' (\w+)=([^\r\n]*)\r?\n?')
    found = {}
    for name, value in pattern.findall(out):
        found.setdefault(name, []).append(value)
    return found, pattern.sub('', out)
