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
    if (typeof value === "string") {
        const fast = fastIsoUtc(value, sourceOffsetMinutes);
        if (fast !== undefined) return fast;
    }
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

// ---- the fast path of toIsoUtc --------------------------------------------------------------------------------
// The two forms the clouds send, "YYYY-MM-DD HH:mm:ss" (or with T, zone-less) and "YYYY-MM-DDTHH:mm:ssZ", read from
// the characters without a regular expression, and the result written without Date#toISOString (the costliest
// step). Anything else, or any value outside the plain range, answers undefined here and takes the general path;
// the results are the general path's to the character.

/** The digit at i (0-9), or a large negative number that makes any value built from it out of range. */
function digit(v: string, i: number): number {
    const c = v.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : -100_000;
}

function two(v: string, i: number): number {
    return digit(v, i) * 10 + digit(v, i + 1);
}

/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: toISOString writes a 4-digit year in between. */
const MIN_ISO_MS = -62_167_219_200_000;
const MAX_ISO_MS = 253_402_300_800_000;
const DAY_MS = 86_400_000;

/** Date#toISOString of an integer time value in [MIN_ISO_MS, MAX_ISO_MS), as one flat string. */
function isoString(ms: number): string {
    // Days since the epoch → civil date (H. Hinnant's days_from_civil inverse, proleptic Gregorian).
    const days = Math.floor(ms / DAY_MS);
    let t = ms - days * DAY_MS;
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    const h = Math.floor(t / 3_600_000);
    t -= h * 3_600_000;
    const mi = Math.floor(t / 60_000);
    t -= mi * 60_000;
    const s = Math.floor(t / 1000);
    const f = t - s * 1000;
    return String.fromCharCode(
        48 + Math.floor(y / 1000), 48 + (Math.floor(y / 100) % 10), 48 + (Math.floor(y / 10) % 10), 48 + (y % 10), 45,
        48 + Math.floor(m / 10), 48 + (m % 10), 45, 48 + Math.floor(d / 10), 48 + (d % 10), 84,
        48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(mi / 10), 48 + (mi % 10), 58, 48 + Math.floor(s / 10), 48 + (s % 10), 46,
        48 + Math.floor(f / 100), 48 + (Math.floor(f / 10) % 10), 48 + (f % 10), 90,
    );
}

function daysInMonth(year: number, month: number): number {
    if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** toIsoUtc for the two common forms; undefined for anything else (the general path decides then). */
function fastIsoUtc(v: string, sourceOffsetMinutes: number): string | undefined {
    const n = v.length;
    if ((n !== 19 && n !== 20) || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
    const sep = v.charCodeAt(10);
    const year = digit(v, 0) * 1000 + digit(v, 1) * 100 + two(v, 2);
    const month = two(v, 5);
    const day = two(v, 8);
    const hour = two(v, 11);
    const minute = two(v, 14);
    const second = two(v, 17);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
    let shift: number;
    if (n === 19 && (sep === 32 || sep === 84)) {
        // Zone-less, read at the source offset.
        shift = sourceOffsetMinutes;
    } else if (n === 20 && sep === 84 && v.charCodeAt(19) === 90) {
        // "…Z": what Date parses it to, for the plain range only (years < 1000 and 24:00 take the general path).
        if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
        shift = 0;
    } else {
        return undefined;
    }
    // The common case: plain fields and a shift that stays within the day; the date and the seconds are the input's.
    const minutes = hour * 60 + minute - shift;
    if (
        minutes >= 0 && minutes < 1440 && Number.isInteger(minutes) && year >= 100 && month >= 1 && month <= 12 && day >= 1 &&
        (day <= 28 || day <= daysInMonth(year, month)) && hour <= 23 && minute <= 59 && second <= 59
    ) {
        const h = Math.floor(minutes / 60);
        const m = minutes - h * 60;
        return String.fromCharCode(
            v.charCodeAt(0), v.charCodeAt(1), v.charCodeAt(2), v.charCodeAt(3), 45, v.charCodeAt(5), v.charCodeAt(6), 45, v.charCodeAt(8), v.charCodeAt(9), 84,
            48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(m / 10), 48 + (m % 10), 58, v.charCodeAt(17), v.charCodeAt(18), 46, 48, 48, 48, 90,
        );
    }
    // Anything else as the general path computes it (Date.UTC: out-of-range fields roll over, years 0-99 are 19xx).
    const ms = Date.UTC(year, month - 1, day, hour, minute, second, 0) - shift * 60_000;
    return Number.isInteger(ms) && ms >= MIN_ISO_MS && ms < MAX_ISO_MS ? isoString(ms) : undefined;
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
