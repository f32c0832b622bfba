"""Parses Ansible markup, classic (I(), B(), M(), U(), L(), R(), C(),
HORIZONTALLINE) and semantic (P(), E(), V(), O(), RV()), into paragraphs of
dom parts."""

import re
import typing as t

from .dom import Part, PartType, PluginIdentifier


class Context(t.NamedTuple):
    """The plugin (and role entrypoint) whose documentation is parsed: what
    O() and RV() refer to when they name no plugin."""
    current_plugin: t.Optional[PluginIdentifier] = None
    role_entrypoint: t.Optional[str] = None


_FQCN = re.compile(r'[A-Za-z0-9_]+\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+\Z')
_PLUGIN_TYPE = re.compile(r'[a-z_]+\Z')
_PLUGIN_PREFIX = re.compile(r'([^.]+\.[^.]+\.[^#]+)#([^:]+):(.*)\Z', re.S)
_ARRAY_INDEX = re.compile(r'\[[^\]]*\]')

# Each directive with its number of parameters. The semantic ones take one
# parameter in which a backslash escapes the next character; the classic
# ones take theirs verbatim, separated by commas.
_ARITY = {'I': 1, 'B': 1, 'M': 1, 'U': 1, 'L': 2, 'R': 2, 'C': 1, 'HORIZONTALLINE': 0,
          'P': 1, 'E': 1, 'V': 1, 'O': 1, 'RV': 1}
_SEMANTIC = frozenset(('P', 'E', 'V', 'O', 'RV'))
_ALL = re.compile(r'\b(?:(HORIZONTALLINE)\b|(RV|[IBMULRCPEVO])\()')
_CLASSIC = re.compile(r'\b(?:(HORIZONTALLINE)\b|([IBMULRC])\()')


class _Bad(Exception):
    """A directive that does not parse; end is where its source ends."""

    def __init__(self, message, end=None):
        super().__init__(message)
        self.end = end


def _quote(text):
    """repr() in double quotes."""
    return '"%s"' % repr(text)[1:-1]


def _escaped_parameter(text, pos, strict):
    """The one escaped parameter starting at pos, and the index past its ")"."""
    out = []
    while True:
        if pos >= len(text):
            raise _Bad('Cannot find closing ")" after last parameter', len(text))
        c = text[pos]
        if c == ')':
            return [''.join(out)], pos + 1
        if c == '\\' and pos + 1 < len(text) and text[pos + 1] != '\n':
            escaped = text[pos + 1]
            if strict and escaped not in '\\)':
                raise _Bad('Unnecessarily escaped "%s"' % escaped, pos + 2)
            out.append(escaped)
            pos += 2
            continue
        out.append(c)
        pos += 1


def _verbatim_parameters(text, pos, count):
    """count verbatim parameters starting at pos, and the index past the ")".
    Spaces around the commas between parameters are dropped."""
    params = []
    for n in range(1, count):
        comma = text.find(',', pos)
        if comma < 0:
            raise _Bad('Cannot find comma separating parameter %d from the next one' % n, len(text))
        param = text[pos:comma].rstrip(' ')
        params.append(param if n == 1 else param.lstrip(' '))
        pos = comma + 1
    close = text.find(')', pos)
    if close < 0:
        raise _Bad('Cannot find closing ")" after last parameter', len(text))
    last = text[pos:close]
    params.append(last if count == 1 else last.lstrip(' '))
    return params, close + 1


def _fqcn(what, name):
    if not _FQCN.match(name):
        raise _Bad('%s name %s is not a FQCN' % (what, _quote(name)))


def _plugin_type(name):
    if not _PLUGIN_TYPE.match(name):
        raise _Bad('Plugin type %s is not valid' % _quote(name))


