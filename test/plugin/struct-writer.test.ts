/**
 * struct-writer against google-protobuf: the bytes decode (with google-protobuf's generated code) to exactly what
 * Struct.fromJavaScript round-trips, and they are byte-identical to google-protobuf's own encoding when the input's
 * keys are in descending order (google-protobuf sorts map entries; the writer emits them in reverse insertion order).
 */
import * as assert from "node:assert/strict";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { InvokeResponse } from "@pulumi/pulumi/proto/provider_pb";
import { encodeInvokeResponse, encodeStruct, warmUp } from "../../provider/plugin/struct-writer";
import { aliyunResult } from "../../bench/encode";

/** JSON semantics (undefined properties dropped, undefined list items → null) but numbers kept as they are. */
function jsonish(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : jsonish(x)));
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonish(x);
        return out;
    }
    return v;
}

/** Keys in descending order at every level: the writer emits map entries in reverse insertion order. */
function sortKeysDescendingDeep(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(sortKeysDescendingDeep);
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort().reverse()) out[k] = sortKeysDescendingDeep((v as Record<string, unknown>)[k]);
        return out;
    }
    return v;
}

function viaGoogle(v: Record<string, unknown>): Record<string, unknown> {
    return Struct.fromJavaScript(jsonish(v) as Record<string, never>).toJavaScript() as Record<string, unknown>;
}

const TRICKY: Record<string, unknown> = {
    str: "plain",
    empty: "",
    unicode: "应用组1 — é ü ß 😀 \u0000 \u{10FFFF}",
    longAscii: "x".repeat(200),
    longUnicode: "应用".repeat(100),
    huge: "y".repeat(20_000), // 3-byte length varint
    ["k".repeat(300)]: "a key longer than 127 bytes",
    "ключ-😀": "a unicode key",
    int: 42,
    neg: -17,
    float: 3.141592653589793,
    negZero: -0,
    big: 1e300,
    tiny: 5e-324,
    maxSafe: Number.MAX_SAFE_INTEGER,
    nan: NaN,
    inf: Infinity,
    t: true,
    f: false,
    nul: null,
    undef: undefined,
    fn: () => 1,
    list: [1, "two", null, undefined, true, [], {}, [[["deep"]]], { a: [{ b: null }] }],
    emptyList: [],
    emptyObject: {},
    nested: { a: { b: { c: { d: { e: "bottom", list: [{ x: 1 }, { y: [2, 3] }] } } } } },
    date: new Date(Date.UTC(2024, 4, 24, 9, 30, 0)),
    bigint: BigInt(12345),
};

describe("struct-writer", () => {
    it("encodes every kind of value exactly as google-protobuf decodes it", () => {
        const decoded = Struct.deserializeBinary(encodeStruct(TRICKY)).toJavaScript();
        const expected = viaGoogle({ ...TRICKY, date: "2024-05-24T09:30:00.000Z", bigint: 12345, fn: undefined });
        assert.deepStrictEqual(decoded, expected);
        assert.ok(Object.is(decoded.negZero, -0));
        assert.equal(Object.keys(decoded).includes("undef"), false);
        assert.equal(Object.keys(decoded).includes("fn"), false);
    });

    it("is byte-identical to google-protobuf (which writes map entries sorted by key) for reverse-sorted input", () => {
        // NaN is left out here: google-protobuf writes its own NaN bit pattern (both decode to NaN).
        const input = sortKeysDescendingDeep(jsonish({ ...TRICKY, date: undefined, bigint: undefined, fn: undefined, nan: undefined })) as Record<string, unknown>;
        const ours = encodeStruct(input);
        const theirs = Buffer.from(Struct.fromJavaScript(input as Record<string, never>).serializeBinary());
        assert.equal(ours.length, theirs.length);
        assert.ok(ours.equals(theirs), "same bytes");
    });

    it("warms up without throwing", () => warmUp());

    it("encodes the empty struct and an empty InvokeResponse", () => {
        assert.equal(encodeStruct({}).length, 0);
        const r = InvokeResponse.deserializeBinary(encodeInvokeResponse({}));
        assert.deepStrictEqual(r.getReturn()!.toJavaScript(), {});
        const none = InvokeResponse.deserializeBinary(encodeInvokeResponse(undefined));
        assert.equal(none.getReturn(), undefined);
        assert.deepStrictEqual(none.getFailuresList(), []);
    });

    it("encodes InvokeResponse failures and return together", () => {
        const failures = [{ property: "status", reason: "must be one of RUNNING, …; got \"BAD\"" }, { property: "tags.ключ", reason: "must be a string 😀" }];
        const r = InvokeResponse.deserializeBinary(encodeInvokeResponse({ a: [1] }, failures));
        assert.deepStrictEqual(r.getReturn()!.toJavaScript(), { a: [1] });
        assert.deepStrictEqual(r.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })), failures);
    });

    it("encodes 1,000 full Alibaba instances (every InstanceModel field) to exactly the same values", () => {
        const result = aliyunResult(1_000, 9);
        const bytes = encodeInvokeResponse(result);
        const decoded = InvokeResponse.deserializeBinary(bytes).getReturn()!.toJavaScript();
        assert.deepStrictEqual(decoded, viaGoogle(result));
        assert.equal((decoded.instances as unknown[]).length, 1_000);
    });

    it("grows its buffer correctly from a tiny start (many regrowths)", () => {
        // Nested (not top-level) so the initial size guess stays at 64 KiB and the buffer must grow ~4 times.
        const list = Array.from({ length: 2_000 }, (_, i) => ({ i, s: `value-${i}-${"é".repeat(i % 7)}-${"z".repeat(300)}`, l: [i, null, { deep: [true] }] }));
        const bytes = encodeStruct({ wrap: { list } });
        assert.ok(bytes.length > 8 * 64 * 1024);
        assert.deepStrictEqual(Struct.deserializeBinary(bytes).toJavaScript(), viaGoogle({ wrap: { list } }));
    });
});
