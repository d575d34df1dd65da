/**
 * A direct encoder of the protobuf wire format of google.protobuf.Struct (and of pulumirpc.InvokeResponse around
 * it). google-protobuf's `Struct.fromJavaScript(...).serializeBinary()` builds one jspb object per value (tens of
 * millions for 100,000 instances) and runs out of time and heap; this writes bytes straight into one buffer.
 *
 * Technique: the buffer is filled BACK TO FRONT. A length-delimited field needs its length before its bytes; when
 * writing backwards the bytes are written first, so the length is simply "where we are now minus where we were",
 * and one pass suffices (no size pre-pass, no per-value allocations). The buffer grows by doubling, copying the
 * already written tail to the end of the new buffer.
 *
 * JSON semantics for JavaScript values: object properties that are undefined (or functions/symbols) are left out,
 * undefined list items become null, bigint becomes a number, objects with toJSON (e.g. Date) are encoded as what
 * toJSON returns. Map keys keep insertion order (any order is valid for a protobuf map).
 *
 * Wire facts (struct.proto): Struct { map<string, Value> fields = 1 } — each entry a message { key = 1, value = 2 };
 * Value oneof { null_value = 1 (enum), number_value = 2 (double), string_value = 3, bool_value = 4,
 * struct_value = 5, list_value = 6 }; ListValue { repeated Value values = 1 }.
 * provider.proto: InvokeResponse { Struct return = 1; repeated CheckFailure failures = 2 };
 * CheckFailure { string property = 1; string reason = 2 }.
 */

// Tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
const TAG_FIELD1_LEN = 0x0a; // Struct.fields entry, MapEntry.key, ListValue.values, InvokeResponse.return, CheckFailure.property
const TAG_FIELD2_LEN = 0x12; // MapEntry.value, InvokeResponse.failures, CheckFailure.reason
const TAG_NULL = 0x08; // Value.null_value (varint)
const TAG_NUMBER = 0x11; // Value.number_value (fixed64)
const TAG_STRING = 0x1a; // Value.string_value
const TAG_BOOL = 0x20; // Value.bool_value (varint)
const TAG_STRUCT = 0x2a; // Value.struct_value
const TAG_LIST = 0x32; // Value.list_value
/** Strings up to this many UTF-16 units are encoded in JS (see utf8()). */
const SHORT_STRING = 48;

/** Encoded map-entry key fields (tag, length, bytes): result objects repeat the same few dozen keys. */
const keyCache = new Map<string, Buffer>();
function encodedKey(key: string): Buffer {
    let b = keyCache.get(key);
    if (b === undefined) {
        const bytes = Buffer.from(key, "utf8");
        const len: number[] = [];
        for (let v = bytes.length; ; v >>>= 7) {
            if (v < 0x80) { len.push(v); break; }
            len.push((v & 0x7f) | 0x80);
        }
        b = Buffer.concat([Buffer.from([TAG_FIELD1_LEN, ...len]), bytes]);
        if (keyCache.size < 4096) keyCache.set(key, b);
    }
    return b;
}

export interface Failure {
    readonly property: string;
    readonly reason: string;
}

class ReverseWriter {
    private buf: Buffer;
    /** Index of the first written byte; bytes [pos, buf.length) are the output so far. */
    private pos: number;

    constructor(initialSize = 64 * 1024) {
        this.buf = Buffer.allocUnsafe(initialSize);
        this.pos = initialSize;
    }

    /** Bytes written so far (the end of the message is fixed, so this is also a "mark"). */
    get written(): number {
        return this.buf.length - this.pos;
    }

    private ensure(n: number): void {
        if (this.pos >= n) return;
        const used = this.written;
        let size = this.buf.length * 2;
        while (size - used < n) size *= 2;
        const next = Buffer.allocUnsafe(size);
        this.buf.copy(next, size - used, this.pos);
        this.buf = next;
        this.pos = size - used;
    }

    byte(b: number): void {
        if (this.pos === 0) this.ensure(1);
        this.buf[--this.pos] = b;
    }

    /** Unsigned varint (lengths; < 2^32 here). */
    varint(n: number): void {
        if (n < 0x80 && this.pos > 0) {
            this.buf[--this.pos] = n;
            return;
        }
        this.ensure(5);
        let len = 1;
        for (let v = n >>> 7; v !== 0; v >>>= 7) len++;
        let p = (this.pos -= len);
        let v = n >>> 0;
        while (v >= 0x80) {
            this.buf[p++] = (v & 0x7f) | 0x80;
            v >>>= 7;
        }
        this.buf[p] = v;
    }

    double(n: number): void {
        this.ensure(8);
        this.pos -= 8;
        this.buf.writeDoubleLE(n, this.pos);
    }

    /** UTF-8 bytes of s (no length prefix). */
    utf8(s: string): void {
        const n = s.length;
        if (n <= SHORT_STRING) {
            // Short strings: a JS loop beats two native calls (byteLength + write). Optimistically copy as ASCII;
            // on the first non-ASCII unit, undo and take the native path.
            this.ensure(n);
            const buf = this.buf;
            const start = this.pos - n;
            let i = 0;
            for (; i < n; i++) {
                const c = s.charCodeAt(i);
                if (c > 0x7f) break;
                buf[start + i] = c;
            }
            if (i === n) {
                this.pos = start;
                return;
            }
        }
        const len = Buffer.byteLength(s, "utf8");
        this.ensure(len);
        this.pos -= len;
        if (len > 0) this.buf.write(s, this.pos, len, "utf8");
    }

