#!/usr/bin/env python3
"""make_ttc.py OUT.ttc A.ttf [B.ttf ...]: a TrueType collection of the given fonts (each
font's tables copied, their offsets rewritten), for testing that a folder holding only a
.ttc is read."""
import struct
import sys


def main():
    out, srcs = sys.argv[1], sys.argv[2:]
    fonts = [open(p, "rb").read() for p in srcs]
    head = 12 + 4 * len(fonts)
    dirs, blobs = [], []
    pos = head + sum(12 + 16 * struct.unpack(">H", f[4:6])[0] for f in fonts)
    for f in fonts:
        sfnt, n = f[:4], struct.unpack(">H", f[4:6])[0]
        d = bytearray(f[:12])
        for i in range(n):
            tag, csum, off, ln = struct.unpack(">4sIII", f[12 + 16 * i:28 + 16 * i])
            d += struct.pack(">4sIII", tag, csum, pos, ln)
            data = f[off:off + ln]
            data += b"\0" * (-len(data) % 4)
            blobs.append(data)
            pos += len(data)
        dirs.append(bytes(d))
    offs, o = [], head
    for d in dirs:
        offs.append(o)
        o += len(d)
    with open(out, "wb") as fp:
        fp.write(b"ttcf" + struct.pack(">HHI", 1, 0, len(fonts)) + b"".join(struct.pack(">I", x) for x in offs))
        fp.write(b"".join(dirs) + b"".join(blobs))


if __name__ == "__main__":
    main()
