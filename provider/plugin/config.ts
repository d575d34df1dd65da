/**
 * Provider configuration as the engine sends it: CheckConfig/DiffConfig get the provider's inputs (a Struct whose
 * secret values are wrapped); Configure gets `variables` (`cloudphone:config:KEY` → string) and `args` (the same
 * inputs as a Struct). Everything is reduced to `KEY → string`, the form resolveSettings() takes.
 */
import { registerSecret } from "../common/redact";
import { ArgumentErrors } from "../common/validate";
import { CONFIG_KEYS, checkConfig, normalizeConfigKey } from "../lookup/settings";
import { unwrapObject, UnknownValueError } from "./values";

export type ConfigValues = Readonly<Record<string, string>>;

/** Keys the engine adds to every provider's inputs; they are not configuration of ours. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

function asString(v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return JSON.stringify(v);
}

/**
 * Plain config from the inputs Struct (CheckConfig news/olds, Configure args). Unknown values (preview) are left
 * out. Secret-wrapped and secret-by-schema values are registered for redaction.
 */
export function configFromInputs(inputs: Record<string, unknown>): { values: Record<string, unknown>; secretKeys: Set<string> } {
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [rawKey, raw] of Object.entries(inputs)) {
        const key = normalizeConfigKey(rawKey);
        if (ENGINE_KEYS.has(key)) continue;
        try {
            const u = unwrapObject({ [key]: raw });
            values[key] = u.value[key];
            if (u.secretKeys.has(key)) secretKeys.add(key);
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
        }
    }
    for (const spec of CONFIG_KEYS) if (spec.secret) secretKeys.add(spec.key);
    for (const key of secretKeys) {
        const s = asString(values[key]);
        if (s !== undefined) registerSecret(s);
    }
    return { values, secretKeys };
}

/**
 * Configure: merge `variables` and `args` (args win: they keep types and secretness), checked exactly as CheckConfig
 * checks (a number or an object where a string belongs, an unknown key, a malformed endpoint): INVALID_ARGUMENT
 * listing every failure, so no value CheckConfig refuses can be configured another way.
 */
export function configFromConfigure(variables: ReadonlyMap<string, string> | Iterable<[string, string]>, args: Record<string, unknown> | undefined): ConfigValues {
    const typed: Record<string, unknown> = {};
    for (const [k, v] of variables) {
        const key = normalizeConfigKey(k);
        if (!ENGINE_KEYS.has(key)) typed[key] = v;
    }
    if (args) Object.assign(typed, configFromInputs(args).values);
    const failures = checkConfig(typed);
    if (failures.length) throw new ArgumentErrors(failures);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(typed)) {
        const s = asString(v);
        if (s !== undefined) out[k] = s;
    }
    for (const spec of CONFIG_KEYS) if (spec.secret) registerSecret(out[spec.key]);
    return out;
}

/** CheckConfig failures for the inputs (unknown keys, malformed endpoints, …). */
export function checkConfigInputs(inputs: Record<string, unknown>): { property: string; reason: string }[] {
    return checkConfig(configFromInputs(inputs).values);
}

/** DiffConfig: keys whose values differ (secretness alone is not a change). */
export function diffConfigInputs(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
    const a = configFromInputs(olds).values;
    const b = configFromInputs(news).values;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)).sort();
}
