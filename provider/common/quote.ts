/**
 * Quoting what a user gave in a message: never more than a short cut of it, with a marker saying how long it was, so
 * a megabyte-long argument cannot make a megabyte-long error (nor a huge log line, nor a gRPC failure the engine
 * chokes on).
 */

/** At most `max` characters of `s`, then `…(N characters)` when it was longer. */
export function cut(s: string, max = 200): string {
    return s.length <= max ? s : `${s.slice(0, max)}…(${s.length} characters)`;
}

/** A user's string as a message quotes it: JSON-quoted, cut. */
export function quote(s: string, max = 200): string {
    return JSON.stringify(cut(s, max));
}
