# -*- coding: utf-8 -*-
# Copyright: stsgo.aws maintainers (@stsgo-aws)
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the collection's Go binary on the managed host, sent once per host.

The collection ships one static binary per platform (binaries/), each
carrying every module. For a task, the action plugin sends one shell command
(binary_cache.sh) that finds the host's platform with uname (once per host
and run: later tasks pass on what it said), looks for the binary in the
cache folders (~/.ansible/stsgo/SHA256/stsgo-aws by default),
checks that it is the one that was installed, and runs it with the task's
arguments on standard input. Only when the cache misses does the binary
cross the connection, on the standard input of one more command: into the
first folder that can hold it and where the user may run programs (the
configured one, then remote_tmp, then $XDG_RUNTIME_DIR), to a temporary
name, checked against its SHA-256, then renamed into place, so a
half-written file is never run. Its stamp (inode, ctime, size) is recorded
then: a warm task compares the stamp and hashes the binary only when it
changed, or when the host has no stat to tell. The arguments never land on
the host's disk.

The command's replies carry a marker drawn for each command, and are found
wherever they are in its output; the module's own output is read as
ansible-core reads a module's, so what a login shell prints around them
does no harm.

The binaries are shipped xz-compressed (binaries/stsgo-aws_PLATFORM.xz), and
binaries/SHA256SUMS holds the SHA-256 of each decompressed binary: the name
of its cache folder and what the host checks. A host with xz gets the
compressed file and decompresses it; for any other host, and for the
fallbacks below, the controller decompresses it once per run into its local
temporary directory.

Where that path cannot be taken (async, a connection that cannot pass
standard input, become with su, a host that cannot hash), the plugin falls
back to a private temporary directory, or to ansible-core's own
binary-module path with the host's binary.

Variables (inventory, play or -e):
  stsgo_aws_cache      false turns the cache off: each task uploads the
                       binary to a private temporary directory (default true)
  stsgo_aws_cache_dir  the cache folder on the host (default ~/.ansible/stsgo)
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os
import shlex

try:
    import lzma
except ImportError:  # a Python built without liblzma
    lzma = None

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible_collections.stsgo.aws.plugins.plugin_utils.core_compat import binary_module, encode_args, group_defaults, module_result
from ansible_collections.stsgo.aws.plugins.plugin_utils.host_cache import (
    HOST_SCRIPT, NOHASH, describe, first, marker, megabytes, reason, replies, xz_size)

display = Display()

BINARY = 'stsgo-aws'
BINARIES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'binaries')

# Each platform as ansible_system and ansible_architecture name it, and the
# `uname -sm` outputs that mean it. The binaries are named after the first.
PLATFORMS = (
    ('linux_x86_64', ('Linux x86_64', 'Linux amd64')),
    ('linux_aarch64', ('Linux aarch64', 'Linux arm64')),
    ('darwin_x86_64', ('Darwin x86_64',)),
    ('darwin_arm64', ('Darwin arm64',)),
    ('freebsd_amd64', ('FreeBSD amd64', 'FreeBSD x86_64')),
)

# The module_defaults a task gets besides those ansible-core gives it, as a
# drop-in replacement for the Python modules: amazon.aws.sts_assume_role
# (community.aws.sts_assume_role before amazon.aws 7) and
# community.aws.sts_session_token. A play written for those keeps its
# defaults when its tasks name ours instead, and gets what it got before:
#
# - group/aws, which ansible-core resolves to ansible.builtin.aws, a group
#   that only extends amazon.aws.aws and community.aws.aws, always: it is
#   the group of every AWS module, which the replaced modules are in
#   whatever the versions installed, and whether they are installed at all.
# - any other group (group/amazon.aws.aws, group/community.aws.aws, or one
#   that extends them) only where ansible-core resolved the play's group to
#   hold the replaced module, on this controller's collections: amazon.aws's
#   group holds sts_assume_role from amazon.aws 7 on, and never held
#   sts_session_token; community.aws's group holds sts_session_token, and
#   held sts_assume_role before. Giving a group's defaults to a module that
#   never got them would change what it runs with (another profile, other
#   keys) when nothing but the module's name changed.
#
# These defaults rank below everything ansible-core already merged into the
# task's arguments: group/stsgo.aws.aws, the module's own module_defaults
# and the task's arguments. One difference is left: a task argument that
# templates to omit also drops the value a default gives it under
# ansible-core, but the arguments the action sees no longer tell which were
# omitted, so such an option may still get its value from these groups.
AWS_GROUP = 'ansible.builtin.aws'
REPLACED = ('amazon.aws', 'community.aws')


