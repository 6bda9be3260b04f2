#!/usr/bin/env python3
"""Decodes every record of a TensorBoard event file with protoc and TensorFlow's own .proto files (kept in this
directory, see SOURCES.md), as an independent check of SharpFlow's event writer: protoc knows nothing of SharpFlow.

    python3 tools/proto/decode-events.py LOGDIR/events.out.tfevents.*      # needs Debian's protobuf-compiler

Each record's framing is checked (masked CRC-32C of the length and of the data); each Event is printed in
protobuf text format; a graph_def is decoded as tensorflow.GraphDef.
"""
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def decode(message_type, proto, data):
    result = subprocess.run(["protoc", "-I", HERE, "--decode=" + message_type, proto], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def main(path):
    with open(path, "rb") as f:
        content = f.read()
    offset, index = 0, 0
    while offset < len(content):
        header = content[offset:offset + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", content[offset + 8:offset + 12])
        assert masked(header) == length_crc, f"record {index}: bad length CRC"
        data = content[offset + 12:offset + 12 + length]
        (data_crc,) = struct.unpack("<I", content[offset + 12 + length:offset + 16 + length])
        assert masked(data) == data_crc, f"record {index}: bad data CRC"
        text = decode("tensorflow.Event", "tensorflow/core/util/event.proto", data)
        print(f"--- record {index} ({length} bytes)")
        if "graph_def:" in text:
            # graph_def is bytes in Event: decode it as a GraphDef.
            event_fields = subprocess.run(["protoc", "--decode_raw"], input=data, capture_output=True, check=True).stdout.decode()
            print("\n".join(line for line in text.splitlines() if not line.startswith("graph_def")))
            graph = extract_field(data, 4)
            print(decode("tensorflow.GraphDef", "tensorflow/core/framework/graph.proto", graph))
        elif "tagged_run_metadata" in text:
            # run_metadata is bytes in TaggedRunMetadata: decode its step_stats (RunMetadata field 1) as a StepStats.
            print("\n".join(line for line in text.splitlines() if "run_metadata:" not in line))
            run_metadata = extract_field(extract_field(data, 8), 2)
            print(decode("tensorflow.StepStats", "tensorflow/core/framework/step_stats.proto", extract_field(run_metadata, 1)))
        else:
            print(text)
        offset += 16 + length
        index += 1


def extract_field(message, number):
    i = 0
    while i < len(message):
        key, i = varint(message, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, i = varint(message, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n, i = varint(message, i)
            if field == number:
                return message[i:i + n]
            i += n
    raise ValueError(f"field {number} not found")


def varint(data, i):
    value, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
