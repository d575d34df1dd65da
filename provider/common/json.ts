/**
 * Lossless, fast JSON for both clouds' answers. A body whose numbers are all exact as doubles is parsed by the built-in
 * JSON.parse (native, ~10× faster than a JS parser). A body that might hold an integer beyond 2^53 (a run of 16 or more
 * digits, or a number written with an exponent: the test reads the characters before them, see mayBeInexact)
 * is parsed by json-bigint (the parser pop-core uses) and every number of it made exact (digits inside strings, such
 * as Huawei's 19-digit assign_user or an id holding "3e9", do not count): an integer is a number
 * when it is a safe integer and its exact decimal string otherwise; a fraction stays a number. So no integer is ever
 * rounded: a decoder gets it exactly, as a number or as a decimal string, and refuses what it cannot hold.
 */
import JSONbig = require("json-bigint");

/**
 * 15 digits are always exact (< 2^53); 16 might not be. Written out rather than as \d{16}: V8 runs the spelled-out
 * form about 10× faster, and this test is on the chain's critical path.
 */
const RUN16 = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/g;
/** An exponent: `e`/`E`, an optional sign, a digit (a number's only if a digit comes before it: checked by isNumber). */
const EXPONENT = /[eE][-+]?\d/g;

/**
 * Whether the characters before `end` (a run of digits, or a mantissa) are a JSON number rather than part of a string:
 * going back over digits and `.`, an optional `-` and blanks, a value starts after `:`, `,` or `[`. Conservative: a
 * string holding `x:1e5` counts (it only costs the slower parser); a string holding `acp-3e9` does not.
 */
function isNumber(t: string, end: number): boolean {
    let i = end - 1;
    let c = t.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return false;
    while (i >= 0 && (((c = t.charCodeAt(i)) >= 48 && c <= 57) || c === 46)) i--;
    if (c === 45) c = t.charCodeAt(--i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(--i);
    return c === 58 || c === 44 || c === 91;
}

/**
 * Whether a text may hold a number that JSON.parse would not read exactly: a number of 16 digits or more, or one with
 * an exponent. Digits inside strings (Huawei's 19-digit assign_user, hex ids with `3e9`) do not count.
 */
function mayBeInexact(t: string): boolean {
    for (const re of [RUN16, EXPONENT]) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(t)) !== null) {
            if (isNumber(t, re === RUN16 ? m.index + 1 : m.index)) return true;
        }
    }
    return false;
}

const bigParser = JSONbig({ storeAsString: false });

interface BigNumberLike {
    isInteger(): boolean;
    toFixed(): string;
    toString(): string;
}

function isBigNumber(v: object): v is BigNumberLike {
    return (v as { _isBigNumber?: unknown })._isBigNumber === true && typeof (v as BigNumberLike).toFixed === "function";
}

/** The exact decimal digits of a double that is an integer, from its shortest form ("1e+23" → "1000…0"). */
export function integerDigits(n: number): string {
    const s = String(n);
    const m = /^(-?)(\d)(?:\.(\d+))?e\+(\d+)$/.exec(s);
    if (!m) return s;
    const digits = m[2] + (m[3] ?? "");
    return m[1] + digits + "0".repeat(Number(m[4]) - (digits.length - 1));
}

/**
 * Every number made exact, in place. A double here came from a literal of at most 15 characters (json-bigint keeps
 * longer ones as BigNumbers), so it has at most 15 significant digits and its shortest form is the literal's value.
 */
function exact(v: unknown): unknown {
    if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v) ? integerDigits(v) : v;
    if (v === null || typeof v !== "object") return v;
    if (isBigNumber(v)) {
        if (!v.isInteger()) return Number(v.toString());
        const text = v.toFixed();
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : text;
    }
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = exact(v[i]);
        return v;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = exact(o[k]);
    return o;
}

/** Which parser a text takes (for the bench and tests). */
export function parserFor(text: string): "JSON.parse" | "json-bigint" {
    return mayBeInexact(text) ? "json-bigint" : "JSON.parse";
}

/** Parse a JSON text losslessly; throws SyntaxError as JSON.parse does. */
export function parseJson(text: string): unknown {
    return mayBeInexact(text) ? exact(bigParser.parse(text)) : JSON.parse(text);
}
