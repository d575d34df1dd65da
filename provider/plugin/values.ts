/**
 * Pulumi property values as they arrive over gRPC (after Struct.toJavaScript): secrets are wrapped as
 * `{ "4dabf…": "1b47…", value }`, unknowns (during preview) are a sentinel string, output values have their own
 * signature. These helpers turn them into plain JSON values, remembering which top-level keys were secret.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Thrown when a value is unknown (preview): the caller decides what that means. */
export class UnknownValueError extends Error {
    constructor(readonly path: string) {
        super(`${path} is not known yet`);
    }
}

export interface Unwrapped {
    readonly value: unknown;
    /** Whether any part of the value was marked secret. */
    readonly secret: boolean;
}

/** Remove secret/output wrappers recursively; unknown values throw UnknownValueError naming their path. */
export function unwrap(v: unknown, path = ""): Unwrapped {
    if (v === UNKNOWN) throw new UnknownValueError(path || "value");
    if (Array.isArray(v)) {
        let secret = false;
        const out = v.map((item, i) => {
            const u = unwrap(item, `${path}[${i}]`);
            secret ||= u.secret;
            return u.value;
        });
        return { value: out, secret };
    }
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        const sig = o[SIG_KEY];
        if (sig === SECRET_SIG) {
            const inner = unwrap(o.value, path);
            return { value: inner.value, secret: true };
        }
        if (sig === OUTPUT_VALUE_SIG) {
            if (!("value" in o)) throw new UnknownValueError(path || "value");
            const inner = unwrap(o.value, path);
            return { value: inner.value, secret: inner.secret || o.secret === true };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(o)) {
            const u = unwrap(item, path ? `${path}.${k}` : k);
            secret ||= u.secret;
            out[k] = u.value;
        }
        return { value: out, secret };
    }
    return { value: v, secret: false };
}

/** Unwrap every top-level property of an object (args, config); returns the plain object and the secret keys. */
export function unwrapObject(o: Record<string, unknown>): { value: Record<string, unknown>; secretKeys: Set<string> } {
    const value: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [k, item] of Object.entries(o)) {
        const u = unwrap(item, k);
        value[k] = u.value;
        if (u.secret) secretKeys.add(k);
    }
    return { value, secretKeys };
}

/**
 * Remove secret/output wrappers recursively, keeping unknowns as the UNKNOWN sentinel (an output value without a
 * value becomes UNKNOWN): for comparing inputs whose secretness may differ and whose parts may not be known yet.
 */
export function plain(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        const sig = o[SIG_KEY];
        if (sig === SECRET_SIG) return plain(o.value);
        if (sig === OUTPUT_VALUE_SIG) return "value" in o ? plain(o.value) : UNKNOWN;
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(o)) out[k] = plain(item);
        return out;
    }
    return v;
}

/** plain() of every top-level property. */
export function plainObject(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return plain(o) as Record<string, unknown>;
}

/** Whether a (plain) value is or holds an unknown. */
export function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(hasUnknown);
    if (v !== null && typeof v === "object") return Object.values(v as Record<string, unknown>).some(hasUnknown);
    return false;
}