def platform_of(system, machine):
    """Return the platform name of a `uname -s` and `uname -m` pair, or None."""
    text = '%s %s' % (system, machine)
    for name, unames in PLATFORMS:
        if text in unames:
            return name
    return None


def read_sums():
    """Return {platform: sha256 of the decompressed binary} from
    binaries/SHA256SUMS."""
    sums = {}
    try:
        with open(os.path.join(BINARIES, 'SHA256SUMS')) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[1].lstrip('*').startswith(BINARY + '_'):
                    sums[parts[1].lstrip('*')[len(BINARY) + 1:]] = parts[0]
    except (IOError, OSError) as e:
        raise AnsibleActionFail('the stsgo.aws collection has no binaries/SHA256SUMS: %s' % e)
    return sums


# What the collection's files say, read once per process: the binaries'
# hashes and sizes, and the host's command with their table. The strategy
# imports this module in ansible-playbook's own process, so each task's
# worker, which it forks, finds them read.
_files = {}


def collection_files():
    """Return ({platform: sha256}, {platform: size}, the host's command)."""
    if not _files:
        sums = read_sums()
        sizes = dict((name, xz_size(os.path.join(BINARIES, '%s_%s.xz' % (BINARY, name)))) for name in sums)
        lines = ['%s) p=%s h=%s z=%d;;' % ('|'.join('"%s"' % u for u in unames), name, sums[name], sizes[name])
                 for name, unames in PLATFORMS if name in sums]
        _files.update(sums=sums, sizes=sizes, script=HOST_SCRIPT.replace('@PLATFORMS@', '\n'.join(lines)))
    return _files['sums'], _files['sizes'], _files['script']


try:
    collection_files()
except AnsibleActionFail:  # reported by the task that needs them
    pass