    /** A length-delimited string field: tag, length, bytes (written in reverse order). */
    stringField(tag: number, s: string): void {
        const mark = this.written;
        this.utf8(s);
        this.varint(this.written - mark);
        this.byte(tag);
    }

    /** Raw bytes, e.g. a cached encoded key field. */
    bytes(b: Uint8Array): void {
        const n = b.length;
        this.ensure(n);
        const buf = this.buf;
        const start = (this.pos -= n);
        for (let i = 0; i < n; i++) buf[start + i] = b[i];
    }

    /** Close a length-delimited field whose body was written since `mark`. */
    closeField(tag: number, mark: number): void {
        this.varint(this.written - mark);
        this.byte(tag);
    }

    /** The finished bytes (a view, no copy). */
    result(): Buffer {
        return this.buf.subarray(this.pos);
    }
}

/** Writes the body of a google.protobuf.Value for v (JSON semantics; see the header). */
function writeValue(w: ReverseWriter, v: unknown): void {
    switch (typeof v) {
        case "string":
            w.stringField(TAG_STRING, v);
            return;
        case "number":
            w.double(v);
            w.byte(TAG_NUMBER);
            return;
        case "boolean":
            if (v) w.byte(1);
            else w.byte(0);
            w.byte(TAG_BOOL);
            return;
        case "bigint":
            w.double(Number(v));
            w.byte(TAG_NUMBER);
            return;
        case "object": {
            if (v === null) break;
            const mark = w.written;
            if (Array.isArray(v)) {
                writeListBody(w, v);
                w.closeField(TAG_LIST, mark);
                return;
            }
            const json = (v as { toJSON?: unknown }).toJSON;
            if (typeof json === "function") {
                writeValue(w, (json as () => unknown).call(v));
                return;
            }
            writeStructBody(w, v as Record<string, unknown>);
            w.closeField(TAG_STRUCT, mark);
            return;
        }
        default:
            // undefined, functions, symbols inside lists: JSON writes null.
            break;
    }
    w.byte(0);
    w.byte(TAG_NULL);
}

function writeListBody(w: ReverseWriter, list: readonly unknown[]): void {
    for (let i = list.length - 1; i >= 0; i--) {
        const mark = w.written;
        writeValue(w, list[i]);
        w.closeField(TAG_FIELD1_LEN, mark);
    }
}

function isOmitted(v: unknown): boolean {
    return v === undefined || typeof v === "function" || typeof v === "symbol";
}

/**
 * Entries are visited in insertion order with for-in (V8's enum cache makes that allocation-free for same-shaped
 * objects, which Object.keys is not), so — the buffer being filled backwards — they land on the wire in REVERSE
 * insertion order. Protobuf maps carry no order (Pulumi's engine decodes them into Go maps), so the values are the
 * same. Only own enumerable properties of plain data objects are expected here.
 */
function writeStructBody(w: ReverseWriter, obj: Record<string, unknown>): void {
    for (const key in obj) {
        const value = obj[key];
        if (isOmitted(value)) continue;
        const mark = w.written;
        writeValue(w, value);
        w.closeField(TAG_FIELD2_LEN, mark);
        w.bytes(encodedKey(key));
        w.closeField(TAG_FIELD1_LEN, mark);
    }
}

function initialSizeFor(obj: object): number {
    // A cheap guess that avoids most regrowth for big results: 2 KiB per top-level list item.
    let items = 0;
    for (const v of Object.values(obj)) if (Array.isArray(v)) items += v.length;
    return Math.min(Math.max(64 * 1024, items * 2048), 1 << 30);
}

/**
 * Encode a small synthetic result once so the first real invoke runs optimized code (V8 tiers functions up by
 * use count). Costs a few milliseconds; call it after the plugin printed its port.
 */
export function warmUp(): void {
    const item: Record<string, unknown> = {};
    for (let k = 0; k < 40; k++) item[`field${k}`] = k % 4 === 0 ? k : k % 4 === 1 ? `value-${k}` : k % 4 === 2 ? [{ key: "a", value: "b" }] : { n: k, s: "x", b: true, z: null };
    encodeInvokeResponse({ instances: Array.from({ length: 400 }, () => item), ids: ["a"], totalCount: 1 }, [{ property: "p", reason: "r" }]);
}

/** The bytes of a google.protobuf.Struct message holding obj. */
export function encodeStruct(obj: Readonly<Record<string, unknown>>): Buffer {
    const w = new ReverseWriter(initialSizeFor(obj));
    writeStructBody(w, obj as Record<string, unknown>);
    return w.result();
}

/** The bytes of a pulumirpc.InvokeResponse { return, failures }. */
export function encodeInvokeResponse(ret: Readonly<Record<string, unknown>> | undefined, failures: readonly Failure[] = []): Buffer {
    const w = new ReverseWriter(ret ? initialSizeFor(ret) : 1024);
    for (let i = failures.length - 1; i >= 0; i--) {
        const mark = w.written;
        w.stringField(TAG_FIELD2_LEN, failures[i].reason);
        w.stringField(TAG_FIELD1_LEN, failures[i].property);
        w.closeField(TAG_FIELD2_LEN, mark);
    }
    if (ret !== undefined) {
        const mark = w.written;
        writeStructBody(w, ret as Record<string, unknown>);
        w.closeField(TAG_FIELD1_LEN, mark);
    }
    return w.result();
}
