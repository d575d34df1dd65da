/**
 * The CLI's own stdout and stderr, guarded against failed writes.
 *
 * A closed pipe (EPIPE: the reader left, as in `cloudphone instances | head -1`) must end the command quietly, as
 * SIGPIPE ends other Unix tools. Node ignores SIGPIPE, so an unguarded write to a closed pipe raises an unhandled
 * 'error' event: a stack trace and exit 1, which `drift` defines as "drift". Here the first failed write (of either
 * stream) stops all output and reports the failure once; `run()` then exits with 141 (a closed pipe) or 2.
 *
 * A write's failure is only known when its callback runs, after the command may have moved on. So a stderr line
 * written while stdout still has a write in flight waits for it (the order on a terminal stays the order written)
 * and is dropped if that write fails: `cloudphone demo | head -1` prints no summary after a listing that was cut off.
 */
import type { CliWritable } from "./main";

export type WriteFailure = "pipe-closed" | "write-failed";

export interface GuardedStreams {
    readonly stdout: CliWritable;
    readonly stderr: CliWritable;
}

/**
 * Writers for `main` over the real streams. `onFailure` is called once, for the first write that fails (or the first
 * 'error' either stream emits); nothing is written after it.
 */
export function guardStreams(
    stdout: NodeJS.WritableStream,
    stderr: NodeJS.WritableStream,
    onFailure: (failure: WriteFailure, stream: "stdout" | "stderr", code: string | undefined) => void,
): GuardedStreams {
    let failed = false;
    let inFlight = 0;
    let waiting: string[] = [];
    const fail = (stream: "stdout" | "stderr", e: NodeJS.ErrnoException) => {
        if (failed) return;
        failed = true;
        waiting = [];
        onFailure(e.code === "EPIPE" ? "pipe-closed" : "write-failed", stream, e.code);
    };
    const writeErr = (s: string) => stderr.write(s, (e?: Error | null) => void (e && fail("stderr", e as NodeJS.ErrnoException)));
    // The callbacks carry each failure; these listeners keep the streams' 'error' events from being unhandled.
    stdout.on("error", (e: NodeJS.ErrnoException) => fail("stdout", e));
    stderr.on("error", (e: NodeJS.ErrnoException) => fail("stderr", e));
    return {
        stdout: {
            write: (s: string) => {
                if (failed) return;
                inFlight++;
                stdout.write(s, (e?: Error | null) => {
                    inFlight--;
                    if (e) return fail("stdout", e as NodeJS.ErrnoException);
                    if (inFlight === 0 && waiting.length) {
                        const lines = waiting;
                        waiting = [];
                        for (const l of lines) if (!failed) writeErr(l);
                    }
                });
            },
        },
        stderr: {
            write: (s: string) => {
                if (failed) return;
                if (inFlight > 0) waiting.push(s);
                else writeErr(s);
            },
        },
    };
}
