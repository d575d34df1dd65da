/**
 * Secret redaction. Two layers: values registered as secrets (credentials resolved at run time) are replaced
 * wherever they appear, and well-known secret-bearing patterns (signatures, tokens, signed query strings,
 * Authorization headers) are masked even when the value was never registered.
 */
const MASK = "[REDACTED]";
const registered = new Set<string>();

/** Register a secret value; every later redact() call masks it. Short values are ignored (false positives). */
export function registerSecret(value: string | undefined | null): void {
    if (typeof value === "string" && value.length >= 6) registered.add(value);
}

export function registeredSecretCount(): number {
    return registered.size;
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
    // query-string or form parameters that carry secrets
    [/((?:^|[?&\s"'])(?:Signature|AccessKeyId|SecurityToken|AccessKeySecret|X-Auth-Token|x-auth-token|token|password|secret|access_key|secret_key|X-Security-Token)=)[^&\s"']+/gi, `$1${MASK}`],
    // JSON fields
    [/("(?:password|secret|secretKey|accessKeySecret|AccessKeySecret|securityToken|SecurityToken|authToken|token|X-Auth-Token|X-Subject-Token|Signature|signature|sk)"\s*:\s*")[^"]*"/g, `$1${MASK}"`],
    // HTTP headers
    [/((?:authorization|x-auth-token|x-subject-token|x-security-token)\s*[:=]\s*)(?:SDK-HMAC-SHA256\s+)?[^\r\n,"']+/gi, `$1${MASK}`],
    // Huawei AK/SK signature parts
    [/(Signature=)[0-9a-fA-F]{16,}/g, `$1${MASK}`],
];

export function redact(text: string): string {
    let out = text;
    for (const s of registered) {
        if (out.includes(s)) out = out.split(s).join(MASK);
    }
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
}

/** Deep-redact a JSON-like value (for logs and debug dumps). */
export function redactValue<T>(value: T): T {
    return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
