#!/usr/bin/env python3
"""Prints the crashing thread of each .NET crash report given (createdump's *.crashreport.json).

CI sets DOTNET_DbgEnableMiniDump/DOTNET_EnableCrashReport for the test run, so a process that dies (the test host,
or a child it started) leaves a report of every thread's stack, managed and native frames. The test host's own log
shows no stack for a native fault; this names the module and method it happened in.
"""
import json
import sys


def frame_text(frame):
    if frame.get("is_managed") == "true":
        name = frame.get("method_name") or "?"
        return f"{name} +IL {frame.get('il_offset', '?')}  [{frame.get('filename', '?')}]"
    name = frame.get("unmanaged_name") or f"+{frame.get('native_image_offset', '?')}"
    return f"{name}  [{frame.get('native_module', '?')}]"


def main(paths):
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                payload = json.load(f)["payload"]
        except (OSError, ValueError, KeyError) as e:
            print(f"crash report {path}: unreadable ({e})")
            continue
        threads = payload.get("threads", [])
        crashed = [t for t in threads if str(t.get("crashed")).lower() == "true"] or threads[:1]
        print(f"crash report of process '{payload.get('process_name', '?')}' ({len(threads)} threads): {path}")
        for thread in crashed:
            exception = thread.get("managed_exception_type") or "no managed exception"
            print(f"  crashed thread {thread.get('native_thread_id', '?')}: {exception}")
            for frame in thread.get("stack_frames", [])[:60]:
                print(f"    {frame_text(frame)}")


if __name__ == "__main__":
    main(sys.argv[1:])
