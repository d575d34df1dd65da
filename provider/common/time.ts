/**
 * Time helpers. Both clouds answer some times without a zone ("2023-05-06 10:42:10"); we convert them to ISO
 * 8601 UTC from a documented source offset per cloud and keep the raw string beside it.
 */
const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/** Parse `±HH:MM` or `Z`/`UTC` into minutes east of UTC; undefined when malformed. */
export function parseOffset(offset: string): number | undefined {
    if (offset === "Z" || offset.toUpperCase() === "UTC") return 0;
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
    if (!m) return undefined;
    const minutes = parseInt(m[2], 10) * 60 + parseInt(m[3], 10);
    if (minutes > 14 * 60) return undefined;
    return m[1] === "-" ? -minutes : minutes;
}

/**
 * Convert a time string to ISO 8601 UTC. Zone-less strings are read at `sourceOffsetMinutes`; strings with a zone
 * keep theirs. Returns undefined for empty, "null" or unparseable input (the raw value stays available).
 */
export function toIsoUtc(value: string | undefined | null, sourceOffsetMinutes: number): string | undefined {
    if (value === undefined || value === null) return undefined;
    const v = value.trim();
    if (v === "" || v === "null") return undefined;
    const m = ZONELESS.exec(v);
    if (m) {
        const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, "0") : 0) - sourceOffsetMinutes * 60_000;
        const d = new Date(ms);
        return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
    }
    if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
        const d = new Date(v);
        return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
    }
    return undefined;
}

/** Accept ISO 8601 (with zone, or zone-less = UTC) or `YYYY-MM-DD HH:mm:ss` (UTC); return `YYYY-MM-DD HH:mm:ss` UTC. */
export function toUtcWire(value: string): string | undefined {
    const v = value.trim();
    let iso: string | undefined;
    if (ZONELESS.test(v)) iso = toIsoUtc(v, 0);
    else if (/^\d{4}-\d{2}-\d{2}T/.test(v)) iso = toIsoUtc(v, 0);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) iso = toIsoUtc(`${v} 00:00:00`, 0);
    if (!iso) return undefined;
    return iso.slice(0, 19).replace("T", " ");
}

/** `"null"`, empty and missing all mean absent. */
export function absentIfNull(v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    const s = String(v);
    return s === "null" || s === "" ? undefined : s;
}