def _option_like(kind, text, context):
    """An O() or RV() part: [plugin#type:][entrypoint:]name[=value]."""
    value = None
    if '=' in text:
        text, value = text.split('=', 1)
    entrypoint = None
    prefixed = _PLUGIN_PREFIX.match(text)
    if prefixed:
        _fqcn('Plugin', prefixed.group(1))
        _plugin_type(prefixed.group(2))
        plugin = PluginIdentifier(fqcn=prefixed.group(1), type=prefixed.group(2))
        text = prefixed.group(3)
    elif text.startswith('ignore:'):
        plugin = None
        text = text[len('ignore:'):]
    else:
        plugin, entrypoint = context.current_plugin, context.role_entrypoint
    if plugin is not None and plugin.type == 'role':
        head, colon, tail = text.partition(':')
        if colon:
            entrypoint, text = head, tail
        if entrypoint is None:
            raise _Bad('Role reference is missing entrypoint')
    if ':' in text or '#' in text:
        raise _Bad('Invalid option/return value name %s' % _quote(text))
    return Part(kind, plugin=plugin, entrypoint=entrypoint, link=_ARRAY_INDEX.sub('', text).split('.'),
                name=text, value=value)


def _part(name, params, context):
    """The part of directive name with its parameters."""
    if name == 'HORIZONTALLINE':
        return Part(PartType.HORIZONTAL_LINE)
    first = params[0]
    if name in ('I', 'B', 'C'):
        return Part({'I': PartType.ITALIC, 'B': PartType.BOLD, 'C': PartType.CODE}[name], text=first)
    if name == 'U':
        return Part(PartType.URL, url=first)
    if name == 'L':
        return Part(PartType.LINK, text=first, url=params[1])
    if name == 'R':
        return Part(PartType.RST_REF, text=first, ref=params[1])
    if name == 'M':
        _fqcn('Module', first)
        return Part(PartType.MODULE, fqcn=first)
    if name == 'P':
        if '#' not in first:
            raise _Bad('Parameter %s is not of the form FQCN#type' % _quote(first))
        fqcn, kind = first.split('#', 1)
        _fqcn('Plugin', fqcn)
        _plugin_type(kind)
        return Part(PartType.PLUGIN, plugin=PluginIdentifier(fqcn=fqcn, type=kind))
    if name == 'E':
        return Part(PartType.ENV_VARIABLE, name=first)
    if name == 'V':
        return Part(PartType.OPTION_VALUE, value=first)
    return _option_like(PartType.OPTION_NAME if name == 'O' else PartType.RETURN_VALUE, first, context)


def _paragraph(text, context, errors, where, strict, add_source, helpful_errors, directives):
    parts = []

    def add_text(chunk):
        parts.append(Part(PartType.TEXT, text=chunk, source=chunk if add_source else None))

    pos = 0
    while pos < len(text):
        found = directives.search(text, pos)
        if found is None:
            add_text(text[pos:])
            break
        name = found.group(1) or found.group(2)
        start = found.start()
        if start > pos:
            before = text[pos:start]
            add_text(before.rstrip(' \t') if name == 'HORIZONTALLINE' else before)
        end = found.end()
        try:
            params = []
            if name in _SEMANTIC:
                params, end = _escaped_parameter(text, end, strict)
            elif _ARITY[name]:
                params, end = _verbatim_parameters(text, end, _ARITY[name])
            part = _part(name, params, context)
            part.source = text[start:end] if add_source else None
            parts.append(part)
        except _Bad as bad:
            if bad.end is not None:
                end = bad.end
            shown = _quote(text[start:end]) if helpful_errors else name + ('()' if _ARITY[name] else '')
            message = 'While parsing %s at index %d%s: %s' % (shown, start + 1, where, bad)
            if errors == 'exception':
                raise ValueError(message) from None
            if errors == 'message':
                parts.append(Part(PartType.ERROR, message=message, source=text[start:end] if add_source else None))
        pos = end
        if name == 'HORIZONTALLINE':
            while pos < len(text) and text[pos] in ' \t':
                pos += 1
    return parts


def parse(text, context, errors='message', only_classic_markup=False, strict=False, add_source=False,
          helpful_errors=True):
    """Parse a string (one paragraph, none when empty) or a sequence of
    strings (one paragraph each) into a list of paragraphs, each a list of
    parts. errors is 'message' (an ERROR part in place of a directive that
    does not parse), 'exception' (ValueError) or 'ignore'; strict refuses
    needless escapes."""
    directives = _CLASSIC if only_classic_markup else _ALL
    if isinstance(text, str):
        paragraphs = [(text, '')] if text else []
    else:
        paragraphs = [(par, ' of paragraph %d' % n) for n, par in enumerate(text, 1)]
    return [_paragraph(par, context, errors, where, strict, add_source, helpful_errors, directives)
            for par, where in paragraphs]
