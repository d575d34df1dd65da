/**
 * Faults of the Alibaba emulator: what a test can ask it to do wrong (latency, throttling, server errors, resets,
 * hangs, garbled bodies, NextToken loops, a list that changes between pages, expiring credentials) and the response
 * shapes of the real API a client must cope with (readings). AliyunFaultPlan counts down the "next N requests" ones.
 */
import type * as http from "node:http";
import { randomUUID } from "node:crypto";
import { ApiError } from "./aliyun-protocol";

/** Response shapes from the real API the client has to cope with. */
export interface AliyunReadings {
    /** Memory = 2^53+1 (beyond a double) and DownBandwidthLimit = 1234567890123456 (16 digits, still safe). */
    readonly hugeIntegers?: boolean;
    /** Empty optional strings (KeyPairId, PublicIpAddress, ErrorCode, …) come as the string "null". */
    readonly nullStrings?: boolean;
    /** Optional objects and lists (Disks, Tags, BizTags, DisplayConfig, AppManagePolicy, PhoneDataInfo) left out. */
    readonly omitOptional?: boolean;
}

export interface AliyunFaults {
    /** Every answer leaves this long after its request arrived (the emulator's own work happens inside it). */
    readonly latencyMs?: number;
    /** The next N requests: HTTP 400 Throttling.User. */
    readonly throttleFirst?: number;
    /** The next N requests: HTTP 503 ServiceUnavailable / 500 InternalError, alternating. */
    readonly serverErrorFirst?: number;
    /** The next N requests: the socket is destroyed without an answer. */
    readonly resetFirst?: number;
    /** The next N requests are never answered. */
    readonly hangFirst?: number;
    /** The next N requests: HTTP 200 with a truncated JSON body. */
    readonly malformedFirst?: number;
    /** The next N requests: HTTP 502 with an HTML body (a gateway page). */
    readonly htmlFirst?: number;
    /** Every page after the first answers the NextToken it was given: the listing never ends. */
    readonly nextTokenLoop?: boolean;
    /** The next N enumerations see the list change after page 1 (an instance inserted or deleted). */
    readonly listChangesBetweenPages?: number;
    /** What listChangesBetweenPages does; default insert. */
    readonly listChangeKind?: "insert" | "delete";
    /** TotalCount off by this much on every page (a listing that never adds up). */
    readonly wrongTotalCount?: number;
    /** Authenticated requests after the first N fail: InvalidSecurityToken.Expired (STS) or InvalidAccessKeyId.Inactive. */
    readonly expireCredentialsAfter?: number;
    readonly readings?: AliyunReadings;
    /** Requests for these BizRegionIds are refused: HTTP 403 Forbidden.RAM (a RAM policy scoped to other regions). */
    readonly deniedBizRegions?: readonly string[];
}

type Left = { throttle: number; server: number; reset: number; hang: number; malformed: number; html: number; changes: number };

/** The faults in force and what is left of the counted ones. */
export class AliyunFaultPlan {
    faults: AliyunFaults = {};
    private left: Left = { throttle: 0, server: 0, reset: 0, hang: 0, malformed: 0, html: 0, changes: 0 };
    private authenticated = 0;
    private serverErrorFlip = 0;

    constructor(f: AliyunFaults = {}) {
        this.set(f);
    }

    set(f: AliyunFaults): void {
        this.faults = { ...f };
        this.left = {
            throttle: f.throttleFirst ?? 0, server: f.serverErrorFirst ?? 0, reset: f.resetFirst ?? 0, hang: f.hangFirst ?? 0,
            malformed: f.malformedFirst ?? 0, html: f.htmlFirst ?? 0, changes: f.listChangesBetweenPages ?? 0,
        };
        this.authenticated = 0;
    }

    /**
     * The faults that answer a request before it is looked at. Returns true when the request was answered (or
     * dropped, or left hanging) here.
     */
    async intercept(
        req: http.IncomingMessage,
        res: http.ServerResponse,
        send: (res: http.ServerResponse, status: number, body: string, contentType?: string) => void,
        sendError: (res: http.ServerResponse, e: ApiError) => void,
    ): Promise<boolean> {
        const left = this.left;
        if (left.reset > 0) {
            left.reset--;
            req.socket.destroy();
            return true;
        }
        if (left.hang > 0) {
            left.hang--;
            return true; // never answered; close() destroys the socket
        }
        if (left.throttle > 0) {
            left.throttle--;
            sendError(res, new ApiError(400, "Throttling.User", "Request was denied due to user flow control."));
            return true;
        }
        if (left.server > 0) {
            left.server--;
            sendError(res, this.serverErrorFlip++ % 2 === 0
                ? new ApiError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
                : new ApiError(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure."));
            return true;
        }
        if (left.html > 0) {
            left.html--;
            send(res, 502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n", "text/html");
            return true;
        }
        if (left.malformed > 0) {
            left.malformed--;
            send(res, 200, `{"RequestId":"${randomUUID().toUpperCase()}","TotalCount":12,"InstanceModel":[{"AndroidInstanceId":"acp-`);
            return true;
        }
        return false;
    }

    /** Whether this enumeration's list changes after page 1 (counts one down when it does). */
    takeListChange(): boolean {
        if (this.left.changes <= 0) return false;
        this.left.changes--;
        return true;
    }

    /** Called once per authenticated request: whether the credentials have expired by now. */
    credentialsExpired(): boolean {
        this.authenticated++;
        return this.faults.expireCredentialsAfter !== undefined && this.authenticated > this.faults.expireCredentialsAfter;
    }
}
