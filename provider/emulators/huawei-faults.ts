/** Faults the Huawei emulator can inject, and what is left of the counted ones. */

export interface HuaweiFaults {
    /** Every answer (IAM and batch-query) leaves this long after its request arrived (the emulator's own work happens inside it). */
    readonly latencyMs?: number;
    /** The first N batch-query requests get 429 APIGW.0308. */
    readonly throttleFirst?: number;
    /** Retry-After seconds sent with the 429s. */
    readonly retryAfterSeconds?: number;
    /** The first N batch-query requests fail with a server error, rotating through `serverErrorKinds`. */
    readonly serverErrorFirst?: number;
    /** 500 = JSON KOOPHONE.API.9999, 502/503 = gateway HTML page. Default [500, 502, 503]. */
    readonly serverErrorKinds?: readonly (500 | 502 | 503)[];
    /** The first N batch-query requests have their connection reset (no answer). */
    readonly resetFirst?: number;
    /** The first N batch-query requests are never answered (until the client gives up or the server closes). */
    readonly hangFirst?: number;
    /** The first N batch-query requests get HTTP 200 with truncated JSON. */
    readonly malformedFirst?: number;
    /** The first N batch-query requests get HTTP 200 with an HTML page. */
    readonly htmlFirst?: number;
    /** The first N batch-query requests get HTTP 200 with `error_code` = bodyErrorCode (default KOOPHONE.API.9999). */
    readonly bodyErrorFirst?: number;
    readonly bodyErrorCode?: string;
    /** HTTP status of those answers: 200 (default; the service's habit), or the reference's 400 / 500 variants. */
    readonly bodyErrorStatus?: 200 | 400 | 500;
    /** After each of the next N page-1 answers, the fleet changes (so later pages see another listing). */
    readonly listChangesBetweenPages?: number;
    /** add: a new instance in front (count and positions shift); delete: the first goes; addDelete: both (count kept). */
    readonly listChangeKind?: "add" | "delete" | "addDelete";
    /** After N more token-authenticated requests, every IAM token issued so far stops working (static tokens never expire). */
    readonly expireTokensAfterUses?: number;
}

export interface FaultState {
    faults: HuaweiFaults;
    throttle: number;
    server: number;
    serverServed: number;
    reset: number;
    hang: number;
    malformed: number;
    html: number;
    bodyError: number;
    listChanges: number;
    expireAfter: number | undefined;
}

export function faultState(f: HuaweiFaults): FaultState {
    return {
        faults: f,
        throttle: f.throttleFirst ?? 0,
        server: f.serverErrorFirst ?? 0,
        serverServed: 0,
        reset: f.resetFirst ?? 0,
        hang: f.hangFirst ?? 0,
        malformed: f.malformedFirst ?? 0,
        html: f.htmlFirst ?? 0,
        bodyError: f.bodyErrorFirst ?? 0,
        listChanges: f.listChangesBetweenPages ?? 0,
        expireAfter: f.expireTokensAfterUses,
    };
}

