/**
 * Messages in the CLI's terms. The lookup words its failures for Pulumi, whose users set configuration keys
 * (`cloudphone:huaweiAccessKey`) or the environment; the CLI reads only the environment and its flags. So before a
 * failure is printed, every setting it names (a configuration key, with or without `cloudphone:`, or a settings path
 * such as `huawei.endpoint`) becomes the environment variable the CLI reads it from, taken from the one table of
 * settings (lookup/settings.ts CONFIG_KEYS). Argument paths become flags in flags.ts (flagifyMessage).
 *
 * Text in double quotes is what a user gave and is left as it is.
 */
import { CONFIG_KEYS } from "../lookup/settings";

/** Setting name (config key or settings path) → the environment variable the CLI reads it from (the first listed). */
const VARIABLE_OF = new Map<string, string>();
for (const k of CONFIG_KEYS) {
    VARIABLE_OF.set(k.key, k.env[0]);
    // aliyunTimeZone is settings.aliyun.timeZone: messages about settings name it `aliyun.timeZone`.
    const m = /^(aliyun|huawei)([A-Z])(\w*)$/.exec(k.key);
    if (m) VARIABLE_OF.set(`${m[1]}.${m[2].toLowerCase()}${m[3]}`, k.env[0]);
}
const VARIABLES = new Set(CONFIG_KEYS.flatMap((k) => k.env));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Longest first, so `huaweiIamEndpoint` is not read as `huaweiIam…`; whole words only. */
const SETTING = new RegExp(
    `(?<![\\w.:-])(?:cloudphone:(?:config:)?)?(${[...VARIABLE_OF.keys()].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![\\w-])`,
    "g",
);
const VARIABLE_LIST = /^(?:or\s+)?([A-Z][A-Z0-9_]*)((?:\s*(?:\/|,|\bor\b|\band\b)\s*(?:or\s+)?[A-Z][A-Z0-9_]*)*)$/;

/**
 * A parenthesis that only lists variables is dropped when the text before it names them all (`HW_DOMAIN_NAME
 * (HW_DOMAIN_NAME)`, `set A and B (or A / B)`), and kept once otherwise (`(A / A)` → `(A)`).
 */
function tidyParentheses(text: string): string {
    return text.replace(/\s*\(([^()]*)\)/g, (whole: string, inner: string, offset: number) => {
        const m = VARIABLE_LIST.exec(inner.trim());
        if (!m) return whole;
        const names = inner.match(/[A-Z][A-Z0-9_]*/g) ?? [];
        if (!names.every((n) => VARIABLES.has(n))) return whole;
        const before = text.slice(0, offset);
        if (names.every((n) => new RegExp(`\\b${n}\\b`).test(before))) return "";
        const unique = [...new Set(names)];
        return unique.length === 1 ? whole.replace(/\(.*\)/, `(${unique[0]})`) : whole;
    });
}

/** A message with every setting named as the environment variable the CLI reads it from. */
export function envifyMessage(message: string): string {
    const quoted: string[] = [];
    const masked = message.replace(/"(?:[^"\\]|\\.)*"/g, (q) => `\u0000${quoted.push(q) - 1}\u0000`);
    const renamed = tidyParentheses(masked.replace(SETTING, (_m, name: string) => VARIABLE_OF.get(name) ?? name));
    return renamed.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => quoted[Number(i)]);
}

/** Said after every AUTH_MISSING of the CLI: users who followed Pulumi's docs may have set configuration keys. */
export const CREDENTIALS_FROM_ENVIRONMENT = "cloudphone reads credentials from environment variables (docs/configuration.md), not from Pulumi configuration.";

/**
 * The variable behind "the endpoint setting" that a transport failure (a host not found, a redirect) tells to check:
 * the cloud's endpoint, or Huawei's IAM endpoint when the failing request was the IAM login.
 */
function endpointVariable(cloud: string | undefined, line: string): string | undefined {
    if (cloud === "aliyun") return VARIABLE_OF.get("aliyunEndpoint");
    if (cloud === "huawei") return VARIABLE_OF.get(/\bIAM\b/.test(line) ? "huaweiIamEndpoint" : "huaweiEndpoint");
    return undefined;
}

/** The CLI's wording of a failure line (`[CODE] cloud: message (extras)`) of a failure of `cloud`. */
export function cliMessage(code: string, line: string, cloud?: string): string {
    let text = envifyMessage(line);
    const endpoint = endpointVariable(cloud, text);
    if (endpoint) text = text.replace(/\bthe endpoint setting\b/g, endpoint);
    if (code !== "AUTH_MISSING") return text;
    return `${text}${/[.!?]$/.test(text) ? "" : "."} ${CREDENTIALS_FROM_ENVIRONMENT}`;
}
