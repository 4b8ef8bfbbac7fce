#!/usr/bin/env python3
"""Record what QEMU 7.2 answers over QMP, as a transcript Machina's tests compare shapes with.

usage: record.py OUT.jsonl SCRIPT.json [--unix] -- qemu-args...
SCRIPT.json is a list of messages: a JSON object is sent as one line; {"raw": "TEXT"} sends TEXT as is
(for malformed input); {"await": FILE, "text": T, "count": N} waits (up to 60 s) until FILE (relative to
the current directory, e.g. a -serial file:FILE) holds T at least N times, so a command is sent once the
guest got somewhere (SeaBIOS's banner), then records what QEMU wrote meanwhile. Every line QEMU writes is kept verbatim ("raw", as QEMU spelled it) and parsed
("recv"). QEMU is started with '-qmp stdio' appended (with --unix: '-qmp unix:SOCK,server=on,wait=off' in a
temporary directory, and the recorder connects to SOCK as libvirt does) and is always killed at the end.
"""
import json, os, socket, subprocess, sys, select, tempfile, time

def main():
    out, script = sys.argv[1], sys.argv[2]
    unix = sys.argv[3] == '--unix'
    rest = sys.argv[4:] if unix else sys.argv[3:]
    assert rest[0] == '--'
    tmp = tempfile.mkdtemp()
    sock_path = os.path.join(tmp, 'qmp.sock')
    argv = ['qemu-system-x86_64'] + rest[1:] + (['-qmp', 'unix:%s,server=on,wait=off' % sock_path] if unix else ['-qmp', 'stdio'])
    msgs = json.load(open(script))
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if unix:
        conn = socket.socket(socket.AF_UNIX)
        end = time.time() + 10
        while True:
            try:
                conn.connect(sock_path)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.02)
        rfd, read1 = conn, lambda n: conn.recv(n)
        def write(b):
            conn.sendall(b)
    else:
        rfd, read1 = p.stdout, p.stdout.read1
        def write(b):
            p.stdin.write(b); p.stdin.flush()
    rec = [{"argv": [a.replace(sock_path, 'qmp.sock') for a in argv], "qemu": subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}]
    buf = b''
    def lines(wait):
        nonlocal buf
        got = []
        end = time.time() + wait
        while True:
            r, _, _ = select.select([rfd], [], [], max(0, end - time.time()))
            if not r:
                return got
            chunk = read1(1 << 20)
            if not chunk:
                return got
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                got.append(line + b'\n')
            if got and not buf:
                # one reply (plus events) normally arrives at once; keep reading briefly for more
                end = min(end, time.time() + 0.3)
    try:
        for l in lines(10):
            rec.append({"raw": l.decode('ascii'), "recv": json.loads(l)})
        for m in msgs:
            if isinstance(m, dict) and 'await' in m:
                end = time.time() + 60
                while time.time() < end:
                    try:
                        if open(m['await'], 'rb').read().count(m['text'].encode()) >= m.get('count', 1):
                            break
                    except FileNotFoundError:
                        pass
                    time.sleep(0.05)
                else:
                    sys.exit('record.py: %s never held %r %d times' % (m['await'], m['text'], m.get('count', 1)))
                rec.append({"awaited": m})
                for l in lines(0.3):
                    rec.append({"raw": l.decode('ascii'), "recv": json.loads(l)})
                continue
            text = m['raw'] if isinstance(m, dict) and 'raw' in m else json.dumps(m)
            rec.append({"send": text})
            try:
                write(text.encode() + b'\n')
            except (BrokenPipeError, ConnectionResetError):
                break
            for l in lines(10):
                rec.append({"raw": l.decode('ascii'), "recv": json.loads(l)})
    finally:
        p.kill(); p.wait()
        if os.path.exists(sock_path):
            os.unlink(sock_path)
        os.rmdir(tmp)
    with open(out, 'w') as f:
        for r in rec:
            f.write(json.dumps(r) + '\n')

main()
