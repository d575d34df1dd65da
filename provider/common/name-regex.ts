/**
 * `nameRegex`, everywhere (the plugin, the CLI, both InstanceSets): RE2 syntax and semantics, as `name_regex` in the
 * Terraform alicloud provider (Go's regexp), matched by re2js, a JavaScript port of RE2 (linear time in the name's
 * length, whatever the pattern: no backtracking, so no pattern can take exponential time). Patterns are bounded in
 * length, so the work of one match is bounded too; a lookup matches page by page, so even a slow pattern never holds
 * the event loop for more than one page's names.
 *
 * Refused before any request, naming the argument: an invalid pattern, one longer than NAME_REGEX_MAX_LENGTH, and
 * what RE2 does not have (backreferences, lookahead and lookbehind), each with a message saying so. Messages quote at
 * most a short cut of the pattern.
 */
import type * as Re2js from "re2js";
import { invalidArgument } from "./errors";
import { cut } from "./quote";

/**
 * The longest pattern accepted, in characters. Set from measurement (README "nameRegex"; bench section 13): RE2's
 * cost is linear in the name, with a factor that grows with the pattern; the worst pattern found (a sequence of
 * negated classes, which keeps one NFA thread per position alive) costs about 0.4 ms per 128-character name at 256
 * characters (4 s of CPU for 10,000 such names, under 50 ms per page of 100), and 1.1 ms at 1,000.
 */
export const NAME_REGEX_MAX_LENGTH = 256;

/** A compiled nameRegex: `test` is true when the name contains a match (as RegExp#test and Go's MatchString). */
export interface NameMatcher {
    readonly source: string;
    test(name: string): boolean;
}

let re2js: typeof Re2js | undefined;
function lib(): typeof Re2js {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (re2js ??= require("re2js") as typeof Re2js);
}

/** Why `source` is not an acceptable nameRegex, or undefined when it is. */
function problem(source: string): string | undefined {
    if (source.length > NAME_REGEX_MAX_LENGTH) return `is ${source.length} characters long; at most ${NAME_REGEX_MAX_LENGTH} are allowed`;
    // RE2 has neither; say so rather than quote the parser's "invalid escape" / "invalid named capture".
    if (/\(\?<?[=!]/.test(source)) return `uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 syntax does not have: ${cut(source, 60)}`;
    if (/(^|[^\\])(\\\\)*\\[1-9]/.test(source)) return `uses a backreference (\\1 … \\9), which RE2 syntax does not have: ${cut(source, 60)}`;
    return undefined;
}

/** The re2js parser's message, without its prefix, its echo of the pattern cut short. */
function parserMessage(e: unknown): string {
    const m = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : "invalid pattern";
    return m.replace(/`([^`]*)`/g, (_all, frag: string) => `\`${cut(frag, 40)}\``).slice(0, 200);
}

/** Compile a nameRegex, or return why it is refused (for the argument checkers, which collect every failure). */
export function compileNameRegex(source: string): { readonly matcher?: NameMatcher; readonly problem?: string } {
    const p = problem(source);
    if (p) return { problem: p };
    let re: Re2js.RE2JS;
    try {
        re = lib().RE2JS.compile(source);
    } catch (e) {
        return { problem: `is not a valid RE2 regular expression: ${parserMessage(e)}` };
    }
    return { matcher: { source, test: (name) => re.test(name) } };
}

/** A nameRegex compiled, or INVALID_ARGUMENT naming `argument` (for callers that bypassed the argument checkers). */
export function nameMatcher(source: string, argument = "nameRegex"): NameMatcher {
    const r = compileNameRegex(source);
    if (!r.matcher) throw invalidArgument(argument, r.problem ?? "is not a valid RE2 regular expression");
    return r.matcher;
}
