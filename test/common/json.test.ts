/**
 * parseJson (both clouds): native JSON.parse whenever that is exact; json-bigint, with every number made exact,
 * whenever a 16-digit run or an exponent might hide an integer beyond 2^53. Then, end to end: a Huawei emulator sending
 * assign_user as a bare integer or in exponent form is read exactly; an integer field beyond 2^53 is refused.
 */
import * as assert from "node:assert/strict";
import { parserFor, parseJson, integerDigits } from "../../provider/common/json";
import { decodeInteger } from "../../provider/aliyun/decode";
import { getHuaweiInstances, validateHuaweiArgs } from "../../provider/huawei";
import { JsonNumber } from "../../provider/emulators";
import { toJson } from "../../provider/emulators/shared";
import { hwCtx, hwSettings, startEmu, expectCode } from "../helpers/huawei";

describe("common/json: lossless fast parse", () => {
    it("an ordinary page takes JSON.parse and gives plain objects", () => {
        const text = `{"RequestId":"R-1","TotalCount":123456789012345,"InstanceModel":[{"Memory":8192,"GmtCreate":"2024-01-02 03:04:05","Ratio":1.25}]}`;
        assert.equal(parserFor(text), "JSON.parse");
        const v = parseJson(text) as { TotalCount: number; InstanceModel: object[] };
        assert.equal(Object.getPrototypeOf(v), Object.prototype);
        assert.equal(v.TotalCount, 123456789012345);
    });

    it("16 digits or more take json-bigint: a safe integer stays a number, one beyond 2^53 becomes its exact decimal string", () => {
        const text = `{"Memory":9007199254740993,"Small":1234567890123456,"Neg":-18446744073709551617,"List":[1008600000097131913]}`;
        assert.equal(parserFor(text), "json-bigint");
        assert.deepEqual({ ...(parseJson(text) as object) }, { Memory: "9007199254740993", Small: 1234567890123456, Neg: "-18446744073709551617", List: ["1008600000097131913"] });
        assert.equal(decodeInteger((parseJson(text) as Record<string, unknown>).Memory, "Memory"), "9007199254740993");
    });

    it("integers written in exponent form, long or short, are exact: 1.008600000097131913e18, 1e23, 5E+20, -9.1e17", () => {
        const text = `{"a":1.008600000097131913e18,"b":1e23,"c":5E+20,"d":-9.1e17,"e":1.5e1,"f":2.5e-3}`;
        assert.equal(parserFor(text), "json-bigint");
        assert.deepEqual({ ...(parseJson(text) as object) }, { a: "1008600000097131913", b: "100000000000000000000000", c: "500000000000000000000", d: "-910000000000000000", e: 15, f: 0.0025 });
    });

    it("integerDigits expands a double's shortest form exactly", () => {
        assert.deepEqual([1e23, 5e20, 1.5e22, -2e21, 123].map(integerDigits), ["100000000000000000000000", "500000000000000000000", "15000000000000000000000", "-2000000000000000000000", "123"]);
    });

    it("digits or an exponent inside strings keep JSON.parse (Huawei's 19-digit assign_user, ids holding 3e9); numbers after : , [ do not", () => {
        for (const text of [`{"Id":"acp-12345678901234567890","N":1}`, `{"assign_user":"1008600000097131913"}`, `{"Id":"acp-2e4f9","Name":"phone-9e9"}`, `["x1e5", "-12345678901234567"]`]) {
            assert.equal(parserFor(text), "JSON.parse", text);
        }
        for (const text of [`{"a":1e5}`, `{"a": -2E+3}`, `[1,12345678901234567]`, `{"a":[ 1.5e2 ]}`, `{"a":0.12345678901234567}`]) assert.equal(parserFor(text), "json-bigint", text);
        // a string holding what looks like a value is read by the slower parser, and exactly all the same
        const text = `{"Name":"x:1e5","N":1}`;
        assert.equal(parserFor(text), "json-bigint");
        assert.deepEqual({ ...(parseJson(text) as object) }, { Name: "x:1e5", N: 1 });
    });

    it("a body that is not JSON throws either way", () => {
        assert.throws(() => parseJson("<html>"));
        assert.throws(() => parseJson(`{"Memory":12345678901234567`));
        assert.throws(() => parseJson(`{"Memory":1e5`));
    });
});

describe("lossless numbers end to end (Huawei emulator on demand)", function () {
    this.timeout(20_000);
    const fleet = [
        { instance_id: "hw-big-1", instance_name: "a", running_status: 2, frozen_status: 0, assign_user: "1008600000097131913" },
        { instance_id: "hw-big-2", instance_name: "b", running_status: 1, frozen_status: 0, assign_user: "1008600000097131900" },
    ];

    it("the emulator writes assign_user as a string, a bare integer or an exponent form, as asked", () => {
        assert.equal(toJson({ a: 1008600000097131913n, b: new JsonNumber("1.008600000097131913e18"), c: "x" }), `{"a":1008600000097131913,"b":1.008600000097131913e18,"c":"x"}`);
    });

    for (const as of ["string", "integer", "exponent"] as const) {
        it(`assign_user sent as ${as === "string" ? "a JSON string" : as === "integer" ? "the bare integer 1008600000097131913" : "1.008600000097131913e18"}: read exactly, never rounded`, async () => {
            const emu = await startEmu({ fleet, assignUserAs: as });
            try {
                const r = await getHuaweiInstances(validateHuaweiArgs({}), hwSettings(emu), hwCtx());
                assert.deepEqual(r.instances.map((i) => i.assignUser), ["1008600000097131913", "1008600000097131900"]);
            } finally {
                await emu.close();
            }
        });
    }

    it("an integer field beyond 2^53 (running_status 1e19) is refused with a clear error, never rounded", async () => {
        const emu = await startEmu({ fleet: [{ ...fleet[0], running_status: 10000000000000000000n }] });
        try {
            const e = await expectCode(getHuaweiInstances(validateHuaweiArgs({}), hwSettings(emu), hwCtx()), "BAD_RESPONSE");
            assert.equal(e.message, "KooPhone batch-query page 1: instance hw-big-1: `running_status` is 10000000000000000000, an integer beyond 2^53 that this client cannot hold exactly");
        } finally {
            await emu.close();
        }
    });
});
