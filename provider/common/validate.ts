/**
 * Argument validation helpers: every check throws INVALID_ARGUMENT naming the argument, before any request.
 * All collect into a list so a caller can report every bad argument at once (gRPC `failures`).
 */
import { CloudPhoneError, invalidArgument } from "./errors";
import { compileNameRegex, type NameMatcher } from "./name-regex";
import { cut, quote } from "./quote";

/**
 * The longest string any argument takes (ids, names, tags, times, endpoints are all far shorter): a longer one is
 * refused before any request, quoting none of it.
 */
export const MAX_ARGUMENT_LENGTH = 4096;

function tooLong(v: string, max: number): string | undefined {
    return v.length > max ? `is ${v.length} characters long; at most ${max} are allowed` : undefined;
}

export interface ArgFailure {
    readonly property: string;
    readonly reason: string;
}

export class ArgumentErrors extends CloudPhoneError {
    readonly failures: readonly ArgFailure[];
    constructor(failures: readonly ArgFailure[]) {
        super("INVALID_ARGUMENT", failures.map((f) => `${f.property}: ${f.reason}`).join("; "), { argument: failures[0]?.property });
        this.failures = failures;
    }
}

/** Collects failures; `done()` throws ArgumentErrors if any. */
export class Checker {
    readonly failures: ArgFailure[] = [];
    constructor(private readonly prefix = "") {}

    /** A property path (cut: a map key or an unknown argument's name comes from the user). */
    path(name: string): string {
        return cut(this.prefix ? `${this.prefix}.${name}` : name, 120);
    }
    fail(name: string, reason: string): void {
        this.failures.push({ property: this.path(name), reason });
    }
    /** A nested checker whose failures land here with `prefix.` */
    nested(name: string): Checker {
        const c = new Checker(this.path(name));
        c.failures.push = (...items: ArgFailure[]) => this.failures.push(...items);
        return c;
    }

    unknownKeys(obj: Record<string, unknown>, allowed: readonly string[]): void {
        let unknown = 0;
        for (const k of Object.keys(obj)) {
            // A few are enough to show; thousands of unknown keys must not make thousands of failures.
            if (!allowed.includes(k) && obj[k] !== undefined && unknown++ < 10) this.fail(k, `unknown argument (allowed: ${allowed.join(", ")})`);
        }
    }
    string(obj: Record<string, unknown>, name: string, opts: { allowEmpty?: boolean; maxLength?: number; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "string") return void this.fail(name, `must be a string, got ${typeName(v)}`);
        const long = tooLong(v, opts.maxLength ?? MAX_ARGUMENT_LENGTH);
        if (long) return void this.fail(name, long);
        if (!opts.allowEmpty && v.trim() === "") return void this.fail(name, "must not be empty");
        if (opts.pattern && !opts.pattern.test(v)) return void this.fail(name, `has an unexpected form${opts.patternHint ? ` (expected ${opts.patternHint})` : ""}`);
        return v;
    }
    enumOf<E extends string>(obj: Record<string, unknown>, name: string, values: readonly E[]): E | undefined {
        const v = this.string(obj, name);
        if (v === undefined) return undefined;
        if (!(values as readonly string[]).includes(v)) return void this.fail(name, `must be one of ${values.join(", ")}; got ${quote(v, 60)}`);
        return v as E;
    }
    boolean(obj: Record<string, unknown>, name: string): boolean | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "boolean") return void this.fail(name, `must be a boolean, got ${typeName(v)}`);
        return v;
    }
    integer(obj: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "number" || !Number.isInteger(v)) return void this.fail(name, `must be an integer, got ${typeName(v)}`);
        if (v < min || v > max) return void this.fail(name, `must be between ${min} and ${max}; got ${v}`);
        return v;
    }
    stringArray(obj: Record<string, unknown>, name: string, opts: { maxItems?: number; values?: readonly string[]; pattern?: RegExp; patternHint?: string } = {}): string[] | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (!Array.isArray(v)) return void this.fail(name, `must be a list of strings, got ${typeName(v)}`);
        if (opts.maxItems !== undefined && v.length > opts.maxItems) return void this.fail(name, `must have at most ${opts.maxItems} items`);
        const out: string[] = [];
        v.forEach((item, i) => {
            if (typeof item !== "string") return this.fail(`${name}[${i}]`, `must be a string, got ${typeName(item)}`);
            const long = tooLong(item, MAX_ARGUMENT_LENGTH);
            if (long) return this.fail(`${name}[${i}]`, long);
            if (item.trim() === "") return this.fail(`${name}[${i}]`, "must not be empty");
            if (opts.values && !opts.values.includes(item)) return this.fail(`${name}[${i}]`, `must be one of ${opts.values.join(", ")}; got ${quote(item, 60)}`);
            if (opts.pattern && !opts.pattern.test(item)) return this.fail(`${name}[${i}]`, `has an unexpected form${opts.patternHint ? ` (expected ${opts.patternHint})` : ""}`);
            out.push(item);
        });
        return out;
    }
    stringMap(obj: Record<string, unknown>, name: string): Record<string, string> | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "object" || Array.isArray(v)) return void this.fail(name, `must be a map of strings, got ${typeName(v)}`);
        const out: Record<string, string> = {};
        for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
            if (k.trim() === "") this.fail(name, "tag keys must not be empty");
            else if (k.length > MAX_ARGUMENT_LENGTH) this.fail(name, `has a key of ${k.length} characters; at most ${MAX_ARGUMENT_LENGTH} are allowed`);
            else if (typeof val !== "string") this.fail(`${name}.${k}`, `must be a string, got ${typeName(val)}`);
            else if (val.length > MAX_ARGUMENT_LENGTH) this.fail(`${name}.${k}`, tooLong(val, MAX_ARGUMENT_LENGTH) as string);
            else out[k] = val;
        }
        return out;
    }
    /** A nameRegex: RE2 syntax, bounded length (common/name-regex.ts). */
    regex(obj: Record<string, unknown>, name: string): NameMatcher | undefined {
        // Its length is compileNameRegex's to judge (a limit of its own).
        const v = this.string(obj, name, { maxLength: Infinity });
        if (v === undefined) return undefined;
        const r = compileNameRegex(v);
        return r.matcher ?? void this.fail(name, r.problem ?? "is not a valid RE2 regular expression");
    }
    object(obj: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "object" || Array.isArray(v)) return void this.fail(name, `must be an object, got ${typeName(v)}`);
        return v as Record<string, unknown>;
    }
    endpoint(obj: Record<string, unknown>, name: string): string | undefined {
        const v = this.string(obj, name);
        if (v === undefined) return undefined;
        const reason = endpointProblem(v);
        if (reason) return void this.fail(name, reason);
        return v.replace(/\/+$/, "");
    }

    done(): void {
        if (this.failures.length) throw new ArgumentErrors(this.failures);
    }
}

export function typeName(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Endpoints must be https://, or http:// to a loopback host (the emulators). Returns the problem, if any. */
export function endpointProblem(url: string): string | undefined {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        return `${quote(url, 100)} is not a URL`;
    }
    if (u.username || u.password) return "must not contain credentials";
    if (u.search || u.hash) return "must not contain a query or fragment";
    if (u.protocol === "https:") return undefined;
    if (u.protocol === "http:" && (LOOPBACK.has(u.hostname) || /^127\./.test(u.hostname))) return undefined;
    return `must be https://, or http:// to a loopback host; got ${u.protocol}//${u.host}`;
}

export function checkEndpoint(argument: string, url: string): string {
    const p = endpointProblem(url);
    if (p) throw invalidArgument(argument, p);
    return url.replace(/\/+$/, "");
}
