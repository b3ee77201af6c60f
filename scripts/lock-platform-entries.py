#!/usr/bin/env python3
"""Adds lock entries for optional platform binaries this registry mirror does not serve.

The npm registry reachable here lacks the macOS/Windows/musl builds of some binaries
(@biomejs/cli-*, @cloudflare/workerd-*). `npm install` then leaves them out of
package-lock.json, and `npm ci` refuses the lock as "out of sync". The entries added here
carry os/cpu/libc, so npm skips them on any other platform and never downloads them.
Run after `npm install` changes the lock: python3 scripts/lock-platform-entries.py
"""
import json
import re
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / 'package-lock.json'
OS = {'android': 'android', 'darwin': 'darwin', 'linux': 'linux', 'win32': 'win32', 'windows': 'win32'}
CPU = {'arm64': 'arm64', 'x64': 'x64', '64': 'x64'}


def platform_of(name):
    m = re.search(r'-(android|darwin|linux|win32|windows)-(arm64|x64|64)(-musl)?$', name)
    if not m:
        return None
    entry = {'os': [OS[m.group(1)]], 'cpu': [CPU[m.group(2)]]}
    if m.group(3):
        entry['libc'] = ['musl']
    return entry


def resolve(packages, origin, name):
    base = origin
    while True:
        candidate = f'{base}/node_modules/{name}' if base else f'node_modules/{name}'
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind('/node_modules/')
        base = base[:cut] if cut >= 0 else ''


lock = json.loads(LOCK.read_text())
packages = lock['packages']
added = []
for path, meta in list(packages.items()):
    for dep, spec in (meta.get('optionalDependencies') or {}).items():
        platform = platform_of(dep)
        if platform is None or resolve(packages, path, dep) is not None:
            continue
        entry = {'version': spec, 'optional': True, **platform}
        if meta.get('dev'):
            entry['dev'] = True
        packages[f'node_modules/{dep}'] = entry
        added.append(f'{dep}@{spec}')

lock['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
LOCK.write_text(json.dumps(lock, indent=2) + '\n')
print(f'added {len(added)} platform entries' + (': ' + ', '.join(added) if added else ''))
