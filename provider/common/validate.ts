/**
 * Argument validation helpers: every check throws INVALID_ARGUMENT naming the argument, before any request.
 * All collect into a list so a caller can report every bad argument at once (gRPC `failures`).
 */
import { CloudPhoneError, invalidArgument } from "./errors";
import { compileNameRegex, type NameMatcher } from "./name-regex";

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

    path(name: string): string {
        return this.prefix ? `${this.prefix}.${name}` : name;
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
        for (const k of Object.keys(obj)) if (!allowed.includes(k) && obj[k] !== undefined) this.fail(k, `unknown argument (allowed: ${allowed.join(", ")})`);
    }
    string(obj: Record<string, unknown>, name: string, opts: { allowEmpty?: boolean; maxLength?: number; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
        const v = obj[name];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "string") return void this.fail(name, `must be a string, got ${typeName(v)}`);
        if (!opts.allowEmpty && v.trim() === "") return void this.fail(name, "must not be empty");
        if (opts.maxLength !== undefined && v.length > opts.maxLength) return void this.fail(name, `must be at most ${opts.maxLength} characters`);
        if (opts.pattern && !opts.pattern.test(v)) return void this.fail(name, `has an unexpected form${opts.patternHint ? ` (expected ${opts.patternHint})` : ""}`);
        return v;
    }
    enumOf<E extends string>(obj: Record<string, unknown>, name: string, values: readonly E[]): E | undefined {
        const v = this.string(obj, name);
        if (v === undefined) return undefined;
        if (!(values as readonly string[]).includes(v)) return void this.fail(name, `must be one of ${values.join(", ")}; got "${v}"`);
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
            if (item.trim() === "") return this.fail(`${name}[${i}]`, "must not be empty");
            if (opts.values && !opts.values.includes(item)) return this.fail(`${name}[${i}]`, `must be one of ${opts.values.join(", ")}; got "${item}"`);
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
            else if (typeof val !== "string") this.fail(`${name}.${k}`, `must be a string, got ${typeName(val)}`);
            else out[k] = val;
        }
        return out;
    }
    /** A nameRegex: RE2 syntax, bounded length (common/name-regex.ts). */
    regex(obj: Record<string, unknown>, name: string): NameMatcher | undefined {
        const v = this.string(obj, name);
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
        return `"${url}" is not a URL`;
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
