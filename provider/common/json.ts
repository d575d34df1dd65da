/**
 * Lossless, fast JSON for both clouds' answers. A body whose numbers are all exact as doubles is parsed by the built-in
 * JSON.parse (native, ~10× faster than a JS parser). A body that might hold an integer beyond 2^53 (a run of 16 or more
 * digits anywhere, or a number written with an exponent: the test is conservative, digits inside strings count too)
 * is parsed by json-bigint (the parser pop-core uses) and every number of it made exact: an integer is a number
 * when it is a safe integer and its exact decimal string otherwise; a fraction stays a number. So no integer is ever
 * rounded: a decoder gets it exactly, as a number or as a decimal string, and refuses what it cannot hold.
 */
import JSONbig = require("json-bigint");

/**
 * 15 digits are always exact (< 2^53); 16 might not be. Written out rather than as \d{16}: V8 runs the spelled-out
 * form about 10× faster (0.03 vs 0.32 ms over a 160 kB page), and this test is on the chain's critical path.
 */
const MAYBE_INEXACT = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/;
/** A number with an exponent (`1.0086e18`, `5E+20`) where a JSON value starts: after `:`, `[` or `,`. */
const EXPONENT = /[:[,]\s*-?\d+(?:\.\d+)?[eE]/;

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
    return MAYBE_INEXACT.test(text) || EXPONENT.test(text) ? "json-bigint" : "JSON.parse";
}

/** Parse a JSON text losslessly; throws SyntaxError as JSON.parse does. */
export function parseJson(text: string): unknown {
    return MAYBE_INEXACT.test(text) || EXPONENT.test(text) ? exact(bigParser.parse(text)) : JSON.parse(text);
}
