#!/usr/bin/env python3
"""Record QEMU 7.2's replies to malformed QMP input, byte for byte (tests/qmp/qemu72-malformed-json.json).

usage: tools/qmp/record-json-cases.py SOCK OUT.json
SOCK is the QMP socket of a running `qemu-system-x86_64 -machine none -nodefaults -display none -qmp
unix:SOCK,server=on,wait=off`. After qmp_capabilities, each case is sent as its bytes, a newline and a
sync command (query-name with id "sync"); every line QEMU answers before the sync reply is kept. OUT holds
[{"send": the bytes as Latin-1 text, "replies": [lines]}]; QmpMalformedJsonTest replays it against Machina.
"""
import json, socket, sys, time
CASES = [b'{"a" 1}', b'{1: 2}', b'{"a": 1 "b": 2}', b'{"a":1,"a":2}', b'[1 2]', b'[1,]', b'{"a":1,}', b'}', b']', b'{"a": @}',
 b'{"execute":"query-name","id":"\xc3"}', b'{"execute":"query-name","id":"\xc3\xa9"}', b'{"execute":"query-name","id":"\\q"}',
 b'{"execute":"query-name","id":"\\u00"}', b'{"execute":"query-name","id":"\\ud800"}', b'{"execute":"query-name","id":"\\u0000"}',
 b"{'execute':'query-name','id':'sq'}", b'True', b'{"execute":"query-name","id":01}', b'{"execute":"query-name","id":1.}',
 b'{"execute":"query-name","id":-}', b'{"execute":"query-name","id":1e}', b'{"execute":"query-name","id":99999999999999999999}',
 b'{"execute":"query-name","id":"a\tb"}', b'{"execute":"query-name","id":nulL}', b'%d', b'\x01', b'{"execute":"query-name","id":"abc\n"}',
 b'{"execute":"query-name","id":1}}', b'{"execute":"query-name","id":1}garbage', b'\xff\xfe', b'@', b'nul', b'[]', b'1', b'"s"',
 b'{"execute":"query-name","id":"\xed\xa0\x80"}', b'{"execute":"query-name","id":"\xc0\x80"}', b'{"execute":"query-name","id":"\xf4\x90\x80\x80"}',
 b'{"execute":"query-name","id":"\\uD83D\\uDE00"}', b'{"execute":"query-name","id":"\\/\\b\\f\\n\\r\\t\\"\\\\"}', b'{"execute":"query-name","id":1.5e3}',
 b'{"execute":"query-name","id":-0}', b'{"execute":"query-name","id":[1,{"a":null}]}', b'{"execute":"query-name","id":true} ', b'{"execute":"query-name","id":"\xe9"}',
 b'{"execute":"query-name","id":"\\u00e9"}', b'{"execute":"query-name","id":18446744073709551615}', b'{"execute":"query-name","id":-9223372036854775809}',
 b'{"execute":"query-name","id":\'a"b\'}', b'{"execute":"query-name","id":"a\'b"}', b'{"execute":"query-name","id":"\\\'"}',
 b'{"execute":"query-name","id":1\x80}', b'nul\x80', b'\x00', b'{"execute":"query-name","id":"\\uFFFE"}', b'{"a":1]', b'[1}',
 b'{"execute":"query-name","id":0.1}', b'{"execute":"query-name","id":1E400}', b'{"execute":"query-name","id":-1.5e-7}',
 b'{"execute":"query-name","id":"\\u12\xc3\xa9"}', b'{"execute":"query-name","id":"\\uD83Dx"}', b'{"execute":"query-name","id":123456789012345678}',
 b'{"execute":"query-name","id":1.0}', b'{"execute":"query-name","id":12345678.9}', b'{"execute":"query-name","id":"\xf0\x9f\x98\x80"}',
 b'{"execute":"query-name","id":"\xef\xbf\xbe"}', b'{"execute":"query-name","id":"a\x7fb"}', b'[[[]]]', b'{"execute":"query-name","id":{}}']
p = sys.argv[1]
for i in range(3000):
    s = socket.socket(socket.AF_UNIX)
    try: s.connect(p); break
    except OSError: time.sleep(0.02)
f = s.makefile('rwb'); f.readline()
f.write(b'{"execute":"qmp_capabilities"}\n'); f.flush(); f.readline()
out = []
for raw in CASES:
    f.write(raw + b'\n{"execute":"query-name","id":"sync"}\n'); f.flush()
    got = []
    while True:
        l = f.readline()
        if not l: got.append('EOF'); break
        if b'"sync"' in l: break
        got.append(l.rstrip(b'\r\n').decode('ascii', 'backslashreplace'))
    out.append({"send": raw.decode('latin-1'), "replies": got})
    print(repr(raw), '->', got)
f.write(b'{"execute":"quit"}\n'); f.flush(); f.readline()
if len(sys.argv) > 2: json.dump(out, open(sys.argv[2], 'w'), indent=0)