class BinaryModuleAction(ActionBase):
    """An action plugin that runs one module of the collection's binary."""

    MODULE = None  # set by each module's action plugin

    def run(self, tmp=None, task_vars=None):
        self._supports_check_mode = True
        self._supports_async = True
        result = super(BinaryModuleAction, self).run(tmp, task_vars)
        del tmp
        if task_vars is None:
            task_vars = {}
        wrap_async = bool(self._task.async_val and not self._connection.has_native_async)
        if not result.get('skipped'):
            self._args = self._module_args(task_vars)
            self._sums, self._sizes, self._host_script = collection_files()
            why = self._why_not_stdin(wrap_async)
            if why and self._task.check_mode:
                data = self._check_mode_skip()
            elif why:
                display.vvv('stsgo-aws: %s; using ansible-core\'s binary module path' % why, host=self._host_name(task_vars))
                data = self._execute_fallback(task_vars, wrap_async)
            else:
                data = self._execute_stdin(task_vars)
            result = merge_hash(result, data)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    # Choosing the path.

    def _why_not_stdin(self, wrap_async):
        """Return why the arguments cannot go on standard input, or ''."""
        if wrap_async:
            return 'async'
        if not getattr(self._connection, 'has_pipelining', False):
            return 'the %s connection cannot pass standard input' % self._connection.transport
        if self._becoming():
            become = self._connection.become
            if become.name.split('.')[-1] == 'su':
                return 'become with su cannot pass standard input'
            if getattr(become, 'require_tty', False):
                return 'become with %s needs a tty' % become.name
        return ''

    def _becoming(self):
        """Report whether commands run as another user, as ansible-core decides."""
        if not self._connection.become:
            return False
        ruser, buser = self._get_remote_user(), self.get_become_option('become_user')
        return bool(C.BECOME_ALLOW_SAME_USER or buser != ruser or not any((ruser, buser)))

    def _host_name(self, task_vars):
        return self._task.delegate_to or task_vars.get('inventory_hostname')

    def _module_args(self, task_vars):
        """The task's arguments over the defaults of the groups that hold
        the module this one replaces (see REPLACED)."""
        play = getattr(self._task._parent, '_play', None)
        action_groups = getattr(play, '_action_groups', None) or {}
        groups = set([AWS_GROUP])
        for collection in REPLACED:
            groups.update(action_groups.get('%s.%s' % (collection, self.MODULE)) or ())
        return group_defaults(self, groups, self._task.args, task_vars)

    def _setting(self, task_vars, name, default):
        value = task_vars.get(name, default)
        return self._templar.template(value) if value is not None else default

    # The fast path: arguments on standard input, binary from the cache.

    def _execute_stdin(self, task_vars):
        args = dict(self._args)
        self._update_module_args(self._task.action, args, task_vars)
        in_data = encode_args(args)
        warnings = []
        if boolean(self._setting(task_vars, 'stsgo_aws_cache', True), strict=False):
            res = self._run_cached(task_vars, in_data, warnings)
        elif self._task.check_mode:
            res = None
        else:
            res = self._private(self._platform(task_vars), in_data)
        if res is None:
            data = self._check_mode_skip()
        else:
            data = module_result(self, res)
        if warnings:
            data['warnings'] = list(data.get('warnings') or []) + [w for i, w in enumerate(warnings) if w not in warnings[:i]]
        return data

    def _run_cached(self, task_vars, in_data, warnings):
        """Run the cached binary; on a miss, fill the cache and run it.
        Returns the command's result, or None in check mode when the cache
        cannot run the binary as it is."""
        folders = self._folders(task_vars)
        argv = [self.MODULE, 'check' if self._task.check_mode else '-'] + [folder for folder, dummy in folders]
        self._uname = self._known_uname(task_vars)
        reply, res = self._step('run', argv, in_data, warnings)
        if 'uname' in reply:
            self._uname = first(reply, 'uname')
            self._remember_uname(task_vars, self._uname)
        if 'miss' not in reply:
            return res
        miss, platform = reply['miss'][0], first(reply, 'platform')
        display.vvv('stsgo-aws: cache %s (%s)' % (miss, platform), host=self._host_name(task_vars))
        if miss == 'platform':
            raise AnsibleActionFail(self._unknown_platform(first(reply, 'uname')))
        if self._task.check_mode:
            return None
        if miss == 'nohash':
            warnings.append(NOHASH)
            return self._private(platform, in_data)
        tried = [describe(label, first(reply, 'folder%d' % i), first(reply, 'why%d' % i))
                 for i, (dummy, label) in enumerate(folders, 1) if 'why%d' % i in reply]
        size = megabytes(self._size(platform))
        if 'failed' in reply:
            raise AnsibleActionFail(
                'stsgo.aws found no folder on the host for its binary, which needs %s where the remote user may write and '
                'run programs; it tried %s; set stsgo_aws_cache_dir to a folder where the remote user may run programs, '
                'with %s free' % (size, '; '.join(tried), size))
        target = first(reply, 'target')
        if not target:
            warnings.append('the stsgo.aws binary cache did not answer (rc %s: %s); the binary was uploaded to a private '
                            'temporary directory' % (res.get('rc'), (res.get('stderr') or '').strip()))
            return self._private(platform, in_data)
        if miss == 'tampered':
            warnings.append('the cached %s binary in %s did not match its SHA-256; it was replaced' % (BINARY, first(reply, 'tampered')))
        if tried:
            warnings.append('the stsgo.aws binary is cached in %s, the first folder it could use; it tried %s' % (target, '; '.join(tried)))
        if self._install(platform, first(reply, 'xz') == 'yes', target, warnings):
            reply, res = self._step('run', argv, in_data, warnings)
            if 'miss' not in reply:
                return res
            warnings.append('the stsgo.aws binary cache could not run the binary it installed in %s (%s); '
                            'the binary was uploaded to a private temporary directory' % (target, reply['miss'][0]))
        return self._private(platform, in_data)

    def _folders(self, task_vars):
        """The folders the binary may be cached in, in order, each as the
        host's command reads it and as a message names it."""
        cache = self._setting(task_vars, 'stsgo_aws_cache_dir', '~/.ansible/stsgo')
        tmp = self.get_shell_option('remote_tmp', default='~/.ansible/tmp') or '~/.ansible/tmp'
        folders = [(cache, cache), (tmp.rstrip('/') + '/stsgo', 'remote_tmp %s/stsgo' % tmp.rstrip('/'))]
        folders.append(('$XDG_RUNTIME_DIR/stsgo', '$XDG_RUNTIME_DIR/stsgo'))
        seen = set()
        return [f for f in folders if not (f[0] in seen or seen.add(f[0]))]

    def _check_mode_skip(self):
        """Return what the module answers in check mode, which it does not
        support, without running it: in check mode nothing is sent to the
        host or written there. A warm cache runs the module itself, which
        then also checks its arguments. The answer goes through the same
        parsing as the module's own, so it looks the same on every version."""
        answer = {'skipped': True, 'msg': 'remote module (%s) does not support check mode' % self._task.action}
        return module_result(self, {'rc': 0, 'stdout': json.dumps(answer), 'stderr': ''})

    def _size(self, platform):
        """The size of the platform's binary, from its xz file's index."""
        return self._sizes.get(platform, 0)

    def _step(self, step, argv, in_data, warnings):
        """Run one step of the host's command, telling it the host's
        `uname -sm` as far as the controller knows it (self._uname); return
        its replies ({name: [value, ...]}) and the command's result without
        them. The replies carry a marker new for each command, so nothing a
        shell prints around them is taken for one."""
        mark = marker()
        res = self._command(self._host_script, [mark, step, self._uname] + argv, in_data)
        reply, out = replies(res.get('stdout') or '', mark)
        for folder in reply.get('unsafe', []):
            warnings.append('the stsgo.aws binary cache %s is not owned by the remote user or is writable by others; '
                            'it was not used' % folder)
        for folder in reply.get('noexec', []):
            warnings.append('the cached stsgo.aws binary in %s cannot run there (is it mounted noexec?); it was not used' % folder)
        return reply, dict(res, stdout=out)

    def _command(self, script, argv, in_data):
        """Run script with argv as its positional parameters on the host,
        with the task's environment, as become if the task asks for it. The
        script runs in the shell ansible-core starts, so it is quoted once."""
        env = self._compute_environment_string()
        cmd = 'set -- %s\n%s' % (' '.join(shlex.quote(a) for a in argv), script.strip())
        if env:
            cmd = 'export %s\n%s' % (env, cmd)
        if not isinstance(in_data, bytes):
            in_data = to_bytes(in_data, errors='surrogate_or_strict')
        return self._low_level_execute_command(cmd, sudoable=True, in_data=in_data)

    def _install(self, platform, xz, folder, warnings):
        """Send the platform's binary into the folder on standard input,
        compressed when the host has xz. Returns whether it was installed."""
        if xz:
            unpack, data = 'xz', self._compressed(platform)
        else:
            unpack, data = '-', self._read_binary(platform)[1]
        display.vvv('stsgo-aws: sending the %s binary (%d bytes%s) into %s' % (platform, len(data), ', xz' if xz else '', folder))
        reply, res = self._step('install', [unpack, folder], data, warnings)
        if 'installed' in reply:
            return True
        failed = first(reply, 'failed')
        if failed == 'write':
            raise AnsibleActionFail('stsgo.aws could not write its binary (%s) into %s on the host: %s; set stsgo_aws_cache_dir '
                                    'to a folder where the remote user may run programs, with that much free' % (
                                        megabytes(self._size(platform)), folder, reason(first(reply, 'why'))))
        if failed == 'nohash':
            warnings.append(NOHASH)
        else:
            warnings.append('the stsgo.aws binary cache could not install the binary (%s); it was uploaded to a private '
                            'temporary directory' % (failed or 'rc %s: %s' % (res.get('rc'), (res.get('stderr') or '').strip())))
        return False

    def _private(self, platform, in_data):
        """Upload the binary to a private temporary directory and run it
        from there; the directory goes when the task ends."""
        local = self._read_binary(platform)[0]
        if self._connection._shell.tmpdir is None:
            self._make_tmp_path()
        remote = self._connection._shell.join_path(self._connection._shell.tmpdir, BINARY)
        self._transfer_file(local, remote)
        self._fixup_perms2([self._connection._shell.tmpdir, remote])
        return self._command('GOMAXPROCS=${GOMAXPROCS:-1} exec "$2" "$1" -\n', [self.MODULE, remote], in_data)

    # The fallback: ansible-core's own binary-module path, with the host's
    # binary and an arguments file.

    def _execute_fallback(self, task_vars, wrap_async):
        self._fallback_binary = self._read_binary(self._platform(task_vars))[0]
        return self._execute_module(module_name=self._task.action, module_args=dict(self._args), task_vars=task_vars,
                                    wrap_async=wrap_async)

    def _configure_module(self, module_name, module_args, task_vars):
        binary = getattr(self, '_fallback_binary', None)
        if binary and module_name == self._task.action:
            return binary_module(binary)
        return super(BinaryModuleAction, self)._configure_module(module_name, module_args, task_vars)

    # Platforms and binaries.

    def _platform(self, task_vars):
        """The host's platform, from what the controller knows of its
        `uname -sm`, else from one `uname -sm` on the host."""
        found = self._known_uname(task_vars)
        if not found:
            mark = marker()
            res = self._low_level_execute_command("u=$(uname -sm) && printf '%%s uname=%%s\\n' %s \"$u\"" % mark, sudoable=False)
            found = (first(replies(res.get('stdout') or '', mark)[0], 'uname') or '').strip()
            if res.get('rc') != 0 or not found:
                raise AnsibleActionFail('cannot tell the host\'s platform: uname -sm failed (rc %s): %s' % (
                    res.get('rc'), (res.get('stderr') or '').strip()))
            self._remember_uname(task_vars, found)
        platform = platform_of(*(found.split(' ', 1) + [''])[:2])
        if platform is None or platform not in self._sums:
            raise AnsibleActionFail(self._unknown_platform(found))
        return platform

    def _known_uname(self, task_vars):
        """What the controller knows of the host's `uname -sm`: from facts
        when gathered, else from an earlier task of this run, else ''."""
        host_vars = task_vars
        if self._task.delegate_to:
            host_vars = (task_vars.get('ansible_delegated_vars') or {}).get(self._task.delegate_to) or {}
        facts = host_vars.get('ansible_facts') or {}
        system, machine = facts.get('system'), facts.get('architecture')
        if system and machine:
            return '%s %s' % (system, machine)
        try:
            with open(self._uname_file(task_vars)) as f:
                return f.read().strip()
        except (IOError, OSError):
            return ''

    def _remember_uname(self, task_vars, found):
        """Keep the host's `uname -sm` for the rest of the run, in the
        controller's local temporary directory."""
        path = self._uname_file(task_vars)
        tmp = '%s.%s' % (path, os.getpid())
        with open(tmp, 'w') as f:
            f.write(found)
        os.rename(tmp, path)

    def _uname_file(self, task_vars):
        key = hashlib.sha256(('%s\0%s\0%s' % (
            self._host_name(task_vars), self._play_context.remote_addr, self._get_remote_user())).encode()).hexdigest()
        return os.path.join(C.DEFAULT_LOCAL_TMP, 'stsgo-uname-%s' % key)

    def _unknown_platform(self, found):
        return 'stsgo.aws has no %s binary for this host: it reports "%s"; the collection has %s' % (
            self.MODULE, found, ', '.join(sorted(self._sums)))

    def _compressed(self, platform):
        """Return the platform's xz-compressed binary as the collection has it."""
        path = os.path.join(BINARIES, '%s_%s.xz' % (BINARY, platform))
        try:
            with open(path, 'rb') as f:
                return f.read()
        except (IOError, OSError) as e:
            raise AnsibleActionFail('the stsgo.aws collection is missing its %s binary: %s' % (platform, e))

    def _read_binary(self, platform):
        """Return the path and the contents of the platform's decompressed
        binary, checked against SHA256SUMS. It is decompressed once per run,
        into the controller's local temporary directory."""
        want = self._sums.get(platform)
        path = os.path.join(C.DEFAULT_LOCAL_TMP, '%s_%s_%s' % (BINARY, platform, want))
        try:
            with open(path, 'rb') as f:
                data = f.read()
            if hashlib.sha256(data).hexdigest() == want:
                return path, data
        except (IOError, OSError):
            pass
        if lzma is None:
            raise AnsibleActionFail('the host has no xz, and this controller\'s Python has no lzma module to '
                                    'decompress the stsgo.aws %s binary for it' % platform)
        try:
            data = lzma.decompress(self._compressed(platform))
        except lzma.LZMAError as e:
            raise AnsibleActionFail('the stsgo.aws %s binary is corrupt (%s); reinstall the collection' % (platform, e))
        if hashlib.sha256(data).hexdigest() != want:
            raise AnsibleActionFail('the stsgo.aws %s binary does not match binaries/SHA256SUMS; reinstall the collection' % platform)
        tmp = '%s.%s' % (path, os.getpid())
        with open(tmp, 'wb') as f:
            f.write(data)
        os.chmod(tmp, 0o700)
        os.rename(tmp, path)
        return path, data
