#!/usr/bin/env python3
"""Record QEMU 7.2's query-chardev and 'info chardev' on the command lines of tools/qmp/chardevs.json.

usage: record-chardevs.py [--check] [OUT.jsonl]   (default tests/qmp/qemu72-chardevs.jsonl)
Each case's args are run as qemu-system-x86_64 ARGS -qmp unix:{dir}/qmp.sock,server=on,wait=off in a fresh
temporary directory {dir}; the recorder connects to that socket (so its own chardev has a client, and
QEMU names it without 'disconnected:'), sends qmp_capabilities, query-chardev, human-monitor-command
'info chardev' (in preconfig QEMU's error is kept) and quit. Paths are written back as {dir}. One JSON line per case: name, args, the QEMU
version, query-chardev's return and info chardev's text. --check re-records into memory and exits 1
if anything differs from OUT (QEMU lists chardevs in hash order, so lists compare as sets).
"""
import json, os, shutil, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

def record(case):
    d = tempfile.mkdtemp()
    try:
        args = [a.replace('{dir}', d) for a in case['args']]
        sock = os.path.join(d, 'qmp.sock')
        argv = ['qemu-system-x86_64'] + args + ['-qmp', 'unix:%s,server=on,wait=off' % sock]
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=d)
        try:
            conn = socket.socket(socket.AF_UNIX)
            end = time.time() + 10
            while True:
                try:
                    conn.connect(sock)
                    break
                except OSError:
                    if time.time() > end or p.poll() is not None:
                        sys.exit('record-chardevs.py: %s: QEMU did not listen: %s' % (case['name'], p.stderr.read().decode()))
                    time.sleep(0.02)
            f = conn.makefile('rw')
            def reply():
                while True:
                    j = json.loads(f.readline())
                    if 'event' not in j:
                        return j
            def send(m):
                f.write(json.dumps(m) + '\n'); f.flush()
                return reply()
            reply()  # greeting
            send({'execute': 'qmp_capabilities'})
            chardevs = send({'execute': 'query-chardev'})['return']
            r = send({'execute': 'human-monitor-command', 'arguments': {'command-line': 'info chardev'}})
            info = r.get('return', r.get('error'))  # preconfig: QEMU refuses the command
            send({'execute': 'quit'})
        finally:
            p.kill(); p.wait()
        version = subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
        undir = lambda s: s.replace(d, '{dir}')
        for c in chardevs:
            c['filename'] = undir(c['filename'])
        return {'name': case['name'], 'args': case['args'], 'qemu': version,
                'query-chardev': chardevs, 'info chardev': undir(info) if isinstance(info, str) else info}
    finally:
        shutil.rmtree(d, ignore_errors=True)

def canonical(r):
    return (r['name'], r['args'], sorted(json.dumps(c, sort_keys=True) for c in r['query-chardev']),
            sorted(r['info chardev'].splitlines()) if isinstance(r['info chardev'], str) else r['info chardev'])

def main():
    argv = sys.argv[1:]
    check = '--check' in argv
    argv = [a for a in argv if a != '--check']
    out = argv[0] if argv else os.path.join(ROOT, 'tests', 'qmp', 'qemu72-chardevs.jsonl')
    cases = json.load(open(os.path.join(HERE, 'chardevs.json')))
    recs = [record(c) for c in cases]
    if check:
        old = [json.loads(l) for l in open(out)]
        if [canonical(r) for r in old] != [canonical(r) for r in recs]:
            sys.exit('record-chardevs.py: %s differs from what QEMU answers now' % out)
        return
    with open(out, 'w') as f:
        for r in recs:
            f.write(json.dumps(r) + '\n')

main()
