/**
 * nameRegex: RE2 syntax and semantics (re2js, a port of RE2), bounded length, refused before any request with a
 * message naming the argument and quoting at most a short cut of the pattern. The same rule everywhere: the argument
 * checkers of all three lookups (so the plugin, the CLI and both InstanceSets) go through compileNameRegex.
 */
import * as assert from "node:assert/strict";
import { compileNameRegex, NAME_REGEX_MAX_LENGTH } from "../../provider/common/name-regex";
import { validateAliyunArgs } from "../../provider/aliyun";
import { validateHuaweiArgs } from "../../provider/huawei";
import { validateUnifiedArgs } from "../../provider/lookup/unified";
import { ArgumentErrors } from "../../provider/common/validate";

function refused(source: string): string {
    const r = compileNameRegex(source);
    assert.equal(r.matcher, undefined, `accepted: ${source.slice(0, 50)}`);
    return r.problem!;
}

describe("common/name-regex (RE2)", () => {
    it("RE2 semantics: a match anywhere in the name, inline flags, POSIX classes, \\Q…\\E, \\z, Unicode classes", () => {
        const t = (source: string, name: string) => compileNameRegex(source).matcher!.test(name);
        assert.deepEqual(
            [t("^game-", "game-01"), t("^game-", "my-game-01"), t("(?i)^GAME", "game-1"), t("^[[:digit:]]+$", "0123"), t("^[[:digit:]]+$", "01a"),
                t("\\Qa.b\\E", "xa.by"), t("\\Qa.b\\E", "axb"), t("phone\\z", "my-phone"), t("^\\pL+$", "手机"), t("^\\p{Han}+$", "手机"), t("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")],
            [true, false, true, true, false, true, false, true, true, true, false],
        );
    });

    it("a pattern that backtracking engines take exponential time on is linear here", () => {
        // V8 takes minutes on this (2^40 paths); RE2 is linear in the name's length.
        assert.equal(compileNameRegex("^(a+)+$").matcher!.test(`${"a".repeat(40)}!`), false);
        assert.equal(compileNameRegex("((((((((((a*)*)*)*)*)*)*)*)*)*)*b").matcher!.test("a".repeat(5000)), false);
    });

    it("refuses what RE2 does not have, saying so: backreferences, lookahead, lookbehind", () => {
        assert.equal(refused("(a)\\1"), "uses a backreference (\\1 … \\9), which RE2 syntax does not have: (a)\\1");
        assert.equal(refused("^x(?=y)"), "uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 syntax does not have: ^x(?=y)");
        assert.equal(refused("(?<!x)a"), "uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 syntax does not have: (?<!x)a");
        assert.equal(compileNameRegex("a\\\\1").matcher!.test("a\\1"), true, "an escaped backslash before a digit is no backreference");
    });

    it("refuses invalid patterns with the RE2 parser's reason, the pattern cut short", () => {
        assert.equal(refused("("), "is not a valid RE2 regular expression: missing closing ): `(`");
        assert.equal(refused("[z-a]"), "is not a valid RE2 regular expression: invalid character class range: `z-a`");
        assert.equal(refused("a++"), "is not a valid RE2 regular expression: invalid nested repetition operator: `++`");
        assert.equal(refused("x{1001}"), "is not a valid RE2 regular expression: invalid repeat count: `{1001}`");
        const long = refused(`(${"a".repeat(200)}`);
        assert.ok(long.length < 150, long);
        assert.match(long, /^is not a valid RE2 regular expression: missing closing \): `\(a{39}…\(201 characters\)`$/);
    });

    it(`refuses a pattern longer than ${NAME_REGEX_MAX_LENGTH} characters, quoting none of it; accepts one at the limit`, () => {
        assert.equal(refused("a".repeat(NAME_REGEX_MAX_LENGTH + 1)), `is ${NAME_REGEX_MAX_LENGTH + 1} characters long; at most ${NAME_REGEX_MAX_LENGTH} are allowed`);
        assert.equal(refused("a".repeat(5_000_000)), `is 5000000 characters long; at most ${NAME_REGEX_MAX_LENGTH} are allowed`);
        assert.ok(compileNameRegex("a".repeat(NAME_REGEX_MAX_LENGTH)).matcher);
    });

    it("the same rule in the argument checkers of the three lookups, naming the property", () => {
        for (const [validate, property] of [
            [(v: string) => validateAliyunArgs({ nameRegex: v }), "nameRegex"],
            [(v: string) => validateHuaweiArgs({ nameRegex: v }), "nameRegex"],
            [(v: string) => validateUnifiedArgs({ nameRegex: v }), "nameRegex"],
        ] as const) {
            for (const bad of ["(a)\\1", "(", "x".repeat(NAME_REGEX_MAX_LENGTH + 1)]) {
                assert.throws(() => validate(bad), (e: unknown) => e instanceof ArgumentErrors && e.failures.length === 1 && e.failures[0].property === property && e.failures[0].reason === refused(bad));
            }
            assert.doesNotThrow(() => validate("(?i)^game-[0-9]{2}$"));
        }
    });
});
