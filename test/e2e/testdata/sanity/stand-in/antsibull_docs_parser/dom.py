"""The parts a paragraph of Ansible markup parses into."""

import enum
import typing as t


class PluginIdentifier(t.NamedTuple):
    """A plugin, by its FQCN and type."""
    fqcn: str
    type: str


class PartType(enum.Enum):
    """What a part is."""
    TEXT = 0
    ITALIC = 1
    BOLD = 2
    MODULE = 3
    PLUGIN = 4
    URL = 5
    LINK = 6
    RST_REF = 7
    CODE = 8
    OPTION_NAME = 9
    OPTION_VALUE = 10
    ENV_VARIABLE = 11
    RETURN_VALUE = 12
    HORIZONTAL_LINE = 13
    ERROR = 14


class Part:
    """One part: its type, the markup it came from (source), and the
    attributes of its type (text, url, fqcn, plugin, entrypoint, link, name,
    value, message...)."""

    def __init__(self, type, source=None, **attributes):  # pylint: disable=redefined-builtin
        self.type = type
        self.source = source
        self.__dict__.update(attributes)

    def __repr__(self):
        return 'Part(%s)' % ', '.join('%s=%r' % kv for kv in sorted(self.__dict__.items()))
